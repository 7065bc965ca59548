// The cases a test runs: input files (one case per file for single-input
// models, or golden-style `<case>.in<k>.bin` groups), or seeded random
// tensors; and the deterministic split of cases across CI shards.
import { readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { TinymlError } from "../errors.js";
import { allocTyped, bytesOf } from "../model/dtype.js";
import { numElements } from "../model/graph.js";
import type { Graph, Tensor } from "../model/ir.js";
import { readInputTensor } from "../reference/io/inputs.js";

export interface TestCase {
  name: string;
  /** The files, or "random:<seed>:<i>". */
  sources: string[];
  /** Raw little-endian bytes of each model input. */
  data: Uint8Array[];
}

const INPUT_EXT = new Set([".bin", ".npy", ".json", ".pb"]);
const GROUPED = /^(.*)\.in(\d+)\.(bin|npy|json|pb)$/i;

function listDir(dir: string, modelBase: string): string[] {
  const files = readdirSync(dir).filter((f) => INPUT_EXT.has(extname(f).toLowerCase())).sort();
  // A shared inputs directory (like TFLM's golden one) holds several models' files: take this model's when named so.
  const own = files.filter((f) => f.startsWith(`${modelBase}.`));
  return (own.length > 0 ? own : files).map((f) => join(dir, f));
}

/** Expands directories and groups files into cases, in name order. */
export async function casesFromFiles(paths: readonly string[], graph: Graph, modelBase: string): Promise<TestCase[]> {
  const files: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new TinymlError("TML_E_FILE_NOT_FOUND", `input ${p} does not exist`, { hint: "pass --inputs DIR or input files (.bin, .npy, .json)" });
    }
    if (isDir) files.push(...listDir(p, modelBase));
    else files.push(p);
  }
  if (files.length === 0) {
    throw new TinymlError("TML_E_USAGE", `no input files (.bin, .npy, .json) in ${paths.join(", ")}`, { hint: "or use --random N to test on seeded random inputs" });
  }
  const inputs = graph.inputs.map((i) => graph.tensors[i]!);
  const groups = new Map<string, Map<number, string>>();
  for (const f of files) {
    const m = GROUPED.exec(basename(f));
    let name: string;
    let k: number;
    if (m) {
      name = m[1]!;
      k = Number(m[2]);
    } else if (inputs.length === 1) {
      name = basename(f).slice(0, -extname(f).length);
      k = 0;
    } else {
      throw new TinymlError("TML_E_INPUT_MISMATCH", `the model has ${inputs.length} inputs, so one file cannot be a case`, {
        location: { file: f },
        hint: "name each case's files <case>.in0.bin, <case>.in1.bin, … (one per model input)",
      });
    }
    const g = groups.get(name) ?? new Map<number, string>();
    if (g.has(k)) throw new TinymlError("TML_E_USAGE", `case '${name}' has two files for input ${k}: ${g.get(k)} and ${f}`);
    g.set(k, f);
    groups.set(name, g);
  }
  const cases = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, g]) => {
      const sources = inputs.map((t, k) => {
        const f = g.get(k);
        if (!f) {
          throw new TinymlError("TML_E_INPUT_MISMATCH", `case '${name}' has no file for input ${k} ('${t.name}')`, {
            hint: `add ${name}.in${k}.bin (${t.dtype} [${t.shape.join(", ")}])`,
          });
        }
        return f;
      });
      if (g.size > inputs.length) throw new TinymlError("TML_E_INPUT_MISMATCH", `case '${name}' has ${g.size} input files; the model takes ${inputs.length}`);
      return { name, sources };
    });
  return Promise.all(cases.map(async (c) => ({ ...c, data: await Promise.all(c.sources.map((f, k) => readInputTensor(f, inputs[k]!))) })));
}

/** xorshift32, so a seed names the same tensors on every machine. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

function randomTensor(t: Tensor, next: () => number): Uint8Array {
  const n = numElements(t.shape);
  const out = allocTyped(t.dtype, n);
  for (let i = 0; i < n; i++) {
    const r = next();
    if (out instanceof Float32Array) out[i] = r * 2 - 1;
    else if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[i] = BigInt(Math.floor(r * 256) - 128);
    else if (out instanceof Int8Array) out[i] = Math.floor(r * 256) - 128;
    else if (out instanceof Uint8Array) out[i] = Math.floor(r * 256);
    else if (out instanceof Int16Array) out[i] = Math.floor(r * 65536) - 32768;
    else out[i] = Math.floor(r * 256) - 128;
  }
  return bytesOf(out);
}

/** `count` cases of uniform random inputs (full integer range; [-1, 1) for floats). */
export function randomCases(count: number, seed: number, graph: Graph): TestCase[] {
  const inputs = graph.inputs.map((i) => graph.tensors[i]!);
  return Array.from({ length: count }, (_, i) => {
    const next = xorshift((seed * 1_000_003 + i) >>> 0);
    return { name: `random-${seed}-${i}`, sources: [`random:${seed}:${i}`], data: inputs.map((t) => randomTensor(t, next)) };
  });
}

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new TinymlError("TML_E_USAGE", `--shard must be i/n with 1 <= i <= n, got '${text}'`, { hint: "e.g. --shard 2/4 runs the second quarter of the cases" });
  }
  return { index, count };
}

/** Case k (in name order) belongs to shard (k mod n) + 1: every case in exactly one shard, sizes within one. */
export function shardCases<T>(cases: readonly T[], shard: Shard): T[] {
  return cases.filter((_, k) => k % shard.count === shard.index - 1);
}
