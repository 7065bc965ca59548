// `tinyml test --junit FILE`: the report as JUnit XML, the format Jenkins,
// GitLab and GitHub test annotations all read. One <testsuite> per board run,
// one <testcase> per input case and per check, so a CI page shows which input
// on which board failed. Validated against the Jenkins xUnit plugin's
// junit-10.xsd in the tests.
//
// Output is deterministic (no clock reads; the hostname can be fixed by the
// caller) so two runs with the same results produce the same file.

import { hostname as osHostname } from "node:os";
import type { BoardRun, CaseResult, Check, Status, TestReport } from "./report.js";
import { stats } from "./report.js";
import { caseFailureMessage, describeFloat, describeLatency, describeMismatch, describeStats } from "./html/describe.js";
import { escapeAttr, escapeText } from "./html/escape.js";
import { formatNumber, formatPercent, formatSeconds, formatUs, usPerTick } from "./html/format.js";
import { writeFileAtomic } from "../util/files.js";
import { TINYML_MARKER } from "../util/output-file.js";

export interface JunitOptions {
  /** The `hostname` attribute; defaults to this machine's name (the rig host). */
  hostname?: string;
}

interface Testcase {
  name: string;
  timeMs: number;
  status: Status;
  /** Failure/error type: the error code, "mismatch" or "check". */
  type: string;
  message?: string;
  detail?: string;
  out?: string;
}

function attrs(pairs: Array<[string, string | number | undefined]>): string {
  return pairs
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join("");
}

/** The case's wall-clock time when the runner measured it, else the device time of its measured runs. */
function caseTimeMs(c: CaseResult, run: BoardRun): number {
  if (c.durationMs !== undefined) return c.durationMs;
  const k = usPerTick(run);
  return k === undefined ? 0 : (c.ticks.reduce((a, b) => a + b, 0) * k) / 1000;
}

function caseTestcase(c: CaseResult, run: BoardRun): Testcase {
  const lines: string[] = [`inputs: ${c.inputs.join(", ")}`];
  if (c.retried) lines.push("retried once after the board reset");
  if (c.ticks.length > 0) lines.push(`latency over ${c.ticks.length} runs: ${describeStats(stats(c.ticks), run)}`);
  else if (c.meanUs !== undefined) lines.push(`mean latency (device-reported): ${formatUs(c.meanUs)}`);
  for (const o of c.outputs) {
    lines.push(o.exact ? `output ${o.index}: ${o.ulp && o.ulp.max > 0 ? `within ${o.ulp.max} ULP (${o.ulp.tolerance} allowed)` : "bit-exact"}` : describeMismatch(o));
    if (o.float) lines.push(`output ${o.index} vs float model: ${describeFloat(o.float)}`);
  }
  const mismatches = c.outputs.filter((o) => !o.exact).map(describeMismatch);
  return {
    name: c.name,
    timeMs: caseTimeMs(c, run),
    status: c.status,
    type: c.error?.code ?? "mismatch",
    message: caseFailureMessage(c),
    detail: [...(c.error ? [`${c.error.code}: ${c.error.message}`] : []), ...mismatches].join("\n"),
    out: lines.join("\n"),
  };
}

function checkTestcase(check: Check): Testcase {
  return {
    name: check.name,
    timeMs: 0,
    status: check.status,
    type: "check",
    message: check.status === "pass" ? undefined : (check.message ?? `check ${check.status === "infra" ? "could not run" : "failed"}`),
    // A failed check's message is already the failure text; don't repeat it.
    out: check.status === "pass" ? check.message : undefined,
  };
}

function renderTestcase(t: Testcase, classname: string): string {
  const head = `    <testcase${attrs([["name", t.name], ["classname", classname], ["time", formatSeconds(t.timeMs)]])}`;
  const body: string[] = [];
  if (t.status !== "pass") {
    const tag = t.status === "infra" ? "error" : "failure";
    body.push(`      <${tag}${attrs([["message", t.message], ["type", t.type]])}>${escapeText(t.detail || t.message || "")}</${tag}>`);
  }
  if (t.out) body.push(`      <system-out>${escapeText(t.out)}</system-out>`);
  return body.length === 0 ? `${head}/>` : `${head}>\n${body.join("\n")}\n    </testcase>`;
}

