// How much int8 costs: runs the float and the int8 model side by side on a
// dataset with the reference interpreter and measures, per layer, the
// signal-to-quantization-noise ratio of the dequantized int8 activations
// against the float ones, and for each output top-1 agreement, RMSE, MAE,
// relative L2 error and cosine similarity (plus top-1 accuracy of both
// models when the data has labels).

import type { NumericArray } from "../model/dtype.js";
import { mainGraph } from "../model/graph.js";
import { opTypeName, type Model, type Tensor } from "../model/ir.js";
import { prepareReference } from "../reference/interpreter.js";
import type { Dataset } from "./calib-data.js";
import { quantizeValue } from "./params.js";

export interface LayerSqnr {
  op: number;
  type: string;
  tensor: string;
  /** 10·log10(Σf² / Σ(f − dequant(q))²) in dB; null when int8 reproduces float exactly. */
  sqnrDb: number | null;
}

export interface OutputMetrics {
  name: string;
  top1Agreement: number;
  rmse: number;
  mae: number;
  relativeL2: number;
  cosine: number;
}

export interface QuantizationReport {
  samples: number;
  layers: LayerSqnr[];
  outputs: OutputMetrics[];
  /** Top-1 accuracy (fraction) of the first output against labels. */
  accuracy?: { float: number; int8: number };
}

export interface Evaluation {
  report: QuantizationReport;
  /** The int8 model's raw outputs per sample (what `tinyml predict` must reproduce). */
  int8Outputs: NumericArray[][];
}

function dequantize(t: Tensor, buf: NumericArray, k: number): number {
  const v = Number(buf[k]!);
  if (t.dtype === "float32") return v;
  const q = t.quantization!;
  return q.scale[0]! * (v - q.zeroPoint[0]!);
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** `int8Model` must come from quantizeModel(`floatModel`): tensor indices are shared. */
export function evaluateQuantization(
  floatModel: Model, int8Model: Model, data: Dataset, onProgress?: (done: number, total: number) => void,
): Evaluation {
  const fg = mainGraph(floatModel);
  const qg = mainGraph(int8Model);
  const fi = prepareReference(floatModel);
  const qi = prepareReference(int8Model);
  const layerTensors = fg.ops.map((op) => op.outputs[0]!);
  const signal = new Float64Array(layerTensors.length);
  const noise = new Float64Array(layerTensors.length);
  const outs = fg.outputs.map((o) => ({ o, agree: 0, se: 0, ae: 0, n: 0, ff: 0, qq: 0, fq: 0 }));
  let floatCorrect = 0;
  let int8Correct = 0;
  const int8Outputs: NumericArray[][] = [];
  const qIn = qg.tensors[qg.inputs[0]!]!;
  data.samples.forEach((x, s) => {
    fi.invoke([x]);
    const qInput = qIn.dtype === "int8" ? Int8Array.from(x, (v) => quantizeValue(v, { scale: qIn.quantization!.scale[0]!, zeroPoint: qIn.quantization!.zeroPoint[0]! })) : x;
    int8Outputs.push(qi.invoke([qInput]));
    layerTensors.forEach((ti, l) => {
      const fb = fi.buffers[ti] as Float32Array;
      const qt = qg.tensors[ti]!;
      const qb = qi.buffers[ti]!;
      for (let k = 0; k < fb.length; k++) {
        const f = fb[k]!;
        const d = f - dequantize(qt, qb, k);
        signal[l]! += f * f;
        noise[l]! += d * d;
      }
    });
    for (const m of outs) {
      const fb = fi.buffers[m.o] as Float32Array;
      const qt = qg.tensors[m.o]!;
      const qb = qi.buffers[m.o]!;
      const deq = Float64Array.from({ length: fb.length }, (_, k) => dequantize(qt, qb, k));
      if (argmax(fb) === argmax(deq)) m.agree++;
      for (let k = 0; k < fb.length; k++) {
        const f = fb[k]!;
        const q = deq[k]!;
        m.se += (f - q) ** 2;
        m.ae += Math.abs(f - q);
        m.ff += f * f;
        m.qq += q * q;
        m.fq += f * q;
        m.n++;
      }
      if (m === outs[0] && data.labels) {
        if (argmax(fb) === data.labels[s]) floatCorrect++;
        if (argmax(deq) === data.labels[s]) int8Correct++;
      }
    }
    onProgress?.(s + 1, data.samples.length);
  });
  const n = data.samples.length;
  const report: QuantizationReport = {
    samples: n,
    layers: fg.ops.map((op, l) => ({
      op: l,
      type: opTypeName(op),
      tensor: fg.tensors[layerTensors[l]!]!.name,
      sqnrDb: noise[l] === 0 ? null : 10 * Math.log10(signal[l]! / noise[l]!),
    })),
    outputs: outs.map((m) => ({
      name: fg.tensors[m.o]!.name,
      top1Agreement: m.agree / n,
      rmse: Math.sqrt(m.se / m.n),
      mae: m.ae / m.n,
      relativeL2: m.ff === 0 ? 0 : Math.sqrt(m.se / m.ff),
      cosine: m.ff === 0 || m.qq === 0 ? 0 : m.fq / Math.sqrt(m.ff * m.qq),
    })),
    ...(data.labels ? { accuracy: { float: floatCorrect / n, int8: int8Correct / n } } : {}),
  };
  return { report, int8Outputs };
}
