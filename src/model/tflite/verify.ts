// The meaning-level checks run on every model before any stage uses it:
// shapes, buffer sizes, quantization parameters, indices, op arity and
// execution order. The flatbuffer layer already guarantees the structure is
// in bounds; this layer guarantees the graph is one a kernel can run.

import { TinymlError } from "../../errors.js";
import { dtypeBytes } from "../dtype.js";
import type { Graph, Model, Tensor } from "../ir.js";
import { OPS } from "../ops.js";
import { MAX_RANK } from "./schema.js";

const MAX_ELEMENTS = 2 ** 31 - 1;

export function verifyModel(model: Model, file?: string): void {
  const fail = (what: string, where: string): never => {
    throw new TinymlError("TML_E_MODEL_INVALID", `invalid model: ${what}`, {
      location: { file, detail: where },
      hint: "The model is corrupt or was written by a broken converter. Re-export it and try again.",
    });
  };
  if (model.graphs.length === 0) fail("the model has no subgraphs", "model");
  model.graphs.forEach((g, gi) => verifyGraph(g, `subgraph ${gi}`, fail));
  if (model.graphs[0]!.ops.length === 0) fail("the main graph has no operators (an empty graph)", "subgraph 0");
}

function verifyGraph(g: Graph, where: string, fail: (what: string, where: string) => never): void {
  const n = g.tensors.length;
  g.tensors.forEach((t, i) => verifyTensor(t, `${where}, tensor ${i} '${t.name}'`, fail));

  const checkIndex = (idx: number, allowOmitted: boolean, at: string): void => {
    if (!Number.isInteger(idx) || idx >= n || idx < (allowOmitted ? -1 : 0)) {
      fail(`tensor index ${idx} is out of range (the graph has ${n} tensors)`, at);
    }
  };
  g.inputs.forEach((i) => checkIndex(i, false, `${where} inputs`));
  g.outputs.forEach((i) => checkIndex(i, false, `${where} outputs`));

  // A tensor is ready once it is constant, a graph input, a variable, or the
  // output of an earlier op: TFLite Micro runs ops in stored order.
  const ready = new Uint8Array(n);
  g.tensors.forEach((t, i) => {
    if (t.data || t.isVariable) ready[i] = 1;
  });
  for (const i of g.inputs) ready[i] = 1;

  g.ops.forEach((op, oi) => {
    const at = `${where}, op ${oi} (${op.kind === "builtin" ? op.type : `CUSTOM:${op.name}`})`;
    if (op.kind === "builtin") {
      const spec = OPS[op.type];
      const [minIn, maxIn] = spec.inputs;
      const [minOut, maxOut] = spec.outputs;
      if (op.inputs.length < minIn || op.inputs.length > maxIn) {
        fail(`${op.type} takes ${minIn === maxIn ? minIn : `${minIn}-${maxIn}`} input(s), got ${op.inputs.length}`, at);
      }
      if (op.outputs.length < minOut || op.outputs.length > maxOut) {
        fail(`${op.type} produces ${minOut} output(s), got ${op.outputs.length}`, at);
      }
    }
    op.inputs.forEach((i) => checkIndex(i, true, `${at} inputs`));
    op.outputs.forEach((i) => checkIndex(i, false, `${at} outputs`));
    op.intermediates?.forEach((i) => checkIndex(i, false, `${at} intermediates`));
    for (const i of op.inputs) {
      if (i >= 0 && !ready[i]) fail(`input tensor ${i} '${g.tensors[i]!.name}' is used before any op produces it`, at);
    }
    for (const i of op.outputs) ready[i] = 1;
  });
  for (const i of g.outputs) {
    if (!ready[i]) fail(`graph output tensor ${i} '${g.tensors[i]!.name}' is never produced`, `${where} outputs`);
  }
}

function verifyTensor(t: Tensor, where: string, fail: (what: string, where: string) => never): void {
  if (t.shape.length > MAX_RANK) fail(`rank ${t.shape.length} exceeds the maximum of ${MAX_RANK}`, where);
  let elements = 1;
  for (const d of t.shape) {
    if (!Number.isInteger(d) || d < 0) fail(`shape [${t.shape.join(", ")}] has a negative dimension`, where);
    elements *= d;
    if (elements > MAX_ELEMENTS) fail(`shape [${t.shape.join(", ")}] has more than 2^31-1 elements`, where);
  }
  if (t.data) {
    const expected = elements * dtypeBytes(t.dtype);
    if (t.data.byteLength !== expected) {
      fail(`buffer holds ${t.data.byteLength} bytes but shape [${t.shape.join(", ")}] of ${t.dtype} needs ${expected}`, where);
    }
  }
  const q = t.quantization;
  if (q && q.scale.length > 0) {
    if (q.zeroPoint.length !== q.scale.length) {
      fail(`quantization has ${q.scale.length} scale(s) but ${q.zeroPoint.length} zero point(s)`, where);
    }
    if (q.scale.some((s) => !Number.isFinite(s) || s < 0)) fail("a quantization scale is negative, NaN or infinite", where);
    if (q.zeroPoint.some((z) => !Number.isInteger(z))) fail("a quantization zero point does not fit in int32", where);
    if (q.scale.length > 1) {
      // Converters copy the filter's quantized dimension (3) onto rank-1
      // biases; TFLite Micro accepts that, so a rank-1 tensor is read along
      // its only axis whatever the stored value (see quantizedAxis()).
      const axis = t.shape.length === 1 ? 0 : q.axis;
      if (!Number.isInteger(axis) || axis < 0 || axis >= t.shape.length) {
        fail(`quantized dimension ${q.axis} is out of range for rank ${t.shape.length}`, where);
      }
      if (t.shape[axis] !== q.scale.length) {
        fail(`${q.scale.length} per-channel scales for dimension ${axis} of size ${t.shape[axis]}`, where);
      }
    }
  }
}
