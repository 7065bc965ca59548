// Reading HDF5 with h5wasm (the HDF5 C library compiled to WebAssembly, no
// native install): a file's bytes are written to h5wasm's in-memory file
// system, opened, read and closed again. Loaded on first use, so commands
// that never meet an HDF5 file do not pay for the 4 MB module.

import { TinymlError } from "../../errors.js";

type H5wasm = typeof import("h5wasm");
export type H5File = InstanceType<H5wasm["File"]>;
export type H5Group = InstanceType<H5wasm["Group"]>;
export type H5Dataset = InstanceType<H5wasm["Dataset"]>;

let module: Promise<{ h5: H5wasm; fs: { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void } }> | undefined;

async function h5wasm(): Promise<{ h5: H5wasm; fs: { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void } }> {
  module ??= import("h5wasm").then(async (m) => {
    const h5 = (m as unknown as { default?: H5wasm }).default ?? (m as unknown as H5wasm);
    const { FS } = await h5.ready;
    return { h5, fs: FS as unknown as { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void } };
  });
  return module;
}

let counter = 0;

/** Opens HDF5 `bytes` read-only for the duration of `fn`. */
export async function withH5<T>(bytes: Uint8Array, what: string, fn: (f: H5File) => T): Promise<T> {
  const { h5, fs } = await h5wasm();
  const name = `/tinyml-${process.pid}-${counter++}.h5`;
  fs.writeFile(name, bytes);
  let file: H5File;
  try {
    file = new h5.File(name, "r");
  } catch (e) {
    fs.unlink(name);
    throw new TinymlError("TML_E_MODEL_INVALID", `${what} is not a readable HDF5 file: ${(e as Error).message}`, {
      hint: "The file is truncated or corrupt; save the model again.",
    });
  }
  try {
    return fn(file);
  } finally {
    file.close();
    fs.unlink(name);
  }
}

/** A string attribute (h5py writes some as fixed-length bytes, some as variable-length strings). */
export function stringAttr(node: H5File | H5Group, name: string): string | undefined {
  const a = node.attrs[name];
  if (!a) return undefined;
  const v = a.value as unknown;
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return undefined;
}

/** A list-of-strings attribute (Keras's weight_names, layer_names); an empty list for an empty one. */
export function stringListAttr(node: H5File | H5Group, name: string): string[] | undefined {
  const a = node.attrs[name];
  if (!a) return undefined;
  const v = a.value as unknown;
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.map(String);
  if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === 0) return [];
  return undefined;
}

export function isGroup(x: unknown): x is H5Group {
  return typeof x === "object" && x !== null && (x as { type?: string }).type === "Group";
}

export function isDataset(x: unknown): x is H5Dataset {
  return typeof x === "object" && x !== null && (x as { type?: string }).type === "Dataset";
}

/** A dataset's values as float32 (Keras weights are float32; float64 and float16 are converted). */
export function floatValues(d: H5Dataset, path: string): { shape: number[]; values: Float32Array } {
  const shape = (d.shape ?? []).map(Number);
  const v = d.value as unknown;
  let values: Float32Array;
  if (v instanceof Float32Array) values = v.slice();
  else if (v instanceof Float64Array) values = Float32Array.from(v);
  else if (typeof v === "number") values = Float32Array.of(v);
  else {
    throw new TinymlError("TML_E_WEIGHTS_INVALID", `weight '${path}' has HDF5 type ${String(d.dtype)}, which tinyml cannot read as float`, {
      hint: "Save the model with float32 weights (no mixed precision policy).",
    });
  }
  const bad = values.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) {
    throw new TinymlError("TML_E_WEIGHTS_INVALID", `weight '${path}' holds ${values[bad]} at index ${bad}`, {
      hint: "The model diverged in training or was corrupted; tinyml needs finite weights.",
    });
  }
  return { shape, values };
}
