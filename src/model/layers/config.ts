// The Keras layer-graph config as every Keras format writes it (TF.js
// model.json's modelTopology, Keras 2 .h5 model_config, Keras 3 .keras
// config.json, once normalised by their loaders), and typed readers for one
// layer's config that fail with a message naming the layer and the key.

import { TinymlError } from "../../errors.js";

/** [layer name, node index, tensor index, kwargs] as Keras 2 serializes an edge. */
export type NodeRef = [string, number, number, ...unknown[]];

export interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  /** Functional models only. */
  name?: string;
  inbound_nodes?: NodeRef[][];
}

/** A whole model's topology: Sequential (layers in order) or functional (a DAG). */
export interface LayerGraphJson {
  class_name: string;
  config: { name?: string; layers: LayerJson[]; input_layers?: NodeRef[]; output_layers?: NodeRef[] } | LayerJson[];
}

/** A weight as every format hands it to the layer converters: float32, Keras's own layout. */
export interface LoadedWeight {
  shape: number[];
  values: Float32Array;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function invalid(message: string, detail?: string): never {
  throw new TinymlError("TML_E_MODEL_INVALID", message, {
    location: detail ? { detail } : undefined,
    hint: "Re-save the model (model.save() in Keras or TF.js) and try again.",
  });
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

  /** Keras 2.14 writes some flags (BatchNormalization's scale) as 0/1. */
  bool(key: string, def: boolean): boolean {
    const v = this.cfg[key];
    if (v === undefined || v === null) return def;
    if (v === 0 || v === 1) return v === 1;
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

  /** One axis, given as an int or (BatchNormalization in Keras 2) a one-element list. */
  axis(key: string, def: number): number {
    const v = this.cfg[key];
    if (v === undefined || v === null) return def;
    if (Array.isArray(v) && v.length === 1) return this.intOf(key, v[0]);
    return this.intOf(key, v);
  }

  private intOf(key: string, v: unknown): number {
    if (typeof v !== "number" || !Number.isInteger(v)) this.fail(key, "an integer axis");
    return v;
  }

  /** A dtype name; Keras 3 writes a DTypePolicy object in its place. */
  dtype(key: string, def: string): string {
    const v = this.cfg[key];
    if (v === undefined || v === null) return def;
    if (typeof v === "string") return v;
    if (isRecord(v) && isRecord(v.config) && typeof v.config.name === "string") return v.config.name;
    this.fail(key, "a dtype name");
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

/** Checks the parts of a topology the walk relies on; `where` names it in messages ("model.json", "config.json"). */
export function checkLayerGraph(value: unknown, where: string, hint: string): LayerGraphJson {
  const bad = (message: string): never => {
    throw new TinymlError("TML_E_MODEL_INVALID", `${where}: ${message}`, { hint });
  };
  if (!isRecord(value)) bad("the model topology is not a JSON object");
  const topo = value as Record<string, unknown>;
  if (typeof topo.class_name !== "string") bad("the model topology has no class_name");
  const cfg = topo.config;
  const layers = Array.isArray(cfg) ? cfg : isRecord(cfg) ? cfg.layers : undefined;
  if (!Array.isArray(layers)) bad("the model config has no layers list");
  for (const [i, l] of (layers as unknown[]).entries()) {
    if (!isRecord(l) || typeof l.class_name !== "string" || !isRecord(l.config)) bad(`layer ${i} has no class_name or config`);
  }
  return topo as unknown as LayerGraphJson;
}
