// Converting a Keras layer graph to the IR: walks a Sequential or
// functional topology in dependency order, converts each layer with
// layers.ts, then applies the fusions TFLite's converter makes (fuse.ts).
// Every Keras format (TF.js model.json, Keras 2 .h5, Keras 3 .keras) ends
// here; they differ only in where the topology and the weights are stored.

import { TinymlError } from "../../errors.js";
import type { Graph } from "../ir.js";
import { GraphBuilder } from "./builder.js";
import { LayerConfig, type LayerGraphJson, type LayerJson, type LoadedWeight, type NodeRef } from "./config.js";
import { fuseGraph } from "./fuse.js";
import { LAYER_CONVERTERS, type LayerContext } from "./layers.js";

const ALIASES: Readonly<Record<string, string>> = {
  MaxPool2D: "MaxPooling2D",
  AvgPool2D: "AveragePooling2D",
  GlobalAvgPool2D: "GlobalAveragePooling2D",
  Convolution2D: "Conv2D",
  Convolution1D: "Conv1D",
};

export function supportedLayers(): string[] {
  return ["InputLayer", ...Object.keys(LAYER_CONVERTERS)].sort();
}

/** Where a format keeps its weights: the layer's weight `key` ("kernel", "gamma", …). */
export interface WeightSource {
  get(layer: LayerJson, layerName: string, key: string): LoadedWeight | undefined;
  /** What to do when weights are missing or misshapen ("re-save the model"). */
  hint: string;
}

function unsupportedLayer(name: string, className: string): never {
  const nested = ["Sequential", "Model", "Functional"].includes(className);
  throw new TinymlError("TML_E_LAYER_UNSUPPORTED", `layer '${name}' has class ${className}, which tinyml cannot convert`, {
    location: { detail: `layer '${name}'` },
    hint: nested
      ? "Nested models are not supported: flatten the model into one Sequential or functional model."
      : `Supported layers: ${supportedLayers().join(", ")}.`,
  });
}

export function layerName(l: LayerJson): string {
  const n = l.name ?? l.config.name;
  if (typeof n !== "string") throw new TinymlError("TML_E_MODEL_INVALID", `a ${l.class_name} layer has no name`);
  return n;
}

interface Walk {
  b: GraphBuilder;
  weights: WeightSource;
}

function convertLayer(w: Walk, l: LayerJson, inputs: number[]): number {
  const name = layerName(l);
  const className = ALIASES[l.class_name] ?? l.class_name;
  const convert = LAYER_CONVERTERS[className];
  if (!convert) unsupportedLayer(name, l.class_name);
  const ctx: LayerContext = {
    b: w.b,
    cfg: new LayerConfig(name, l.class_name, l.config),
    name,
    className: l.class_name,
    inputs,
    weight(key, shape) {
      const full = `${name}/${key}`;
      const found = w.weights.get(l, name, key);
      if (!found) {
        throw new TinymlError("TML_E_WEIGHTS_INVALID", `layer '${name}' (${l.class_name}) needs weight '${full}', which the model's weights lack`, {
          location: { detail: `layer '${name}'` },
          hint: w.weights.hint,
        });
      }
      if (shape && (found.shape.length !== shape.length || found.shape.some((d, i) => d !== shape[i]))) {
        throw new TinymlError("TML_E_WEIGHTS_INVALID",
          `weight '${full}' has shape [${found.shape.join(", ")}], layer '${name}' needs [${shape.join(", ")}]`, {
            location: { detail: `layer '${name}'` },
            hint: w.weights.hint,
          });
      }
      return found;
    },
  };
  return convert(ctx);
}

function inputTensor(w: Walk, l: LayerJson, name: string): number {
  const cfg = new LayerConfig(name, l.class_name, l.config);
  const key = cfg.has("batch_input_shape") ? "batch_input_shape" : "batch_shape";
  const dtype = cfg.dtype("dtype", "float32");
  if (dtype !== "float32") {
    throw new TinymlError("TML_E_LAYER_UNSUPPORTED", `input '${name}' has dtype ${dtype}; tinyml converts float32 inputs`, {
      location: { detail: `layer '${name}'` },
      hint: "Give the model a float32 input.",
    });
  }
  return w.b.activation(name, [1, ...cfg.batchShape(key)]);
}

