// Float32 IR → int8 IR, the way TensorFlow Lite's post-training integer
// quantization does it: activations get asymmetric per-tensor parameters
// from their calibrated ranges (or the fixed/shared parameters op-rules.ts
// demands), weights become symmetric per-channel int8 and biases int32, and
// the model's inputs and outputs are int8 (or float with QUANTIZE/DEQUANTIZE
// at the edges). Tensor indices of the float model keep their meaning in the
// int8 model; new tensors are appended, so the two can be compared tensor by
// tensor.

import { TinymlError } from "../errors.js";
import { bytesOf, typedView } from "../model/dtype.js";
import { mainGraph } from "../model/graph.js";
import { opTypeName, type BuiltinOp, type Graph, type Model, type Op, type Quantization, type Tensor } from "../model/ir.js";
import { defaultOptions } from "../model/ops.js";
import type { Range } from "./calibrate.js";
import { DEQUANTIZE_INT8_VERSION, OP_RULES, QUANTIZE_VERSION } from "./op-rules.js";
import { activationParams, quantizeBias, quantizeConstant, quantizeWeightsPerChannel, type AffineParams } from "./params.js";

export type IoType = "int8" | "float";

export interface QuantizeOptions {
  io: IoType;
  /** The int8 input's parameters, instead of its calibrated range (see src/model/tinyml-metadata.ts). */
  inputQuantization?: AffineParams;
  /** Parameters the model already states (a QDQ model), used instead of calibrated or computed ones. */
  given?: GivenQuantization;
}

export interface GivenQuantization {
  /** An activation's int8 parameters. */
  activation(t: Tensor): AffineParams | undefined;
  /** A float constant's int8 form: values in the tensor's order, per-tensor or per-`axis` parameters. */
  constant(t: Tensor): { values: Int8Array; scale: number[]; zeroPoint: number[]; axis: number } | undefined;
}

export interface QuantizeResult {
  model: Model;
  /** Things TFLite would also do silently, said out loud (constant activations). */
  warnings: string[];
}

function failed(message: string, detail?: string, hint?: string): never {
  throw new TinymlError("TML_E_QUANTIZE_FAILED", message, { location: detail ? { detail } : undefined, hint });
}

function perTensor(p: AffineParams): Quantization {
  return { scale: [p.scale], zeroPoint: [p.zeroPoint], axis: 0 };
}

function floats(t: Tensor): Float32Array {
  return typedView("float32", t.data!).slice();
}

function sameParams(a: AffineParams, b: AffineParams): boolean {
  return a.scale === b.scale && a.zeroPoint === b.zeroPoint;
}

function checkQuantizable(g: Graph): void {
  if (g.inputs.length === 0) {
    throw new TinymlError("TML_E_MODEL_INVALID", "the model has no inputs, so there is nothing to calibrate", {
      hint: "Export the model with its input tensor(s).",
    });
  }
  for (const i of g.inputs) {
    const t = g.tensors[i]!;
    if (t.dtype !== "float32") {
      throw new TinymlError("TML_E_QUANTIZE_FAILED", `input '${t.name}' is ${t.dtype}: tinyml quantizes float32 models`, {
        hint: "This model looks quantized already; give the float model.",
      });
    }
  }
  g.ops.forEach((op, k) => {
    if (op.kind !== "builtin" || !OP_RULES[op.type]) {
      failed(`op ${k} (${opTypeName(op)}) has no int8 quantization rule`, `subgraph 0, op ${k} (${opTypeName(op)})`,
        `tinyml quantizes: ${Object.keys(OP_RULES).sort().join(", ")}.`);
    }
  });
}

