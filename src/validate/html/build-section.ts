// The report's build section for a board this run built: flash and RAM
// against the board's budget as bars, and the toolchain, flags and
// definitions the firmware was compiled with (read from the build's own
// commands, validate/build-provenance.ts).

import type { BoardRun } from "../report.js";
import { budgetBars } from "./budget-bars.js";
import { escapeText } from "./escape.js";

const codeList = (xs: readonly string[]): string =>
  xs.length === 0 ? `<span class="muted">none</span>` : xs.map((x) => `<code>${escapeText(x)}</code>`).join(" ");

export function buildSection(run: BoardRun): string {
  const b = run.build;
  if (!b) return `<p class="muted">This run did not build the firmware (<code>--no-build</code>): no budget or flags recorded.</p>`;
  const rows: Array<[string, string]> = [
    ["Runtime / app", escapeText(`${b.runtime} / ${b.app}`)],
    ...(b.compiler ? [["Compiler", `<code>${escapeText(b.compiler)}</code>`] as [string, string]] : []),
    ["Compile flags", codeList(b.compileFlags)],
    ["Definitions", codeList(b.defines)],
    ["Link flags", codeList(b.linkFlags)],
    ["Commands", escapeText(`${b.commands} toolchain commands in ${b.dir}`)],
    ...(b.image ? [["Image", `<code class="sha">${escapeText(b.image)}</code>`] as [string, string]] : []),
  ];
  return [
    b.budget ? budgetBars(b.budget, `${run.board}: flash and RAM`) : `<p class="muted">No budget for this board.</p>`,
    `<dl class="facts build">${rows.map(([k, v]) => `<dt>${escapeText(k)}</dt><dd>${v}</dd>`).join("")}</dl>`,
  ].join("\n");
}
