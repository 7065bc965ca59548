// Keras 3's .keras file: a zip of config.json (the model serialized by
// serialize_keras_object) and model.weights.h5. Keras 3 changed two things
// the shared layer walk does not know about, normalised here:
//  - inbound nodes are {args, kwargs} with `__keras_tensor__` references
//    (keras_history = [layer, node, tensor]) instead of Keras 2's lists;
//  - weights are not stored by name but as layers/<snake_case class>[_k]/vars/<i>,
//    the k-th layer of that class in the model's layer order, its variables in
//    creation order (saving_lib._save_container_state, Layer.save_own_variables).

import { unzipSync } from "fflate";
import { TinymlError } from "../../errors.js";
import { checkLayerGraph, isRecord, LayerConfig, type LayerGraphJson, type LayerJson, type LoadedWeight, type NodeRef } from "../layers/config.js";
import { layerName, type WeightSource } from "../layers/walk.js";
import { floatValues, isDataset, isGroup, type H5File } from "./h5.js";

const HINT = "Save the model again with model.save('model.keras') from Keras 3.";

export interface KerasArchive {
  config: unknown;
  weights: Uint8Array;
  kerasVersion?: string;
}

/** True when a zip holds a Keras 3 model (both members). */
export function isKerasArchive(bytes: Uint8Array): boolean {
  try {
    const names = Object.keys(unzipSync(bytes, { filter: (f) => f.name === "config.json" || f.name === "model.weights.h5" }));
    return names.includes("config.json") && names.includes("model.weights.h5");
  } catch {
    return false;
  }
}

export function openKerasArchive(bytes: Uint8Array): KerasArchive {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => ["config.json", "model.weights.h5", "metadata.json"].includes(f.name) });
  } catch (e) {
    throw new TinymlError("TML_E_MODEL_INVALID", `the .keras archive cannot be unzipped: ${(e as Error).message}`, { hint: HINT });
  }
  const text = (name: string): string | undefined => (files[name] ? new TextDecoder().decode(files[name]) : undefined);
  let config: unknown;
  try {
    config = JSON.parse(text("config.json") ?? "");
  } catch (e) {
    throw new TinymlError("TML_E_MODEL_INVALID", `config.json in the .keras archive is not valid JSON: ${(e as Error).message}`, { hint: HINT });
  }
  if (!files["model.weights.h5"]) {
    throw new TinymlError("TML_E_MODEL_INVALID", "the .keras archive has no model.weights.h5 (weights saved as .npz are not supported)", { hint: HINT });
  }
  let kerasVersion: string | undefined;
  try {
    const meta = JSON.parse(text("metadata.json") ?? "{}") as { keras_version?: unknown };
    if (typeof meta.keras_version === "string") kerasVersion = meta.keras_version;
  } catch {
    // metadata.json is informational only.
  }
  return { config, weights: files["model.weights.h5"], ...(kerasVersion ? { kerasVersion } : {}) };
}

/** Every Keras tensor reference in a Keras 3 call's args, in order. */
function tensorRefs(v: unknown, out: NodeRef[]): NodeRef[] {
  if (Array.isArray(v)) for (const x of v) tensorRefs(x, out);
  else if (isRecord(v)) {
    if (v.class_name === "__keras_tensor__" && isRecord(v.config) && Array.isArray(v.config.keras_history)) {
      const [layer, node, tensor] = v.config.keras_history as [unknown, unknown, unknown];
      if (typeof layer === "string" && typeof node === "number" && typeof tensor === "number") out.push([layer, node, tensor]);
    } else for (const x of Object.values(v)) tensorRefs(x, out);
  }
  return out;
}

function nodeRefs(v: unknown): NodeRef[] {
  if (!Array.isArray(v)) return [];
  // A single input is written flat: ["input_layer", 0, 0].
  if (typeof v[0] === "string") return [v as NodeRef];
  return v.filter((r): r is NodeRef => Array.isArray(r) && typeof r[0] === "string");
}

/** Keras 3's config.json topology, in the Keras 2 shape the layer walk reads. */
export function normaliseKeras3(config: unknown): LayerGraphJson {
  const topo = checkLayerGraph(config, "config.json", HINT);
  if (Array.isArray(topo.config)) return topo;
  const cfg = topo.config;
  const layers: LayerJson[] = cfg.layers.map((l) => {
    const raw = l.inbound_nodes as unknown;
    if (!Array.isArray(raw)) return l;
    const nodes = raw.map((n) => (isRecord(n) && "args" in n ? tensorRefs(n.args, []) : (n as NodeRef[])));
    return { ...l, inbound_nodes: nodes };
  });
  return {
    class_name: topo.class_name,
    config: {
      ...cfg,
      layers,
      ...(cfg.input_layers !== undefined ? { input_layers: nodeRefs(cfg.input_layers) } : {}),
      ...(cfg.output_layers !== undefined ? { output_layers: nodeRefs(cfg.output_layers) } : {}),
    },
  };
}

/** keras.src.utils.naming.to_snake_case. */
export function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** The keys of a layer's variables in the order Keras 3 creates (and so numbers) them. */
function variableKeys(l: LayerJson, name: string): string[] {
  const cfg = new LayerConfig(name, l.class_name, l.config);
  const bias = cfg.bool("use_bias", true) ? ["bias"] : [];
  switch (l.class_name) {
    case "Dense":
    case "Conv1D":
    case "Conv2D":
      return ["kernel", ...bias];
    case "DepthwiseConv2D":
      return ["depthwise_kernel", ...bias];
    case "SeparableConv2D":
      return ["depthwise_kernel", "pointwise_kernel", ...bias];
    case "BatchNormalization":
      return [...(cfg.bool("scale", true) ? ["gamma"] : []), ...(cfg.bool("center", true) ? ["beta"] : []), "moving_mean", "moving_variance"];
    default:
      return [];
  }
}

/** The weights of model.weights.h5, by layer name and key. */
export function readKeras3Weights(f: H5File, topo: LayerGraphJson): WeightSource {
  const layers = Array.isArray(topo.config) ? topo.config : topo.config.layers;
  const byLayer = new Map<string, Map<string, LoadedWeight>>();
  const used = new Map<string, number>();
  const root = ["layers", "_layer_checkpoint_dependencies"].map((p) => f.get(p)).find(isGroup);
  for (const l of layers) {
    const name = layerName(l);
    const snake = snakeCase(l.class_name);
    const k = used.get(snake);
    used.set(snake, k === undefined ? 0 : k + 1);
    const path = k === undefined ? snake : `${snake}_${k + 1}`;
    const keys = variableKeys(l, name);
    if (keys.length === 0) continue;
    const vars = root?.get(`${path}/vars`);
    if (!isGroup(vars)) {
      throw new TinymlError("TML_E_WEIGHTS_INVALID", `model.weights.h5 has no layers/${path}/vars for layer '${name}' (${l.class_name})`, { hint: HINT });
    }
    const weights = new Map<string, LoadedWeight>();
    keys.forEach((key, i) => {
      const d = vars.get(String(i));
      if (isDataset(d)) weights.set(key, floatValues(d, `layers/${path}/vars/${i}`));
    });
    byLayer.set(name, weights);
  }
  return { get: (_l, name, key) => byLayer.get(name)?.get(key), hint: HINT };
}
