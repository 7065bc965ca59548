// Hybrid models: TFLite's "dynamic range" quantization keeps float32
// activations but stores weights as int8 (with scales), and its hybrid
// kernels quantize each activation on the fly. TFLite Micro refuses them
// ("Hybrid models are not supported on TFLite Micro"), and so do tinyml's
// runtimes, whose kernels are TFLM's. As a *float source* (for quantize and
// --float-model) a hybrid model is the float model it came from up to the
// weights' rounding: dequantizing those weights gives that model back.

import { bytesOf, typedView } from "./dtype.js";
import { numElements, quantizedAxis } from "./graph.js";
import type { Graph, Model, Op, Tensor } from "./ir.js";

function isQuantizedConstant(t: Tensor | undefined): t is Tensor {
  return t !== undefined && t.data !== undefined && (t.dtype === "int8" || t.dtype === "uint8") && (t.quantization?.scale.length ?? 0) > 0;
}

/** An op reading a float32 activation with int8 weights: TFLite's hybrid kernel form. */
export function isHybridOp(g: Graph, op: Op): boolean {
  const ins = op.inputs.map((i) => (i >= 0 ? g.tensors[i] : undefined));
  const floatActivation = ins.some((t) => t !== undefined && t.data === undefined && t.dtype === "float32");
  return floatActivation && ins.some(isQuantizedConstant);
}

export function hybridOps(g: Graph): number[] {
  return g.ops.flatMap((op, k) => (isHybridOp(g, op) ? [k] : []));
}

function dequantized(t: Tensor): Tensor {
  const q = t.quantization!;
  const raw = typedView(t.dtype as "int8" | "uint8", t.data!);
  const n = numElements(t.shape);
  const axis = quantizedAxis(t);
  const channels = q.scale.length;
  // Elements of one slice along `axis` are `inner` apart in row-major order.
  const inner = channels > 1 ? t.shape.slice(axis + 1).reduce((a, b) => a * b, 1) : 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = channels > 1 ? Math.floor(i / inner) % channels : 0;
    out[i] = q.scale[c]! * (raw[i]! - (q.zeroPoint[c] ?? 0));
  }
  return { name: t.name, dtype: "float32", shape: [...t.shape], ...(t.shapeSignature ? { shapeSignature: [...t.shapeSignature] } : {}), data: bytesOf(out), isVariable: false };
}

/**
 * The float model a hybrid model stands for: every int8 weight read by a
 * hybrid op becomes float32 (scale·(q − zero point), per channel). A model
 * without hybrid ops comes back unchanged.
 */
export function floatSource(model: Model): Model {
  return {
    ...model,
    graphs: model.graphs.map((g) => {
      const targets = new Set<number>();
      for (const k of hybridOps(g)) for (const i of g.ops[k]!.inputs) if (i >= 0 && isQuantizedConstant(g.tensors[i])) targets.add(i);
      if (targets.size === 0) return g;
      return { ...g, tensors: g.tensors.map((t, i) => (targets.has(i) ? dequantized(t) : t)) };
    }),
  };
}

export function isHybridModel(model: Model): boolean {
  return model.graphs.some((g) => hybridOps(g).length > 0);
}

/** A loaded model as a float source (see floatSource), its file and hash kept. */
export function asFloatSource<L extends { model: Model }>(loaded: L): L {
  return isHybridModel(loaded.model) ? { ...loaded, model: floatSource(loaded.model) } : loaded;
}
