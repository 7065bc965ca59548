// Graph rewrites TensorFlow Lite's converter applies to a Keras graph:
// inference-mode BatchNormalization (a per-channel MUL then ADD by constants)
// folds into the convolution or fully connected op right before it, and a
// RELU/RELU6 right after a conv, depthwise conv, FC or ADD becomes that op's
// fused activation. Each rewrite applies only when the intermediate tensor has
// no other reader, so the graph computes the same values.

import { bytesOf, typedView } from "../dtype.js";
import type { BuiltinOp, Graph, Op, Tensor } from "../ir.js";
import { compactGraph } from "./builder.js";

type Producer = Extract<BuiltinOp, { type: "CONV_2D" | "DEPTHWISE_CONV_2D" | "FULLY_CONNECTED" }>;

function readers(g: Graph, t: number): Op[] {
  return g.ops.filter((op) => op.inputs.includes(t));
}

function producerOf(g: Graph, t: number): Op | undefined {
  return g.ops.find((op) => op.outputs.includes(t));
}

/** The op producing `t`, if `t` feeds nothing but `consumer` and is not a graph output. */
function soleProducer(g: Graph, t: number, consumer: Op): Op | undefined {
  if (g.outputs.includes(t) || g.inputs.includes(t)) return undefined;
  const rs = readers(g, t);
  if (rs.length !== 1 || rs[0] !== consumer) return undefined;
  return producerOf(g, t);
}

function isWeighted(op: Op | undefined): op is Producer {
  return op?.kind === "builtin" && (op.type === "CONV_2D" || op.type === "DEPTHWISE_CONV_2D" || op.type === "FULLY_CONNECTED");
}

function floats(t: Tensor): Float32Array {
  return typedView("float32", t.data!).slice();
}

/** The constant per-channel vector of a MUL/ADD, if its other input is one of length `channels`. */
function channelConstant(g: Graph, op: Op, channels: number): { x: number; values: Float32Array } | undefined {
  const [a, b] = op.inputs as [number, number];
  for (const [x, c] of [[a, b], [b, a]] as const) {
    const t = g.tensors[c]!;
    if (t.data && t.dtype === "float32" && t.shape.length === 1 && t.shape[0] === channels && !g.tensors[x]!.data) {
      return { x, values: floats(t) };
    }
  }
  return undefined;
}

function scaleFilter(g: Graph, p: Producer, s: Float32Array): void {
  const filter = g.tensors[p.inputs[1]!]!;
  const w = floats(filter);
  const c = s.length;
  // OHWI and [out, in] put the output channel first; depthwise 1HW(C*M) last.
  const inner = w.length / c;
  for (let i = 0; i < w.length; i++) w[i]! *= s[p.type === "DEPTHWISE_CONV_2D" ? i % c : Math.floor(i / inner)]!;
  g.tensors[p.inputs[1]!] = { ...filter, data: bytesOf(w) };
  const bias = g.tensors[p.inputs[2]!]!;
  const bv = floats(bias).map((v, i) => v * s[i]!);
  g.tensors[p.inputs[2]!] = { ...bias, data: bytesOf(bv) };
}

function shiftBias(g: Graph, p: Producer, t: Float32Array): void {
  const bias = g.tensors[p.inputs[2]!]!;
  g.tensors[p.inputs[2]!] = { ...bias, data: bytesOf(floats(bias).map((v, i) => v + t[i]!)) };
}

/** One BN-folding or activation-fusing step; false when nothing applies. */
function rewriteOnce(g: Graph): boolean {
  for (const op of g.ops) {
    if (op.kind !== "builtin") continue;
    if ((op.type === "MUL" || op.type === "ADD") && op.options.activation === "NONE") {
      const out = g.tensors[op.outputs[0]!]!;
      const channels = out.shape[out.shape.length - 1]!;
      const k = channelConstant(g, op, channels);
      if (!k) continue;
      const p = soleProducer(g, k.x, op);
      if (!isWeighted(p) || p.options.activation !== "NONE" || p.inputs[2] === undefined || p.inputs[2] < 0) continue;
      if (op.type === "MUL") scaleFilter(g, p, k.values);
      else shiftBias(g, p, k.values);
      p.outputs = [...op.outputs];
      g.ops.splice(g.ops.indexOf(op), 1);
      return true;
    }
    if (op.type === "RELU" || op.type === "RELU6") {
      const p = soleProducer(g, op.inputs[0]!, op);
      if (!p || p.kind !== "builtin") continue;
      if (p.type !== "CONV_2D" && p.type !== "DEPTHWISE_CONV_2D" && p.type !== "FULLY_CONNECTED" && p.type !== "ADD") continue;
      if (p.options.activation !== "NONE") continue;
      p.options.activation = op.type;
      p.outputs = [...op.outputs];
      g.ops.splice(g.ops.indexOf(op), 1);
      return true;
    }
  }
  return false;
}

/** Folds BatchNormalization and fuses activations as TFLite does; returns a compacted graph. */
export function fuseGraph(graph: Graph): Graph {
  const g: Graph = { ...graph, tensors: [...graph.tensors], ops: graph.ops.map((op) => ({ ...op }) as Op) };
  for (const op of g.ops) if (op.kind === "builtin") op.options = { ...op.options } as typeof op.options;
  while (rewriteOnce(g));
  return compactGraph(g);
}
