// The ONNX loader: a ModelProto (opset 7 and later; tested on 11 to 23)
// converted node by node into the NHWC float32 IR (int8 where the model is
// QDQ-quantized, see ops/qdq.ts). Graph inputs and outputs keep the ONNX
// model's shapes and element order, so its test data and the user's feed it
// unchanged; between them every layout change is a relabelling (layout.ts),
// BatchNormalization folds into the convolution before it, and ReLUs fuse.

import { TinymlError } from "../../errors.js";
import type { Graph, Model } from "../ir.js";
import { fuseGraph } from "../layers/fuse.js";
import { Converter, irDtype, type Value } from "./context.js";
import { identity } from "./layout.js";
import { CONV_OPS } from "./ops/conv.js";
import { ELEMENTWISE, type OpConverter } from "./ops/elementwise.js";
import { LINEAR_OPS } from "./ops/linear.js";
import { QDQ_OPS } from "./ops/qdq.js";
import { isQdqGraph, quantizeQdq } from "./qdq-model.js";
import { SHAPE_OPS } from "./ops/shape.js";
import { hostTensor, HOST_TYPES, onnxTypeName, parseModelProto, type GraphProto, type HostTensor, type ModelProto, type OnnxType, type ValueInfoProto } from "./proto.js";
import { dropDeadOps, mergeReshapes } from "./tidy.js";

export const ONNX_OPS: Readonly<Record<string, OpConverter>> = { ...ELEMENTWISE, ...SHAPE_OPS, ...CONV_OPS, ...LINEAR_OPS, ...QDQ_OPS };

export const MIN_OPSET = 7;

export interface OnnxLoadOptions {
  /** Graph inputs to treat as constants (by name), e.g. the shape input of a backend test's Reshape. */
  constants?: ReadonlyMap<string, HostTensor>;
}

function opsetOf(m: ModelProto): number {
  const ai = m.opsetImport.find((o) => o.domain === "" || o.domain === "ai.onnx");
  if (!ai) throw new TinymlError("TML_E_MODEL_INVALID", "the model imports no ai.onnx opset", { hint: "Export the model again; every ONNX model names its opset." });
  const v = Number(ai.version);
  if (v < MIN_OPSET) {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `the model uses opset ${v}; tinyml reads opset ${MIN_OPSET} and later`, {
      hint: "Convert it to a newer opset: onnx.version_converter.convert_version(model, 13).",
    });
  }
  return v;
}

function staticShape(vi: ValueInfoProto, what: string): { dtype: number; shape: number[] } {
  const t = vi.type?.value.case === "tensorType" ? vi.type.value.value : undefined;
  if (!t) throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `${what} '${vi.name}' is not a tensor`, { hint: "tinyml converts models whose inputs and outputs are tensors." });
  const dims = t.shape?.dim ?? [];
  const shape = dims.map((d, i) => {
    if (d.value.case === "dimValue" && d.value.value > 0n) return Number(d.value.value);
    if (d.value.case === "dimValue" && d.value.value === 0n) {
      throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `${what} '${vi.name}' has a dimension of size 0 (an empty tensor)`, { hint: "tinyml runs tensors with at least one element." });
    }
    // A symbolic (or unknown) first dim is the batch: tinyml runs one sample at a time.
    if (i === 0) return 1;
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `${what} '${vi.name}' has a dynamic dimension ${i} (${d.value.case === "dimParam" ? `'${d.value.value}'` : "unknown"})`, {
      hint: "Export the model with a fixed input shape (torch.onnx.export without dynamic_axes but the batch).",
    });
  });
  return { dtype: t.elemType, shape };
}

