// One case on a board speaking the tinyml protocol: load every input,
// invoke (warm-up, then timed runs), read every output back, compare. A
// board that resets mid-case (an unexpected boot HELLO) is re-synchronised
// and the case retried once; any other device error ends the case as an
// infrastructure failure, which the board runner turns into a stop.
import type { DeviceClient } from "../device/client.js";
import { isDeviceResetError } from "../device/client.js";
import { isTinymlError } from "../errors.js";
import type { Graph } from "../model/ir.js";
import { opTypeName } from "../model/ir.js";
import { compareExact, compareFloatUlp, dequantize, describeMismatch } from "./compare.js";
import type { ExpectationSession, Expectations } from "./expected.js";
import type { TestCase } from "./inputs.js";
import { floatMetrics } from "./metrics.js";
import type { CaseResult, OutputComparison } from "./report.js";

export interface CaseOptions {
  runs: number;
  warmup: number;
  /** This board's expectations: a stateful model replays the device's invokes. */
  session: ExpectationSession;
  /** float32 outputs may differ from the host's by this many units in the last place. */
  floatUlp: number;
}

export function errorInfo(e: unknown): { code: string; message: string } {
  return isTinymlError(e) ? { code: e.code, message: e.message } : { code: "TML_E_INTERNAL", message: e instanceof Error ? e.message : String(e) };
}

export async function runCase(client: DeviceClient, graph: Graph, c: TestCase, expect: Expectations, opts: CaseOptions): Promise<CaseResult> {
  const started = Date.now();
  const result: CaseResult = { name: c.name, inputs: c.sources, status: "pass", retried: false, outputs: [], ticks: [] };
  for (;;) {
    try {
      await runOnce(client, graph, c, expect, opts, result);
      break;
    } catch (e) {
      if (isDeviceResetError(e) && !result.retried) {
        result.retried = true;
        result.outputs = [];
        result.ticks = [];
        // hello() opens a new session, which re-initialises the device's model.
        await client.hello();
        opts.session.reset();
        continue;
      }
      result.status = "infra";
      result.error = errorInfo(e);
      break;
    }
  }
  result.durationMs = Date.now() - started;
  return result;
}

async function runOnce(client: DeviceClient, graph: Graph, c: TestCase, expect: Expectations, opts: CaseOptions, result: CaseResult): Promise<void> {
  for (let k = 0; k < c.data.length; k++) await client.loadInput(k, c.data[k]!);
  const inv = await client.invoke({ runs: opts.runs, warmup: opts.warmup });
  result.ticks = inv.ticks;
  if (inv.status !== 0) {
    const op = graph.ops[inv.failedOp];
    result.status = "fail";
    result.error = {
      code: "TML_E_TEST_FAILED",
      message: `the model failed on the device with status ${inv.status} at op ${inv.failedOp}${op ? ` (${opTypeName(op)})` : ""}`,
    };
    return;
  }
  const expected = opts.session.outputs(c, opts.warmup + inv.ticks.length);
  const floats = expect.floatOutputs(c);
  const outputs: OutputComparison[] = [];
  for (let k = 0; k < graph.outputs.length; k++) {
    const t = graph.tensors[graph.outputs[k]!]!;
    const actual = await client.readOutput(k);
    const cmp = t.dtype === "float32" ? compareFloatUlp(k, t, expected[k]!, actual, opts.floatUlp) : compareExact(k, t, expected[k]!, actual);
    const f = floats?.[k];
    if (f) {
      const classes = t.shape.filter((d) => d !== 1);
      cmp.float = floatMetrics(dequantize(t, actual), f, classes.length === 1 && f.length > 1);
    }
    outputs.push(cmp);
  }
  result.outputs = outputs;
  const bad = outputs.filter((o) => !o.exact);
  if (bad.length > 0) {
    result.status = "fail";
    result.error = { code: "TML_E_TEST_FAILED", message: bad.map(describeMismatch).join("; ") };
  }
}
