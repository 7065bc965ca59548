// The report's header (what was tested, by which tinyml, when, and the verdict
// per board) and one section per board run.

import type { BoardRun, TestReport } from "../report.js";
import { escapeAttr, escapeText } from "./escape.js";
import { describeLatency } from "./describe.js";
import { formatNumber, formatSeconds } from "./format.js";
import { latencyHistogram } from "./histogram.js";
import { buildSection } from "./build-section.js";
import { profileChart } from "./profile-chart.js";
import { profileTable } from "./profile-table.js";
import { wakewordSection } from "./wakeword-section.js";
import { badge, checksTable, comparisonTable, floatSummaryTable } from "./tables.js";

function facts(rows: Array<[string, string | undefined]>): string {
  const items = rows
    .filter((r): r is [string, string] => r[1] !== undefined)
    .map(([k, v]) => `<dt>${escapeText(k)}</dt><dd>${v}</dd>`);
  return `<dl class="facts">${items.join("")}</dl>`;
}

const code = (s: string): string => `<code class="sha">${escapeText(s)}</code>`;
const text = (s: string | undefined): string | undefined => (s === undefined ? undefined : escapeText(s));

export function boardAnchor(i: number): string {
  return `board-${i + 1}`;
}

export function reportHeader(report: TestReport): string {
  const boards = report.boards.map(
    (b, i) => `<li><a href="#${boardAnchor(i)}">${escapeText(b.id === b.board ? b.id : `${b.id} (${b.board})`)}</a> ${badge(b.status)}</li>`,
  );
  return [
    `<header>`,
    `<h1>tinyml test report ${badge(report.status)}</h1>`,
    facts([
      ["Model", text(report.model.path)],
      ["SHA-256", code(report.model.sha256)],
      ["Format", text(report.model.format)],
      ["tinyml", text(report.tinyml)],
      ["Started", `<time datetime="${escapeAttr(report.startedAt)}">${escapeText(report.startedAt)}</time>`],
      ["Duration", `${formatSeconds(report.durationMs)} s`],
      ["Shard", text(report.shard)],
    ]),
    `<ul class="boards" aria-label="Boards">${boards.join("")}</ul>`,
    `</header>`,
  ].join("\n");
}

function firmwareFacts(run: BoardRun): string {
  const fw = run.firmware;
  const hashNote = fw ? "" : " (the firmware did not report itself)";
  return facts([
    ["Board", text(run.board)],
    ["Port", text(run.port)],
    ["Status", badge(run.status)],
    ["Started", text(run.startedAt)],
    ["Duration", `${formatSeconds(run.durationMs)} s`],
    ["Runtime", text(fw?.runtime)],
    ["Firmware model SHA-256", fw ? code(fw.modelSha256) : text(`unknown${hashNote}`)],
    ["Firmware tinyml", text(fw?.tinymlVersion)],
    ["Arena", fw ? `${formatNumber(fw.arenaBytes)} bytes` : undefined],
    ["Timer", fw ? `${formatNumber(fw.timerHz)} Hz` : undefined],
    ["Protocol", protocolText(run)],
    ["Latency", text(describeLatency(run))],
    ["Serial link", run.link ? escapeText(`${run.link.requests} requests, ${run.link.retransmits} retransmits, ${run.link.timeouts} timeouts, ${run.link.naks} NAKs`) : undefined],
  ]);
}

function protocolText(run: BoardRun): string | undefined {
  const name = run.protocol === "eembc" ? "EEMBC / MLPerf Tiny runner" : run.protocol === "tinyml" ? "tinyml framed" : undefined;
  const version = run.firmware ? `version ${run.firmware.protocolVersion}` : undefined;
  const both = [name, version].filter((x): x is string => x !== undefined).join(", ");
  return both ? escapeText(both) : undefined;
}

function notesList(run: BoardRun): string {
  // Wake-word warnings are shown as alerts in their own section.
  const notes = (run.notes ?? []).filter((n) => !run.wakeword?.warnings.includes(n));
  return notes.length === 0 ? "" : `<ul class="notes">${notes.map((n) => `<li>${escapeText(n)}</li>`).join("")}</ul>`;
}

export function boardSection(run: BoardRun, i: number): string {
  const id = boardAnchor(i);
  const err = run.error
    ? `<p class="error" role="alert"><strong>${escapeText(run.error.code)}</strong>: ${escapeText(run.error.message)}</p>`
    : "";
  return [
    `<section class="board" id="${id}" aria-labelledby="${id}-h">`,
    `<h2 id="${id}-h">${escapeText(run.id)} ${badge(run.status)}</h2>`,
    err,
    firmwareFacts(run),
    notesList(run),
    wakewordSection(run, id),
    `<h3>Build</h3>`,
    buildSection(run),
    `<h3>Latency</h3>`,
    latencyHistogram(run, id),
    `<h3>Per-op profile</h3>`,
    profileChart(run, id),
    profileTable(run),
    `<h3>Checks</h3>`,
    checksTable(run.checks),
    `<h3>Comparison with the reference</h3>`,
    comparisonTable(run),
    floatSummaryTable(run),
    `</section>`,
  ].join("\n");
}