function defineInputs(c: Converter, g: GraphProto, opts: OnnxLoadOptions, modelPath: string | undefined): number[] {
  for (const init of g.initializer) {
    const h = hostTensor(init, modelPath);
    c.values.set(init.name, { name: init.name, dtype: h.dtype, shape: h.shape, host: h, perm: identity(h.shape.length) });
  }
  const inputs: number[] = [];
  for (const vi of g.input) {
    if (c.values.has(vi.name)) continue; // an initializer listed as an input (IR version < 4)
    const bound = opts.constants?.get(vi.name);
    if (bound) {
      c.values.set(vi.name, { name: vi.name, dtype: bound.dtype, shape: bound.shape, host: bound, perm: identity(bound.shape.length) });
      continue;
    }
    const { dtype, shape } = staticShape(vi, "input");
    const host = HOST_TYPES[dtype as OnnxType];
    if (!host) throw new TinymlError("TML_E_DTYPE_UNSUPPORTED", `input '${vi.name}' has type ${onnxTypeName(dtype)}`, { hint: "Give the model float32 (or int8/uint8/int16/int32) inputs." });
    const ir = c.b.tensor({ name: vi.name, dtype: irDtype(host), shape, isVariable: false });
    c.values.set(vi.name, { name: vi.name, dtype: host, shape, ir, perm: identity(shape.length) });
    inputs.push(ir);
  }
  return inputs;
}

function defineOutputs(c: Converter, g: GraphProto, inputs: number[]): number[] {
  const used = new Set<number>();
  return g.output.map((vi) => {
    const v: Value | undefined = c.values.get(vi.name);
    if (!v) throw new TinymlError("TML_E_MODEL_INVALID", `output '${vi.name}' is not computed by the graph`, { hint: "Export the model again." });
    let t = c.irIn(v, identity(v.shape.length));
    const src = c.b.tensors[t]!;
    // An output must be written by an op of its own: copy inputs, constants and repeated outputs.
    if (src.data || inputs.includes(t) || used.has(t)) {
      const copy = c.b.tensor({ ...src, name: vi.name, data: undefined, shapeSignature: undefined });
      c.reshapeOp(t, copy, src.shape);
      t = copy;
    }
    c.b.tensors[t] = { ...c.b.tensors[t]!, name: vi.name };
    used.add(t);
    return t;
  });
}

function convertGraph(m: ModelProto, opts: OnnxLoadOptions, modelPath?: string): { graph: Graph; c: Converter } {
  const g = m.graph;
  if (!g) throw new TinymlError("TML_E_MODEL_INVALID", "the ONNX model has no graph", { hint: "Export the model again." });
  const c = new Converter(opsetOf(m), modelPath);
  const inputs = defineInputs(c, g, opts, modelPath);
  for (const node of g.node) {
    c.at(node);
    if (node.domain !== "" && node.domain !== "ai.onnx") {
      c.unsupported(`is in operator domain '${node.domain}'`, "tinyml converts standard ONNX operators (domain ai.onnx); export without vendor extensions.");
    }
    const convert = ONNX_OPS[node.opType];
    if (!convert) {
      c.unsupported("has no tinyml conversion", `tinyml converts these ONNX operators: ${Object.keys(ONNX_OPS).sort().join(", ")}.`);
    }
    convert(c);
  }
  const outputs = defineOutputs(c, g, inputs);
  const ir = c.b.graph(g.name || "main", inputs, outputs);
  if (ir.ops.length === 0) throw new TinymlError("TML_E_MODEL_UNSUPPORTED", "the ONNX graph computes nothing at run time (every output is a constant)", { hint: "Export a model that takes an input." });
  return { graph: mergeReshapes(dropDeadOps(fuseGraph(ir))), c };
}

export function convertOnnx(bytes: Uint8Array, modelPath?: string, opts: OnnxLoadOptions = {}): Model {
  const m = parseModelProto(bytes);
  const producer = [m.producerName, m.producerVersion].filter(Boolean).join(" ");
  const { graph, c } = convertGraph(m, opts, modelPath);
  const model: Model = {
    version: 3,
    description: `tinyml: converted from ONNX${producer ? ` (${producer})` : ""}`,
    graphs: [graph],
    metadata: [],
    signatures: [],
  };
  return isQdqGraph(graph, c.qdq) ? quantizeQdq(model, c.qdq) : model;
}
