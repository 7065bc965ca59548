// The same test over the MLPerf Tiny (EEMBC) runner protocol, for firmware
// built with `--app eembc` or any DUT that speaks it. The protocol carries
// no model hash and prints results as 0.ddd, so outputs are compared
// dequantized within half a printed digit, and latency is the device's own
// (m-lap-us end − start) / runs, one mean per case.
import { EembcClient } from "../device/eembc-client.js";
import { icountInstructionsPerTick, noAnswer } from "../device/launch.js";
import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import type { LoadedModel } from "../model/load.js";
import type { DeviceSession } from "../session/session.js";
import { errorInfo } from "./case-runner.js";
import { compareWithin, dequantize, describeMismatch } from "./compare.js";
import type { Expectations } from "./expected.js";
import type { TestCase } from "./inputs.js";
import { stats, worst, type BoardRun, type CaseResult } from "./report.js";

/** Half of the last printed digit (0.ddd), plus float32 rounding in the device's printing. */
export const EEMBC_TOLERANCE = 0.0005 + 1e-6;

export interface EembcMode {
  kind: "eembc";
  loaded: LoadedModel;
  cases: TestCase[];
  expect: Expectations;
  runs: number;
  warmup: number;
}

export async function runEembcCases(s: DeviceSession, mode: EembcMode, run: BoardRun, onCase: (c: CaseResult) => void): Promise<void> {
  const graph = mainGraph(mode.loaded.model);
  if (graph.inputs.length !== 1) {
    throw new TinymlError("TML_E_USAGE", `the EEMBC protocol loads one input buffer; this model has ${graph.inputs.length} inputs`);
  }
  const slow = s.target.board.flasher.driver === "qemu";
  const client = new EembcClient(s.line.transport, { timeoutMs: slow ? 15_000 : 5000, inferTimeoutMs: 300_000 });
  try {
    await client.sync(5, slow ? 500 : 200).catch((e: unknown) => {
      throw noAnswer(e, s.target.board, s.line.where);
    });
    const out0 = graph.tensors[graph.outputs[0]!]!;
    const profile = await client.profile();
    run.checks.push({ name: "eembc profile", status: "pass", message: `${profile.firmware}, model ${profile.model}` });
    (run.notes ??= []).push("the EEMBC protocol reports no model hash: the firmware's provenance is not checked; results are compared within the printed precision (0.ddd)");
    for (const c of mode.cases) {
      const t0 = Date.now();
      const result: CaseResult = { name: c.name, inputs: c.sources, status: "pass", retried: false, outputs: [], ticks: [] };
      try {
        await client.load(c.data[0]!);
        const r = await client.infer(mode.runs, mode.warmup);
        result.meanUs = r.latencyUs;
        const expected = dequantize(out0, mode.expect.outputs(c)[0]!);
        const cmp = compareWithin(0, out0, expected, r.results, EEMBC_TOLERANCE);
        result.outputs = [cmp];
        if (!cmp.exact) {
          result.status = "fail";
          result.error = { code: "TML_E_TEST_FAILED", message: describeMismatch(cmp) };
        }
      } catch (e) {
        result.status = "infra";
        result.error = errorInfo(e);
      }
      result.durationMs = Date.now() - t0;
      run.cases.push(result);
      onCase(result);
      if (result.status === "infra") {
        run.error = result.error;
        break;
      }
    }
    const means = run.cases.flatMap((c) => (c.meanUs !== undefined ? [c.meanUs] : []));
    if (means.length > 0) {
      const hz = s.target.board.timer.hz;
      const ticks = means.map((us) => (us * hz) / 1e6);
      const ipt = icountInstructionsPerTick(s.target.board);
      run.latency = {
        runs: means.length * mode.runs, warmup: mode.warmup, ticks: stats(ticks), us: stats(means), clockHz: hz, source: "m-lap-us",
        ...(ipt !== undefined ? { instructions: stats(ticks.map((t) => t * ipt)) } : {}),
      };
    }
    run.status = worst(run.cases.map((c) => c.status));
  } finally {
    await client.close().catch(() => undefined);
  }
}