/** Quantizes the first graph of a float model with calibrated activation ranges (by tensor index). */
export function quantizeModel(model: Model, ranges: Map<number, Range>, opts: QuantizeOptions): QuantizeResult {
  const g = mainGraph(model);
  checkQuantizable(g);
  const warnings: string[] = [];
  const tensors: Tensor[] = g.tensors.map((t) => ({ ...t, shape: [...t.shape] }));
  const params = new Map<number, AffineParams>();

  const given = opts.given;
  const calibratedParams = (i: number): AffineParams => {
    const stated = given?.activation(g.tensors[i]!);
    if (stated) return { ...stated };
    const r = ranges.get(i);
    if (!r || !Number.isFinite(r.min) || !Number.isFinite(r.max)) failed(`tensor ${i} '${g.tensors[i]!.name}' has no calibrated range`);
    const p = activationParams(r.min, r.max);
    if (r.min === r.max) {
      warnings.push(`activation '${g.tensors[i]!.name}' is constant (${r.min}) over the calibration set; ` +
        `quantized with ${p.degenerate ? "scale 1, zero point -128 as TFLite does" : `scale ${p.scale}`} — check the calibration data`);
    }
    return { scale: p.scale, zeroPoint: p.zeroPoint };
  };
  const activation = (i: number, p: AffineParams): void => {
    params.set(i, p);
    tensors[i] = { ...tensors[i]!, dtype: "int8", quantization: perTensor(p) };
  };
  // Where TFLite's kernel fixes an output's parameters, they win over stated ones: said out loud.
  const ruled = (i: number, p: AffineParams, type: string): AffineParams => {
    const stated = given?.activation(g.tensors[i]!);
    if (stated && !sameParams(stated, p)) {
      warnings.push(`${type} output '${g.tensors[i]!.name}' takes scale ${p.scale}, zero point ${p.zeroPoint} as TFLite's int8 ${type} requires (the model states ${stated.scale}, ${stated.zeroPoint})`);
    }
    return p;
  };
  const inputParams = (op: Op, k: number): AffineParams => {
    const p = params.get(op.inputs[k]!);
    if (!p) failed(`op ${opTypeName(op)} reads tensor '${g.tensors[op.inputs[k]!]!.name}' before it is quantized`);
    return p;
  };

  for (const i of g.inputs) activation(i, opts.inputQuantization ? { ...opts.inputQuantization } : calibratedParams(i));
  const quantizedConsts = new Set<number>();
  const ops: Op[] = [];
  for (const src of g.ops as BuiltinOp[]) {
    const rule = OP_RULES[src.type]!;
    const op = { ...src, inputs: [...src.inputs], outputs: [...src.outputs], version: rule.int8Version } as BuiltinOp;
    const out = op.outputs[0]!;
    // Constants first: the bias scale needs the input's parameters.
    if (rule.weightsAxis !== undefined) quantizeWeights(op, rule.weightsAxis);
    op.inputs.forEach((ti, k) => {
      const t = g.tensors[ti];
      if (ti < 0 || !t?.data || t.dtype !== "float32" || (rule.weightsAxis !== undefined && k > 0)) return;
      if (quantizedConsts.has(ti)) return;
      const stated = given?.constant(t);
      if (stated && stated.scale.length === 1) {
        const p = { scale: stated.scale[0]!, zeroPoint: stated.zeroPoint[0]! };
        tensors[ti] = { ...t, dtype: "int8", data: bytesOf(stated.values), quantization: perTensor(p) };
        params.set(ti, p);
        quantizedConsts.add(ti);
        return;
      }
      const q = quantizeConstant(floats(t));
      tensors[ti] = { ...t, dtype: "int8", data: bytesOf(q.values), quantization: perTensor(q.params) };
      params.set(ti, q.params);
      quantizedConsts.add(ti);
    });
    if (rule.output.kind === "fixed") activation(out, ruled(out, rule.output.params, src.type));
    else if (rule.output.kind === "sameAsInput") activation(out, ruled(out, inputParams(op, 0), src.type));
    else activation(out, calibratedParams(out));
    if (rule.inputsShareOutput) requantizeInputs(op);
    ops.push(op);
  }

  function quantizeWeights(op: BuiltinOp, axis: number): void {
    const [, fi, bi] = op.inputs as [number, number, number | undefined];
    const filter = g.tensors[fi]!;
    if (!filter.data || filter.dtype !== "float32") failed(`${op.type} '${g.tensors[op.outputs[0]!]!.name}' has non-constant float weights`);
    const inScale = inputParams(op, 0).scale;
    const bias = bi !== undefined && bi >= 0 ? g.tensors[bi] : undefined;
    const biasValues = bias?.data ? floats(bias) : undefined;
    const w = statedWeights(filter, axis, op) ?? quantizeWeightsPerChannel(floats(filter), filter.shape, axis, biasValues, inScale);
    const channels = w.scales.length;
    const target = quantizedConsts.has(fi) ? appendCopy(fi) : fi;
    tensors[target] = {
      ...filter, dtype: "int8", data: bytesOf(w.values),
      quantization: { scale: w.scales, zeroPoint: new Array<number>(channels).fill(0), axis },
    };
    quantizedConsts.add(target);
    op.inputs[1] = target;
    if (bias && biasValues && bi !== undefined) {
      const b = quantizeBias(biasValues, inScale, w.scales);
      const bt = quantizedConsts.has(bi) ? appendCopy(bi) : bi;
      tensors[bt] = {
        ...bias, dtype: "int32", data: bytesOf(b.values),
        quantization: { scale: b.scales, zeroPoint: new Array<number>(channels).fill(0), axis: 0 },
      };
      quantizedConsts.add(bt);
      op.inputs[2] = bt;
    }
  }

  /** A QDQ model's own int8 weights: symmetric (TFLite's int8 kernels need zero points of 0), per tensor or along `axis`. */
  function statedWeights(filter: Tensor, axis: number, op: BuiltinOp): { values: Int8Array; scales: number[] } | undefined {
    const w = given?.constant(filter);
    if (!w) return undefined;
    if (w.zeroPoint.some((z) => z !== 0)) {
      failed(`${op.type} '${g.tensors[op.outputs[0]!]!.name}' has weights with non-zero zero points`, undefined,
        "TFLite's int8 kernels need symmetric weights: quantize the model with symmetric weights (onnxruntime: WeightSymmetric=True).");
    }
    const channels = filter.shape[axis]!;
    if (w.scale.length === 1) return { values: w.values, scales: new Array<number>(channels).fill(w.scale[0]!) };
    if (w.axis !== axis || w.scale.length !== channels) {
      failed(`${op.type} '${g.tensors[op.outputs[0]!]!.name}' has weights quantized along axis ${w.axis}; TFLite's kernel needs per-channel scales along its output channels`);
    }
    return { values: w.values, scales: [...w.scale] };
  }

  function appendCopy(i: number): number {
    tensors.push({ ...g.tensors[i]!, name: `${g.tensors[i]!.name}/${tensors.length}` });
    return tensors.length - 1;
  }

  // TFLM's int8 CONCATENATION copies bytes, so each input with other
  // parameters is requantized to the output's first (QUANTIZE int8→int8).
  function requantizeInputs(op: BuiltinOp): void {
    const outP = params.get(op.outputs[0]!)!;
    op.inputs = op.inputs.map((ti) => {
      const p = params.get(ti)!;
      if (sameParams(p, outP)) return ti;
      const src = tensors[ti]!;
      tensors.push({ name: `${src.name}/requantized`, dtype: "int8", shape: [...src.shape], quantization: perTensor(outP), isVariable: false });
      const rq = tensors.length - 1;
      params.set(rq, outP);
      ops.push({ kind: "builtin", type: "QUANTIZE", inputs: [ti], outputs: [rq], version: QUANTIZE_VERSION.requantize, options: defaultOptions("QUANTIZE") });
      return rq;
    });
  }

  let inputs = [...g.inputs];
  let outputs = [...g.outputs];
  if (opts.io === "float") {
    const front: Op[] = [];
    inputs = g.inputs.map((i) => {
      tensors.push({ ...g.tensors[i]!, quantization: undefined });
      tensors[i] = { ...tensors[i]!, name: `${g.tensors[i]!.name}_int8` };
      const f = tensors.length - 1;
      front.push({ kind: "builtin", type: "QUANTIZE", inputs: [f], outputs: [i], version: QUANTIZE_VERSION.fromFloat, options: defaultOptions("QUANTIZE") });
      return f;
    });
    outputs = g.outputs.map((o) => {
      tensors.push({ ...g.tensors[o]!, quantization: undefined });
      tensors[o] = { ...tensors[o]!, name: `${g.tensors[o]!.name}_int8` };
      const f = tensors.length - 1;
      ops.push({ kind: "builtin", type: "DEQUANTIZE", inputs: [o], outputs: [f], version: DEQUANTIZE_INT8_VERSION, options: defaultOptions("DEQUANTIZE") });
      return f;
    });
    ops.unshift(...front);
  }

  const graph: Graph = { name: g.name, tensors, inputs, outputs, ops };
  return {
    model: { ...model, description: "tinyml: int8 post-training quantization", graphs: [graph], signatures: [] },
    warnings,
  };
}
