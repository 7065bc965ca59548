// A wake-word run as the tests read it: one board's run of a TestReport (the
// CLI's --json) or a BoardRun, with its wake-word summary flattened in.
import type { BoardRun, TestReport, WakewordBoardSummary } from "../../src/validate/report.js";

export type WakewordView = WakewordBoardSummary & { status: BoardRun["status"]; where: string | undefined; run: BoardRun };

export function wakewordView(r: TestReport | BoardRun): WakewordView {
  const run = "boards" in r ? r.boards[0]! : r;
  if (!run.wakeword) throw new Error(`no wake-word summary in the run (status ${run.status}: ${run.error?.message ?? "no error"})`);
  return { ...run.wakeword, status: run.status, where: run.port, run };
}
