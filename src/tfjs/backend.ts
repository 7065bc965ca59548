// TensorFlow.js, loaded on demand: commands that never run TF.js should not
// pay for importing it. The native backend (@tensorflow/tfjs-node, an
// optional install that downloads libtensorflow) is used when it imports;
// otherwise @tensorflow/tfjs on the WebAssembly backend, whose .wasm files
// are loaded from the installed package by file path (no network).

import { createRequire } from "node:module";
import { dirname } from "node:path";

export type Tf = typeof import("@tensorflow/tfjs");

let loading: Promise<Tf> | undefined;

async function importNative(): Promise<Tf | undefined> {
  // A variable specifier keeps bundlers and tsc from requiring the optional package.
  const name = "@tensorflow/tfjs-node";
  try {
    return (await import(name)) as Tf;
  } catch {
    return undefined;
  }
}

async function importWasm(): Promise<Tf> {
  const tf = await import("@tensorflow/tfjs");
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const entry = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(`${dirname(entry)}/`);
  if (!(await tf.setBackend("wasm"))) throw new Error("TF.js could not start its WebAssembly backend");
  await tf.ready();
  return tf;
}

/** The TF.js module with a backend ready (native when installed, else WebAssembly). */
export function loadTf(): Promise<Tf> {
  loading ??= (async () => (await importNative()) ?? (await importWasm()))();
  return loading;
}

/** Like loadTf, but on the pure-JS CPU backend: the WebAssembly backend has no conv gradients, so training needs this. */
export async function loadTfForTraining(): Promise<Tf> {
  const native = await importNative();
  if (native) return native;
  const tf = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  await tf.ready();
  return tf;
}
