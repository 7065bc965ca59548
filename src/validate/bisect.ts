// `tinyml test --bisect`: when a device's output differs from the host
// reference (another kernel tree, a compiler flag, a board), name the first
// op whose output differs, with the element, both values and the op's
// parameters. The device shows its intermediate tensors over the protocol:
// an AOT image runs the first k ops (INVOKE_OPS) and the op's output is then
// live in the arena, read by the memory plan's offset (READ_TENSOR); a TFLM
// image built with preserve_all_tensors runs the whole graph once and keeps
// every tensor. The host runs the same input through the reference
// interpreter, which keeps every tensor too, and compares op by op in
// execution order.

import type { DeviceClient } from "../device/client.js";
import { dtypeBytes, typedView } from "../model/dtype.js";
import { mainGraph } from "../model/graph.js";
import { opTypeName, type Model } from "../model/ir.js";
import { prepareReference } from "../reference/interpreter.js";
import { hasState } from "./expected.js";
import type { TestCase } from "./inputs.js";
import type { BisectResult, Divergence } from "./report.js";

export type { BisectResult, Divergence };

function bytesOf(a: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Runs the bisection of case `c` on an open session; the device's model runs the same graph as `model`. */
export async function bisectCase(client: DeviceClient, model: Model, c: TestCase, opts: { runtime: string }): Promise<BisectResult> {
  const g = mainGraph(model);
  // Every partial invoke would move a stateful op's state on: its later outputs differ by design.
  if (hasState(g)) return { case: c.name, checkedOps: 0, unavailable: "the model keeps state across invokes (variables or stateful custom ops), so its ops cannot be replayed one prefix at a time" };
  const reference = prepareReference(model);
  reference.invoke(c.data);
  for (let k = 0; k < c.data.length; k++) await client.loadInput(k, c.data[k]!);
  // TFLM keeps every tensor after one whole invoke; the AOT arena keeps what the last op wrote.
  const wholeGraphOnce = opts.runtime.startsWith("tflm");
  if (wholeGraphOnce) await client.invokeOps(g.ops.length);
  for (const [index, op] of g.ops.entries()) {
    if (!wholeGraphOnce) {
      const r = await client.invokeOps(index + 1);
      if (r.status !== 0) {
        return { case: c.name, checkedOps: index, unavailable: `op ${r.failedOp} failed on the device with status ${r.status} before its output could be read` };
      }
    }
    for (const t of op.outputs) {
      const tensor = g.tensors[t]!;
      const actual = await client.readTensor(t);
      if (actual === null) {
        return {
          case: c.name, checkedOps: index,
          unavailable: wholeGraphOnce
            ? `this TFLM image keeps no intermediate tensors; build it with --bisect (TFLM's preserve_all_tensors)`
            : `the firmware cannot show tensor ${t} '${tensor.name}'`,
        };
      }
      const expected = bytesOf(reference.buffers[t]!);
      if (actual.length === expected.length && Buffer.from(actual).equals(Buffer.from(expected))) continue;
      const size = dtypeBytes(tensor.dtype);
      const want = typedView(tensor.dtype, expected);
      const got = typedView(tensor.dtype, actual.slice(0, Math.floor(actual.length / size) * size));
      let first = -1;
      let mismatches = 0;
      for (let e = 0; e < want.length; e++) {
        if (Number(want[e]) === Number(got[e]) || (Number.isNaN(Number(want[e])) && Number.isNaN(Number(got[e])))) continue;
        mismatches++;
        if (first < 0) first = e;
      }
      if (first < 0) first = Math.min(want.length, got.length);
      return {
        case: c.name, checkedOps: index + 1,
        divergence: {
          op: index, type: opTypeName(op), tensor: t, tensorName: tensor.name, dtype: tensor.dtype, shape: [...tensor.shape],
          element: first, expected: Number(want[first] ?? NaN), actual: Number(got[first] ?? NaN),
          mismatches: Math.max(1, mismatches), elements: want.length, params: reference.params[index],
        },
      };
    }
  }
  return { case: c.name, checkedOps: g.ops.length };
}

/** One line for the terminal. */
export function describeBisect(b: BisectResult): string {
  if (b.unavailable) return `bisect (${b.case}): ${b.unavailable}`;
  const d = b.divergence;
  if (!d) return `bisect (${b.case}): every op's output equals the reference (${b.checkedOps} ops)`;
  return `bisect (${b.case}): op ${d.op} ${d.type} is the first to differ: tensor ${d.tensor} '${d.tensorName}' ${d.dtype} [${d.shape.join(", ")}], ` +
    `element ${d.element}: expected ${d.expected}, got ${d.actual} (${d.mismatches} of ${d.elements} elements differ)`;
}
