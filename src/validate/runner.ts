// `tinyml test`'s engine, for every test mode: the same work on every target
// board, in parallel (one device session each), into one TestReport. What
// happens on a board is the mode's body (inference cases, the EEMBC
// protocol, a wake-word stream); the session around it (src/session/) flashes
// or boots, opens, closes, and names the stage of an infrastructure failure,
// which stops that board and no other.

import { withSession, SessionError, type DeviceSession, type SessionOptions } from "../session/session.js";
import type { PreparedFirmware } from "../session/firmware.js";
import type { SessionTarget } from "../session/target.js";
import { tinymlVersion } from "../paths.js";
import { buildProvenance } from "./build-provenance.js";
import { errorInfo } from "./case-runner.js";
import { runEembcCases, type EembcMode } from "./eembc-runner.js";
import { runInferenceCases, type InferenceMode } from "./inference-runner.js";
import { worst, type BoardRun, type CaseResult, type TestMode, type TestReport } from "./report.js";
import { runWakewordStream, type WakewordMode } from "./wakeword-runner.js";

export type RunMode = InferenceMode | EembcMode | WakewordMode;

export interface RunTarget extends SessionTarget {
  firmware: PreparedFirmware;
}

export interface RunOptions {
  session: SessionOptions;
  shard?: string;
  /** The model the report is about (the firmware's own model). */
  model: { path: string; sha256: string; format: string };
  /** Called after every case (progress). */
  onCase?: (target: RunTarget, result: CaseResult) => void;
}

export function emptyRun(target: SessionTarget, mode: TestMode): BoardRun {
  return {
    id: target.id, board: target.board.id, ...(target.port ? { port: target.port } : {}), status: "pass",
    checks: [], cases: [], durationMs: 0, startedAt: new Date().toISOString(), protocol: mode === "eembc" ? "eembc" : "tinyml",
  };
}

function body(mode: RunMode): (s: DeviceSession, run: BoardRun, onCase: (c: CaseResult) => void) => Promise<void> {
  switch (mode.kind) {
    case "inference":
      return (s, run, onCase) => runInferenceCases(s, mode, run, onCase);
    case "eembc":
      return (s, run, onCase) => runEembcCases(s, mode, run, onCase);
    case "wakeword":
      return (s, run, onCase) => runWakewordStream(s, mode, run, onCase);
  }
}

/** One target's run in its own device session (runTest runs every target this way, in parallel). */
export async function runBoard(target: RunTarget, mode: RunMode, opts: Pick<RunOptions, "session" | "onCase">): Promise<BoardRun> {
  const started = Date.now();
  const run = emptyRun(target, mode.kind);
  if (target.firmware.built) run.build = buildProvenance(target.firmware.built);
  try {
    await withSession(target, target.firmware, opts.session, async (s) => {
      run.port ??= s.line.where;
      await body(mode)(s, run, (c) => opts.onCase?.(target, c));
    });
  } catch (e) {
    run.status = "infra";
    const cause = e instanceof SessionError ? e.error : e;
    run.error = errorInfo(cause);
    if (e instanceof SessionError) run.stage = e.stage;
  }
  run.durationMs = Date.now() - started;
  return run;
}

export async function runTest(targets: readonly RunTarget[], mode: RunMode, opts: RunOptions): Promise<TestReport> {
  const started = Date.now();
  const boards = await Promise.all(targets.map((t) => runBoard(t, mode, opts)));
  return {
    tinyml: tinymlVersion,
    mode: mode.kind,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    model: opts.model,
    ...(opts.shard ? { shard: opts.shard } : {}),
    boards,
    status: worst(boards.map((b) => b.status)),
  };
}
