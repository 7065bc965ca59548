// The same test over the MLPerf Tiny (EEMBC) runner protocol, for firmware
// built with `--app eembc` or any DUT that speaks it. The protocol carries
// no model hash and prints results as 0.ddd, so outputs are compared
// dequantized within half a printed digit, and latency is the device's own
// (m-lap-us end − start) / runs, one mean per case.
import { openEembcDevice } from "../device/launch.js";
import { icountInstructionsPerTick } from "../device/launch.js";
import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import { errorInfo } from "./case-runner.js";
import { compareWithin, dequantize, describeMismatch } from "./compare.js";
import { stats, worst, type BoardRun, type CaseResult } from "./report.js";
import { emptyRun, type RunOptions, type TestTarget } from "./runner.js";

/** Half of the last printed digit (0.ddd), plus float32 rounding in the device's printing. */
export const EEMBC_TOLERANCE = 0.0005 + 1e-6;

export async function runEembcBoard(target: TestTarget, opts: RunOptions): Promise<BoardRun> {
  const started = Date.now();
  const run = emptyRun(target, "eembc");
  const graph = mainGraph(opts.loaded.model);
  if (graph.inputs.length !== 1) {
    run.status = "infra";
    run.error = errorInfo(new TinymlError("TML_E_USAGE", `the EEMBC protocol loads one input buffer; this model has ${graph.inputs.length} inputs`));
    return run;
  }
  let session;
  try {
    await target.prepare?.();
    session = await openEembcDevice(target.board, target.image, { ...opts.open, port: target.port });
  } catch (e) {
    run.status = "infra";
    run.error = errorInfo(e);
    run.durationMs = Date.now() - started;
    return run;
  }
  const out0 = graph.tensors[graph.outputs[0]!]!;
  try {
    run.port ??= session.line.where;
    const profile = await session.client.profile();
    run.checks.push({ name: "eembc profile", status: "pass", message: `${profile.firmware}, model ${profile.model}` });
    (run.notes ??= []).push("the EEMBC protocol reports no model hash: the firmware's provenance is not checked; results are compared within the printed precision (0.ddd)");
    for (const c of opts.cases) {
      const t0 = Date.now();
      const result: CaseResult = { name: c.name, inputs: c.sources, status: "pass", retried: false, outputs: [], ticks: [] };
      try {
        await session.client.load(c.data[0]!);
        const r = await session.client.infer(opts.runs, opts.warmup);
        result.meanUs = r.latencyUs;
        const expected = dequantize(out0, opts.expect.outputs(c)[0]!);
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
      opts.onCase?.(target, result);
      if (result.status === "infra") {
        run.error = result.error;
        break;
      }
    }
    const means = run.cases.flatMap((c) => (c.meanUs !== undefined ? [c.meanUs] : []));
    if (means.length > 0) {
      const hz = target.board.timer.hz;
      const ticks = means.map((us) => (us * hz) / 1e6);
      const ipt = icountInstructionsPerTick(target.board);
      run.latency = {
        runs: means.length * opts.runs, warmup: opts.warmup, ticks: stats(ticks), us: stats(means), clockHz: hz, source: "m-lap-us",
        ...(ipt !== undefined ? { instructions: stats(ticks.map((t) => t * ipt)) } : {}),
      };
    }
    run.status = worst(run.cases.map((c) => c.status));
  } catch (e) {
    run.status = "infra";
    run.error = errorInfo(e);
  } finally {
    await session.close().catch(() => undefined);
    run.durationMs = Date.now() - started;
  }
  return run;
}
