// The terminal view of a TestReport: per board a header, failed checks, a
// table of cases, latency and float-model figures, the slowest ops. (While
// cases run, the CLI's progress line shows them: src/cli/progress.ts.)
import { formatBytes, renderTable } from "../util/table.js";
import { describeMismatch } from "./compare.js";
import type { BoardRun, CaseResult, Stats, TestReport } from "./report.js";
import { describeBisect } from "./bisect.js";
import { renderWakewordSummary } from "./wakeword-report.js";

const STATUS: Readonly<Record<string, string>> = { pass: "PASS", fail: "FAIL", infra: "INFRA" };

function num(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function statLine(s: Stats, unit: string, digits: number): string {
  return `min ${num(s.min, digits)} / median ${num(s.median, digits)} / p90 ${num(s.p90, digits)} / max ${num(s.max, digits)} ${unit}`;
}

function caseRow(c: CaseResult, hz: number, eembc: boolean): Array<string | number> {
  const sorted = [...c.ticks].sort((a, b) => a - b);
  const median = sorted.length > 0 ? sorted[Math.ceil(sorted.length / 2) - 1]! : undefined;
  const us = c.meanUs ?? (median !== undefined && hz > 0 ? (median * 1e6) / hz : undefined);
  const ulp = Math.max(...c.outputs.map((o) => o.ulp?.max ?? 0));
  const outputs = c.outputs.length === 0 ? "-" : c.outputs.every((o) => o.exact)
    ? (c.outputs.some((o) => o.tolerance !== undefined) ? "within 0.0005" : ulp > 0 ? `within ${ulp} ULP` : eembc ? "same text" : "bit-exact")
    : "DIFFERS";
  return [c.name, STATUS[c.status]! + (c.retried ? " (retried)" : ""), us === undefined ? "-" : num(us, 1), outputs];
}

export function renderBoard(b: BoardRun): string {
  const lines: string[] = [];
  const fw = b.firmware ? ` — ${b.firmware.runtime} runtime, arena ${formatBytes(b.firmware.arenaBytes)}, tinyml ${b.firmware.tinymlVersion}` : "";
  lines.push(`${b.id}${b.id !== b.board ? ` (${b.board})` : ""}${b.port ? ` on ${b.port}` : ""}: ${STATUS[b.status]}${fw}`);
  for (const c of b.checks.filter((x) => x.status !== "pass")) lines.push(`  check '${c.name}' ${STATUS[c.status]}: ${c.message ?? ""}`);
  const hz = b.latency?.clockHz ?? b.firmware?.timerHz ?? 0;
  if (b.wakeword) lines.push(renderWakewordSummary(b, b.wakeword));
  else if (b.cases.length > 0) lines.push(renderTable(["case", "status", b.protocol === "eembc" ? "mean µs" : "median µs", "outputs"], b.cases.map((c) => caseRow(c, hz, b.protocol === "eembc"))));
  for (const c of b.wakeword ? [] : b.cases.filter((x) => x.status !== "pass")) {
    const why = c.outputs.some((o) => !o.exact) ? c.outputs.filter((o) => !o.exact).map(describeMismatch).join("; ") : c.error?.message;
    lines.push(`  ${c.name}: ${why ?? ""}`);
  }
  const l = b.latency;
  if (l) {
    lines.push(`  latency (${l.runs} runs after ${l.warmup} warm-up, timer ${num(l.clockHz / 1e6, 3)} MHz): ${statLine(l.us, "µs", 1)}`);
    lines.push(`           ticks: ${statLine(l.ticks, "", 0).trimEnd()}`);
    if (l.instructions) lines.push(`           instructions (QEMU -icount): ${statLine(l.instructions, "", 0).trimEnd()}`);
  }
  for (const f of b.float ?? []) {
    const m = f.metrics;
    const top1 = m.top1Agreement !== undefined ? `top-1 agreement ${num(100 * m.top1Agreement, 1)}%, ` : "";
    lines.push(`  vs float model, output ${f.index}: ${top1}RMSE ${m.rmse.toPrecision(3)}, MAE ${m.mae.toPrecision(3)}, rel. L2 ${m.l2r.toPrecision(3)}, cosine ${m.cosine.toFixed(5)}`);
  }
  if (b.profile && b.profile.length > 0) {
    const top = [...b.profile].sort((x, y) => y.ticks - x.ticks).slice(0, 8);
    lines.push("  slowest ops:", renderTable(["op", "type", "ticks", "µs", "share"], top.map((o) => [o.index, o.type, o.ticks, num(o.us, 1), `${num(100 * o.share, 1)}%`]), "    "));
  }
  if (b.bisect) lines.push(`  ${describeBisect(b.bisect)}`);
  if (b.eembc) {
    const { device: d, host: h } = b.eembc;
    const same = d.top1 === h.top1 && d.auc === h.auc ? "equal" : "DIFFER";
    lines.push(`  MLPerf Tiny ${b.eembc.benchmark} over ${d.files} files, as the runner computes it: device Top 1% = ${d.top1.toFixed(1)}, AUC = ${d.auc.toFixed(3)}; host reference Top 1% = ${h.top1.toFixed(1)}, AUC = ${h.auc.toFixed(3)} (${same})`);
  }
  for (const n of b.notes ?? []) lines.push(`  note: ${n}`);
  if (b.error && b.status === "infra") lines.push(`  error[${b.error.code}]${b.stage ? ` while ${b.stage}` : ""}: ${b.error.message}`);
  return lines.join("\n");
}

export function renderReport(r: TestReport): string {
  const cases = r.boards.reduce((n, b) => n + b.cases.length, 0);
  const passed = r.boards.reduce((n, b) => n + b.cases.filter((c) => c.status === "pass").length, 0);
  const head = `${r.model.path} (sha256 ${r.model.sha256.slice(0, 12)}…)${r.shard ? `, shard ${r.shard}` : ""}`;
  const what = r.mode === "wakeword" ? "clips" : "cases";
  const tail = `${STATUS[r.status]}: ${passed}/${cases} ${what} passed on ${r.boards.length} board${r.boards.length === 1 ? "" : "s"} in ${num(r.durationMs / 1000, 1)} s`;
  return [head, ...r.boards.map(renderBoard), tail].join("\n\n");
}