function properties(report: TestReport, run: BoardRun): string {
  const fw = run.firmware;
  const props: Array<[string, string | number | undefined]> = [
    ["board", run.board],
    ["port", run.port],
    ["model.path", report.model.path],
    ["model.sha256", report.model.sha256],
    ["model.format", report.model.format],
    ["tinyml.version", report.tinyml],
    ["shard", report.shard],
    ["protocol", run.protocol],
    ["firmware.board", fw?.board],
    ["firmware.runtime", fw?.runtime],
    ["firmware.tinymlVersion", fw?.tinymlVersion],
    ["firmware.modelSha256", fw?.modelSha256],
    ["firmware.arenaBytes", fw?.arenaBytes],
    ["firmware.timerHz", fw?.timerHz],
    ["firmware.protocolVersion", fw?.protocolVersion],
    ["latency.runs", run.latency?.runs],
    ["latency.warmup", run.latency?.warmup],
    ["latency.clockHz", run.latency?.clockHz],
    ["latency.source", run.latency?.source],
    ["link.requests", run.link?.requests],
    ["link.retransmits", run.link?.retransmits],
    ["link.timeouts", run.link?.timeouts],
    ["link.naks", run.link?.naks],
  ];
  const lines = props
    .filter((p) => p[1] !== undefined)
    .map(([name, value]) => `      <property${attrs([["name", name], ["value", value]])}/>`);
  return `    <properties>\n${lines.join("\n")}\n    </properties>`;
}

/** Board-level latency and profile as text, for CI logs that show system-out. */
function suiteOut(run: BoardRun): string | undefined {
  const lines: string[] = [...(run.notes ?? []).map((n) => `note: ${n}`)];
  const l = run.latency;
  if (l) {
    lines.push(`latency: ${describeLatency(run)}`);
    if (l.instructions) {
      const i = l.instructions;
      lines.push(`instructions per run: min ${formatNumber(i.min)}, median ${formatNumber(i.median)}, p90 ${formatNumber(i.p90)}, max ${formatNumber(i.max)}`);
    }
  }
  for (const f of run.float ?? []) {
    lines.push(`output ${f.index}${f.name ? ` (${f.name})` : ""} vs float model, mean over cases: ${describeFloat(f.metrics)}`);
  }
  for (const op of run.profile ?? []) {
    lines.push(`op ${op.index} ${op.type}: ${formatNumber(op.ticks)} ticks, ${formatUs(op.us)}, ${formatPercent(op.share)} of invoke`);
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}

function testcasesOf(run: BoardRun): Testcase[] {
  const cases = [...run.checks.map(checkTestcase), ...run.cases.map((c) => caseTestcase(c, run))];
  // A run that died before or between cases (board missing, flash failed) must
  // still show as an error in CI, even when no case or check carries it; when
  // the failing case already does, a second testcase would count it twice.
  const err = run.error;
  if (err && !run.cases.some((c) => c.error?.code === err.code && c.error.message === err.message)) {
    cases.push({ name: "board run", timeMs: run.durationMs, status: "infra", type: err.code, message: err.message, detail: `${err.code}: ${err.message}` });
  }
  return cases;
}

function renderSuite(report: TestReport, run: BoardRun, host: string): { xml: string; tests: number; failures: number; errors: number } {
  const cases = testcasesOf(run);
  const failures = cases.filter((t) => t.status === "fail").length;
  const errors = cases.filter((t) => t.status === "infra").length;
  const name = run.id === run.board ? run.id : `${run.id} (${run.board})`;
  const classname = `tinyml.${run.board}`;
  const head = `  <testsuite${attrs([
    ["name", name],
    ["tests", cases.length],
    ["failures", failures],
    ["errors", errors],
    ["skipped", 0],
    ["time", formatSeconds(run.durationMs)],
    ["timestamp", run.startedAt ?? report.startedAt],
    ["hostname", host],
    ["id", run.id],
    ["package", "tinyml"],
  ])}>`;
  const parts = [head, properties(report, run), ...cases.map((t) => renderTestcase(t, classname))];
  const out = suiteOut(run);
  if (out) parts.push(`    <system-out>${escapeText(out)}</system-out>`);
  if (run.error) parts.push(`    <system-err>${escapeText(`${run.error.code}: ${run.error.message}`)}</system-err>`);
  parts.push("  </testsuite>");
  return { xml: parts.join("\n"), tests: cases.length, failures, errors };
}

export function renderJunit(report: TestReport, opts: JunitOptions = {}): string {
  const host = opts.hostname ?? osHostname();
  const suites = report.boards.map((run) => renderSuite(report, run, host));
  const sum = (k: "tests" | "failures" | "errors"): number => suites.reduce((a, s) => a + s[k], 0);
  const head = `<testsuites${attrs([
    ["name", `tinyml test ${report.model.path}`],
    ["tests", sum("tests")],
    ["failures", sum("failures")],
    ["errors", sum("errors")],
    ["time", formatSeconds(report.durationMs)],
  ])}>`;
  // The comment marks the file as tinyml's, so a later run may replace it (src/util/output-file.ts).
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<!-- ${TINYML_MARKER} ${escapeText(report.tinyml)} -->`, head, ...suites.map((s) => s.xml), "</testsuites>", ""].join("\n");
}

/** Writes the JUnit file atomically: a CI job never reads a half-written report. */
export function writeJunit(report: TestReport, file: string, opts: JunitOptions = {}): void {
  writeFileAtomic(file, renderJunit(report, opts));
}
