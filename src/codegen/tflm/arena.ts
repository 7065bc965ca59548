// The TFLM arena size: tinyml's plan of the tensors plus an estimate of what
// the interpreter itself keeps in the arena (TfLiteEvalTensor per tensor,
// node and registration per op, each kernel's OpData with its per-channel
// multiplier/shift arrays, signal ops' persistent state). The coefficients
// are fitted to TFLM's arena_used_bytes() on a 64-bit host for the shared
// models (test/fixtures/golden/*.json) so the estimate covers each of them;
// 32-bit targets need less. The generated code reports the real figure.

import type { Graph } from "../../model/ir.js";
import { alignUp } from "../plan/index.js";

const BASE_BYTES = 1024;
const PER_TENSOR_BYTES = 48;
const PER_OP_BYTES = 128;
/** OpData keeps an int32 multiplier and an int32 shift per output channel. */
const PER_CHANNEL_BYTES = 8;
const PER_CUSTOM_OP_BYTES = 384;
const PER_CHANNEL_OPS: ReadonlySet<string> = new Set(["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"]);

export function tflmOverheadBytes(g: Graph): number {
  let channels = 0;
  let customs = 0;
  for (const op of g.ops) {
    if (op.kind === "custom") customs++;
    else if (PER_CHANNEL_OPS.has(op.type)) {
      const y = g.tensors[op.outputs[0] ?? -1];
      channels += y?.shape[y.shape.length - 1] ?? 0;
    }
  }
  return BASE_BYTES + PER_TENSOR_BYTES * g.tensors.length + PER_OP_BYTES * g.ops.length +
    PER_CHANNEL_BYTES * channels + PER_CUSTOM_OP_BYTES * customs;
}

export function tflmArenaBytes(g: Graph, planBytes: number): number {
  return alignUp(planBytes + tflmOverheadBytes(g));
}