function walkSequential(w: Walk, layers: LayerJson[]): { inputs: number[]; outputs: number[] } {
  if (layers.length === 0) throw new TinymlError("TML_E_MODEL_INVALID", "the model has no layers (and so no inputs)");
  const first = layers[0]!;
  const firstName = layerName(first);
  const isInput = first.class_name === "InputLayer";
  if (!isInput && !("batch_input_shape" in first.config) && !("batch_shape" in first.config)) {
    throw new TinymlError("TML_E_MODEL_INVALID", `the model has no input shape (layer '${firstName}' has no batch_input_shape)`, {
      hint: "Build the model with inputShape on its first layer (or an explicit Input) before saving.",
    });
  }
  let x = inputTensor(w, first, isInput ? firstName : `${firstName}_input`);
  const input = x;
  for (const l of isInput ? layers.slice(1) : layers) x = convertLayer(w, l, [x]);
  return { inputs: [input], outputs: [x] };
}

function walkFunctional(w: Walk, layers: LayerJson[], inputRefs: NodeRef[], outputRefs: NodeRef[]): { inputs: number[]; outputs: number[] } {
  if (inputRefs.length === 0) throw new TinymlError("TML_E_MODEL_INVALID", "the model has no inputs (input_layers is empty)");
  const produced = new Map<string, number>();
  const key = (layer: string, node: number, tensor: number): string => `${layer}:${node}:${tensor}`;
  const byName = new Map(layers.map((l) => [layerName(l), l]));
  for (const [name] of inputRefs) {
    const l = byName.get(name);
    if (!l || l.class_name !== "InputLayer") throw new TinymlError("TML_E_MODEL_INVALID", `input_layers names '${name}', which is not an InputLayer`);
    produced.set(key(name, 0, 0), inputTensor(w, l, name));
  }
  // Keras lists layers in creation order, which need not be call order: resolve until stuck.
  const pending = layers
    .filter((l) => l.class_name !== "InputLayer")
    .flatMap((l) => (l.inbound_nodes ?? []).map((node, k) => ({ l, node, k })));
  while (pending.length > 0) {
    const ready = pending.findIndex(({ node }) => node.every(([n, ni, ti]) => produced.has(key(n, ni, ti))));
    if (ready < 0) {
      const { l, node } = pending[0]!;
      const missing = node.find(([n, ni, ti]) => !produced.has(key(n, ni, ti)))!;
      throw new TinymlError("TML_E_MODEL_INVALID", `layer '${layerName(l)}' reads '${missing[0]}', which nothing produces (or the graph has a cycle)`);
    }
    const { l, node, k } = pending.splice(ready, 1)[0]!;
    const out = convertLayer(w, l, node.map(([n, ni, ti]) => produced.get(key(n, ni, ti))!));
    produced.set(key(layerName(l), k, 0), out);
  }
  const outputs = outputRefs.map(([n, ni, ti]) => {
    const t = produced.get(key(n, ni, ti));
    if (t === undefined) throw new TinymlError("TML_E_MODEL_INVALID", `output_layers names '${n}', which the graph does not produce`);
    return t;
  });
  return { inputs: inputRefs.map(([n]) => produced.get(key(n, 0, 0))!), outputs };
}

/** Converts a Sequential or functional Keras topology with its weights into a fused float32 graph. */
export function convertLayerGraph(topo: LayerGraphJson, weights: WeightSource): Graph {
  const w: Walk = { b: new GraphBuilder(), weights };
  const cfg = topo.config;
  const layers = Array.isArray(cfg) ? cfg : cfg.layers;
  let io: { inputs: number[]; outputs: number[] };
  let name = "main";
  if (topo.class_name === "Sequential") {
    if (!Array.isArray(cfg) && cfg.name) name = cfg.name;
    io = walkSequential(w, layers);
  } else if (topo.class_name === "Model" || topo.class_name === "Functional") {
    if (Array.isArray(cfg)) throw new TinymlError("TML_E_MODEL_INVALID", "a functional model's config must be an object");
    if (cfg.name) name = cfg.name;
    io = walkFunctional(w, layers, cfg.input_layers ?? [], cfg.output_layers ?? []);
  } else {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `model class ${topo.class_name} is not a Sequential or functional Keras model`, {
      hint: "Subclassed models have no layer graph in the file: rebuild the model as Sequential or functional before saving.",
    });
  }
  return fuseGraph(w.b.graph(name, io.inputs, io.outputs));
}
