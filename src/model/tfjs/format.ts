// The TF.js Layers model.json as `model.save()` writes it (tfjs-layers'
// ModelArtifacts serialized to JSON), and typed readers for layer configs
// that fail with a message naming the layer and the key.

import { TinymlError } from "../../errors.js";

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  /** Present when tfjs-converter quantized the weights for download size. */
  quantization?: { dtype: string; scale?: number; min?: number };
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightEntry[];
}

/** [layer name, node index, tensor index, kwargs] as Keras serializes an edge. */
export type NodeRef = [string, number, number, ...unknown[]];

export interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  /** Functional models only. */
  name?: string;
  inbound_nodes?: NodeRef[][];
}

export interface ModelJson {
  format?: string;
  modelTopology: {
    class_name: string;
    config: { name?: string; layers: LayerJson[]; input_layers?: NodeRef[]; output_layers?: NodeRef[] } | LayerJson[];
  };
  weightsManifest: WeightsGroup[];
  /** userDefinedMetadata.tinyml, unchecked (src/model/tinyml-metadata.ts checks it). */
  tinyml?: unknown;
}

function invalid(message: string, detail?: string): never {
  throw new TinymlError("TML_E_MODEL_INVALID", message, {
    location: detail ? { detail } : undefined,
    hint: "Re-save the model with model.save() from @tensorflow/tfjs or tfjs-node.",
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks the parts of model.json the loader relies on. */
export function parseModelJson(bytes: Uint8Array): ModelJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    invalid(`model.json is not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(parsed)) invalid("model.json is not a JSON object");
  const topo = parsed.modelTopology;
  if (!isRecord(topo)) invalid("model.json has no modelTopology (is it a graph model? tinyml reads Layers models)");
  // tfjs-converter nests the Keras topology one level down under model_config.
  const keras = isRecord(topo.model_config) ? topo.model_config : topo;
  if (typeof keras.class_name !== "string") invalid("modelTopology has no class_name");
  const cfg = keras.config;
  const layers = Array.isArray(cfg) ? cfg : isRecord(cfg) ? cfg.layers : undefined;
  if (!Array.isArray(layers)) invalid("modelTopology.config has no layers list");
  for (const [i, l] of layers.entries()) {
    if (!isRecord(l) || typeof l.class_name !== "string" || !isRecord(l.config)) invalid(`layer ${i} has no class_name or config`);
  }
  const manifest = parsed.weightsManifest ?? [];
  if (!Array.isArray(manifest)) invalid("weightsManifest is not a list");
  for (const [i, g] of manifest.entries()) {
    if (!isRecord(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) invalid(`weightsManifest[${i}] needs paths and weights`);
    for (const w of g.weights) {
      if (!isRecord(w) || typeof w.name !== "string" || !Array.isArray(w.shape) || typeof w.dtype !== "string") {
        invalid(`weightsManifest[${i}] has a weight without name, shape or dtype`);
      }
    }
  }
  const user = parsed.userDefinedMetadata;
  return {
    modelTopology: keras as ModelJson["modelTopology"],
    weightsManifest: manifest as WeightsGroup[],
    ...(isRecord(user) && user.tinyml !== undefined ? { tinyml: user.tinyml } : {}),
  };
}

/** Typed access to one layer's config; every failure names the layer and key. */
export class LayerConfig {
  constructor(
    readonly layerName: string,
    readonly className: string,
    private readonly cfg: Record<string, unknown>,
  ) {}

  private fail(key: string, want: string): never {
    invalid(`layer '${this.layerName}' (${this.className}): config '${key}' must be ${want}, found ${JSON.stringify(this.cfg[key])}`,
      `layer '${this.layerName}'`);
  }

  has(key: string): boolean {
    return this.cfg[key] !== undefined && this.cfg[key] !== null;
  }

  raw(key: string): unknown {
    return this.cfg[key];
  }

  string(key: string, def?: string): string {
    const v = this.cfg[key];
    if ((v === undefined || v === null) && def !== undefined) return def;
    if (typeof v !== "string") this.fail(key, "a string");
    return v;
  }

  number(key: string, def?: number): number {
    const v = this.cfg[key];
    if ((v === undefined || v === null) && def !== undefined) return def;
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(key, "a number");
    return v;
  }

  bool(key: string, def: boolean): boolean {
    const v = this.cfg[key];
    if (v === undefined || v === null) return def;
    if (typeof v !== "boolean") this.fail(key, "true or false");
    return v;
  }

  /** An int or a list of `n` ints (Keras accepts both for kernel_size, strides, …). */
  ints(key: string, n: number, def?: number[]): number[] {
    const v = this.cfg[key];
    if ((v === undefined || v === null) && def !== undefined) return def;
    if (typeof v === "number" && Number.isInteger(v)) return new Array<number>(n).fill(v);
    if (Array.isArray(v) && v.length === n && v.every((x) => typeof x === "number" && Number.isInteger(x))) return v as number[];
    this.fail(key, `an integer or a list of ${n} integers`);
  }

  /** A shape with a leading batch dim of null (batch_input_shape). */
  batchShape(key: string): number[] {
    const v = this.cfg[key];
    if (!Array.isArray(v) || v.length < 1 || !v.slice(1).every((x) => typeof x === "number" && Number.isInteger(x) && x > 0)) {
      this.fail(key, "[null, d1, d2, …] with fixed positive dims");
    }
    return (v.slice(1) as number[]);
  }
}
