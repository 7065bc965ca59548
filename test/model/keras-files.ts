// Writes a TF.js Layers model as the Keras files tinyml reads, the way Keras
// itself lays them out: Keras 2 HDF5 (model.save('m.h5'): model_config and
// model_weights/<layer>/<layer>/<weight>:0 with weight_names) and Keras 3
// .keras (a zip of config.json, metadata.json and model.weights.h5 with
// layers/<snake_case class>[_k]/vars/<i>, per keras/src/saving/saving_lib.py).
// HDF5 is written by h5wasm, the HDF5 C library itself.

import { writeFileSync } from "node:fs";
import type { LayersModel } from "@tensorflow/tfjs";
import { zipSync } from "fflate";
import h5wasmModule from "h5wasm";
import { snakeCase } from "../../src/model/keras/keras3.js";

type H5 = typeof import("h5wasm");
const h5wasm = ((h5wasmModule as unknown as { default?: H5 }).default ?? h5wasmModule) as H5;

async function writeH5(build: (f: InstanceType<H5["File"]>) => void): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  const name = `/test-${process.pid}-${Math.random().toString(36).slice(2)}.h5`;
  const f = new h5wasm.File(name, "w");
  build(f);
  f.close();
  const bytes = (FS as unknown as { readFile(p: string): Uint8Array }).readFile(name);
  (FS as unknown as { unlink(p: string): void }).unlink(name);
  return bytes;
}

interface NamedWeight {
  layer: string;
  key: string;
  shape: number[];
  values: Float32Array;
}

function weightsOf(model: LayersModel): NamedWeight[] {
  return model.layers.flatMap((l) =>
    l.weights.map((w, i) => {
      const key = w.originalName.split("/").pop()!;
      return { layer: l.name, key, shape: [...w.shape] as number[], values: l.getWeights()[i]!.dataSync() as Float32Array };
    }));
}

function topology(model: LayersModel): Record<string, unknown> {
  return model.toJSON(null, false) as unknown as Record<string, unknown>;
}

/** Keras 2 HDF5, as model.save('model.h5') writes it. */
export async function writeKeras2H5(model: LayersModel, path: string, edit?: (config: Record<string, unknown>) => void): Promise<void> {
  const config = topology(model);
  edit?.(config);
  const weights = weightsOf(model);
  const bytes = await writeH5((f) => {
    f.create_attribute("keras_version", "2.4.0");
    f.create_attribute("backend", "tensorflow");
    f.create_attribute("model_config", JSON.stringify(config));
    const root = f.create_group("model_weights");
    root.create_attribute("layer_names", model.layers.map((l) => l.name));
    for (const l of model.layers) {
      const g = root.create_group(l.name);
      const own = weights.filter((w) => w.layer === l.name);
      const names = own.map((w) => `${l.name}/${w.key}:0`);
      // Keras writes an empty float64 array for a layer without weights.
      g.create_attribute("weight_names", names.length > 0 ? names : new Float64Array(0));
      if (own.length > 0) {
        const inner = g.create_group(l.name);
        for (const w of own) inner.create_dataset({ name: `${w.key}:0`, data: w.values, shape: w.shape, dtype: "<f" });
      }
    }
  });
  writeFileSync(path, bytes);
}

type Json = Record<string, unknown>;

function kerasTensor(ref: unknown[]): Json {
  return { class_name: "__keras_tensor__", config: { shape: null, dtype: "float32", keras_history: [ref[0], ref[1], ref[2]] } };
}

/** A TF.js (Keras 2 style) layer config rewritten the way Keras 3 serializes it. */
function keras3Layer(l: Json, functional: boolean): Json {
  const cfg = { ...(l.config as Json) };
  if (l.class_name === "InputLayer") {
    cfg.batch_shape = cfg.batch_input_shape;
    delete cfg.batch_input_shape;
  } else {
    cfg.dtype = { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null };
  }
  const out: Json = { module: "keras.layers", class_name: l.class_name, config: cfg, registered_name: null };
  if (functional) {
    out.name = l.name;
    out.inbound_nodes = ((l.inbound_nodes as unknown[][][] | undefined) ?? []).map((node) => ({
      args: node.length === 1 ? [kerasTensor(node[0]!)] : [node.map(kerasTensor)],
      kwargs: {},
    }));
  }
  return out;
}

/** Keras 3 .keras, as model.save('model.keras') writes it. */
export async function writeKeras3(model: LayersModel, path: string, opts: { dropVarsOf?: string } = {}): Promise<void> {
  const topo = topology(model);
  const cfg = topo.config as Json;
  const functional = topo.class_name !== "Sequential";
  const layers = (cfg.layers as Json[]).map((l) => keras3Layer(l, functional));
  if (!functional && layers[0]?.class_name !== "InputLayer") {
    const first = cfg.layers as Json[];
    const shape = (first[0]!.config as Json).batch_input_shape;
    layers.unshift({ module: "keras.layers", class_name: "InputLayer", config: { batch_shape: shape, dtype: "float32", name: "input_layer" }, registered_name: null });
    delete (layers[1]!.config as Json).batch_input_shape;
  }
  const single = (refs: unknown): unknown => (Array.isArray(refs) && refs.length === 1 ? refs[0] : refs);
  const config = {
    module: "keras",
    class_name: functional ? "Functional" : "Sequential",
    config: {
      name: cfg.name,
      trainable: true,
      layers,
      ...(functional ? { input_layers: single(cfg.input_layers), output_layers: single(cfg.output_layers) } : {}),
    },
    registered_name: null,
  };
  const weights = weightsOf(model);
  const used = new Map<string, number>();
  const h5 = await writeH5((f) => {
    const root = f.create_group("layers");
    f.create_group("vars");
    for (const l of model.layers) {
      const snake = snakeCase(l.getClassName());
      const k = used.get(snake);
      used.set(snake, k === undefined ? 0 : k + 1);
      const group = root.create_group(k === undefined ? snake : `${snake}_${k + 1}`);
      if (opts.dropVarsOf === l.name) continue;
      const vars = group.create_group("vars");
      weights.filter((w) => w.layer === l.name).forEach((w, i) => vars.create_dataset({ name: String(i), data: w.values, shape: w.shape, dtype: "<f" }));
    }
  });
  const enc = (o: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(o));
  writeFileSync(path, zipSync({
    "metadata.json": enc({ keras_version: "3.6.0", date_saved: "2026-01-01@00:00:00" }),
    "config.json": enc(config),
    "model.weights.h5": h5,
  }, { level: 0 }));
}
