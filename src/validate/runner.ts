// `tinyml test`'s engine: the same cases on every target board, in
// parallel (one device each), into one TestReport. A board's stages are
// launching (infra on failure), checking the firmware's provenance (fail),
// then the cases; an infrastructure error stops that board and no other.
import type { Board } from "../boards/board.js";
import { openDevice, type OpenDeviceOptions } from "../device/launch.js";
import { mainGraph } from "../model/graph.js";
import { opTypeName } from "../model/ir.js";
import type { LoadedModel } from "../model/load.js";
import { tinymlVersion } from "../paths.js";
import { errorInfo, runCase } from "./case-runner.js";
import { runEembcBoard } from "./eembc-runner.js";
import type { Expectations } from "./expected.js";
import { firmwareChecks } from "./firmware-checks.js";
import type { TestCase } from "./inputs.js";
import { latencySummary, opProfile } from "./latency.js";
import { meanMetrics } from "./metrics.js";
import { worst, type BoardRun, type CaseResult, type TestReport } from "./report.js";

export interface TestTarget {
  /** The rig entry id, or the board id. */
  id: string;
  board: Board;
  /** The firmware to run: the host executable or the ELF to boot or already flashed. */
  image: string;
  port?: string;
  /** The command that rebuilds this firmware, for stale-firmware messages. */
  rebuild: string;
  /** Runs first, e.g. flashing a real board; a failure is an infrastructure failure of this board. */
  prepare?: () => Promise<void>;
}

export interface RunOptions {
  loaded: LoadedModel;
  cases: TestCase[];
  expect: Expectations;
  runs: number;
  warmup: number;
  profile: boolean;
  protocol: "tinyml" | "eembc";
  shard?: string;
  open?: OpenDeviceOptions;
  /** Called after every case (progress bars). */
  onCase?: (target: TestTarget, result: CaseResult) => void;
}

export async function runTest(targets: readonly TestTarget[], opts: RunOptions): Promise<TestReport> {
  const started = Date.now();
  const boards = await Promise.all(targets.map((t) => (opts.protocol === "eembc" ? runEembcBoard(t, opts) : runBoard(t, opts))));
  return {
    tinyml: tinymlVersion,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    model: { path: opts.loaded.path, sha256: opts.loaded.sha256, format: opts.loaded.format },
    ...(opts.shard ? { shard: opts.shard } : {}),
    boards,
    status: worst(boards.map((b) => b.status)),
  };
}

export function emptyRun(target: TestTarget, protocol: "tinyml" | "eembc"): BoardRun {
  return {
    id: target.id, board: target.board.id, ...(target.port ? { port: target.port } : {}), status: "pass",
    checks: [], cases: [], durationMs: 0, startedAt: new Date().toISOString(), protocol,
  };
}

/** Float metrics averaged per output over the cases that have them. */
export function floatSummary(cases: readonly CaseResult[]): BoardRun["float"] {
  const first = cases.find((c) => c.outputs.some((o) => o.float));
  if (!first) return undefined;
  return first.outputs.flatMap((o) => {
    const m = meanMetrics(cases.flatMap((c) => (c.outputs[o.index]?.float ? [c.outputs[o.index]!.float!] : [])));
    return m ? [{ index: o.index, name: o.name, metrics: m }] : [];
  });
}

export async function runBoard(target: TestTarget, opts: RunOptions): Promise<BoardRun> {
  const started = Date.now();
  const run = emptyRun(target, "tinyml");
  const graph = mainGraph(opts.loaded.model);
  let session;
  try {
    await target.prepare?.();
    session = await openDevice(target.board, target.image, { ...opts.open, port: target.port });
  } catch (e) {
    run.status = "infra";
    run.error = errorInfo(e);
    run.durationMs = Date.now() - started;
    return run;
  }
  try {
    const info = await session.client.info();
    run.port ??= session.line.where;
    run.firmware = {
      board: info.boardId, runtime: info.runtime, tinymlVersion: info.tinymlVersion, modelSha256: info.modelSha256,
      arenaBytes: info.arenaBytes, timerHz: info.timerHz, protocolVersion: info.protocolVersion,
    };
    run.checks = firmwareChecks(info, target.board, opts.loaded, graph, target.rebuild);
    if (run.checks.some((c) => c.status !== "pass")) {
      run.status = "fail";
      return run;
    }
    const expectations = opts.expect.session();
    for (const c of opts.cases) {
      const result = await runCase(session.client, graph, c, opts.expect, { runs: opts.runs, warmup: opts.warmup, session: expectations });
      run.cases.push(result);
      opts.onCase?.(target, result);
      if (result.status === "infra") {
        run.error = result.error;
        break;
      }
    }
    if (opts.profile && run.cases.length > 0 && run.cases.every((c) => c.status === "pass")) {
      // The last case's input is still loaded: profile one invoke of it.
      const p = await session.client.profile();
      if (p.ticks.length > 0) run.profile = opProfile(p.ticks, graph.ops.map(opTypeName), info.timerHz);
      else (run.notes ??= []).push("--profile: this firmware reports no per-op timings (its generated model registers no profiled invoke)");
    }
    run.latency = latencySummary(run.cases, opts.warmup, info.timerHz, session.line.instructionsPerTick);
    if (run.latency) run.latency.source = "ticks";
    run.float = floatSummary(run.cases);
    run.status = worst(run.cases.map((c) => c.status));
    const s = session.client.stats;
    run.link = { requests: s.requests, retransmits: s.retransmits + s.fastRetransmits, timeouts: s.timeouts, naks: s.naks };
  } catch (e) {
    run.status = "infra";
    run.error = errorInfo(e);
  } finally {
    await session.close().catch(() => undefined);
    run.durationMs = Date.now() - started;
  }
  return run;
}
