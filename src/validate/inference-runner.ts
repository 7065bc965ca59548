// Inference cases on a board speaking the tinyml protocol: the firmware's
// provenance first (a stale flash fails loudly), then every case compared
// with the bit-exact host reference, then latency, the per-op profile and
// float metrics.

import { DeviceClient } from "../device/client.js";
import { noAnswer } from "../device/launch.js";
import type { DeviceSession } from "../session/session.js";
import { mainGraph } from "../model/graph.js";
import { opMacs } from "../model/macs.js";
import { opTypeName } from "../model/ir.js";
import type { LoadedModel } from "../model/load.js";
import { bisectCase } from "./bisect.js";
import { runCase } from "./case-runner.js";
import { DEFAULT_FLOAT_ULP } from "./compare.js";
import type { Expectations } from "./expected.js";
import { firmwareChecks } from "./firmware-checks.js";
import type { TestCase } from "./inputs.js";
import { latencySummary, opProfile } from "./latency.js";
import { meanMetrics } from "./metrics.js";
import { worst, type BoardRun, type CaseResult } from "./report.js";

export interface InferenceMode {
  kind: "inference";
  loaded: LoadedModel;
  cases: TestCase[];
  expect: Expectations;
  runs: number;
  warmup: number;
  profile: boolean;
  /** Find the first op whose output differs (on the first failing case, else the first case). */
  bisect?: boolean;
  /** float32 outputs may differ from the host's by this many units in the last place (default DEFAULT_FLOAT_ULP). */
  floatUlp?: number;
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

export async function runInferenceCases(s: DeviceSession, mode: InferenceMode, run: BoardRun, onCase: (c: CaseResult) => void): Promise<void> {
  const graph = mainGraph(mode.loaded.model);
  const client = await DeviceClient.connect(s.line.transport, s.client).catch((e: unknown) => {
    throw noAnswer(e, s.target.board, s.line.where);
  });
  try {
    const info = await client.info();
    run.firmware = {
      board: info.boardId, runtime: info.runtime, tinymlVersion: info.tinymlVersion, modelSha256: info.modelSha256,
      arenaBytes: info.arenaBytes, timerHz: info.timerHz, protocolVersion: info.protocolVersion,
    };
    run.checks = firmwareChecks(info, s.target.board, mode.loaded, graph, s.firmware.rebuild);
    if (run.checks.some((c) => c.status !== "pass")) {
      run.status = "fail";
      return;
    }
    const expectations = mode.expect.session();
    for (const c of mode.cases) {
      const result = await runCase(client, graph, c, mode.expect, { runs: mode.runs, warmup: mode.warmup, session: expectations, floatUlp: mode.floatUlp ?? DEFAULT_FLOAT_ULP });
      run.cases.push(result);
      onCase(result);
      if (result.status === "infra") {
        run.error = result.error;
        break;
      }
    }
    if (mode.profile && run.cases.length > 0 && run.cases.every((c) => c.status === "pass")) {
      // The last case's input is still loaded: profile one invoke of it.
      const p = await client.profile();
      if (p.ticks.length > 0) {
        const ipt = s.line.instructionsPerTick;
        run.profile = opProfile(p.ticks, graph.ops.map(opTypeName), info.timerHz, { macs: graph.ops.map((op) => opMacs(graph, op)), ...(ipt !== undefined ? { instructionsPerTick: ipt } : {}) });
      }
      else (run.notes ??= []).push("--profile: this firmware reports no per-op timings (its generated model registers no profiled invoke)");
    }
    if (mode.bisect && run.cases.length > 0 && !run.cases.some((c) => c.status === "infra")) {
      const failed = run.cases.find((c) => c.status === "fail");
      const c = mode.cases.find((k) => k.name === (failed ?? run.cases[0]!).name)!;
      run.bisect = await bisectCase(client, mode.loaded.model, c, { runtime: info.runtime });
    }
    run.latency = latencySummary(run.cases, mode.warmup, info.timerHz, s.line.instructionsPerTick);
    if (run.latency) run.latency.source = "ticks";
    run.float = floatSummary(run.cases);
    run.status = worst(run.cases.map((c) => c.status));
    const st = client.stats;
    run.link = { requests: st.requests, retransmits: st.retransmits + st.fastRetransmits, timeouts: st.timeouts, naks: st.naks };
  } finally {
    await client.close().catch(() => undefined);
  }
}
