// Seeded mutation fuzzing of model files, shared by the test suite (a few
// thousand cases) and bench/fuzz.ts (100,000). A mutated file must either
// load — and then survive inspect and a write/read round trip unchanged — or
// fail with a TinymlError. Anything else (a RangeError, a hang, a crash) is a
// bug the run reports.

import { TinymlError } from "../../src/errors.js";
import { summarizeModel } from "../../src/inspect/summary.js";
import { readTflite } from "../../src/model/tflite/reader.js";
import { writeTflite } from "../../src/model/tflite/writer.js";
import { isDeepStrictEqual } from "node:util";

/** xorshift32: small, fast, and the same sequence on every machine. */
export function rng(seed: number): () => number {
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

const INTERESTING_U32 = [0, 1, 2, 3, 4, 7, 8, 16, 127, 128, 255, 256, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

export function mutate(original: Uint8Array, rand: () => number): Uint8Array {
  let b = original.slice();
  const pick = (n: number) => Math.floor(rand() * n);
  const rounds = 1 + pick(3);
  for (let r = 0; r < rounds; r++) {
    switch (pick(7)) {
      case 0: { // flip bits
        for (let k = 1 + pick(8); k > 0; k--) b[pick(b.length)]! ^= 1 << pick(8);
        break;
      }
      case 1: { // random bytes
        for (let k = 1 + pick(4); k > 0; k--) b[pick(b.length)] = pick(256);
        break;
      }
      case 2: { // an interesting 32-bit value at an aligned word (offsets, lengths, indices)
        if (b.length < 4) break;
        const at = pick(b.length >> 2) << 2;
        const v = INTERESTING_U32[pick(INTERESTING_U32.length)]!;
        const val = rand() < 0.2 ? (b.length + pick(64) - 32) >>> 0 : v;
        new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, val, true);
        break;
      }
      case 3: // truncate
        b = b.slice(0, pick(b.length));
        break;
      case 4: { // delete a chunk
        const at = pick(b.length);
        const n = 1 + pick(64);
        b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + n)]);
        break;
      }
      case 5: { // duplicate a chunk in place
        const from = pick(b.length);
        const n = Math.min(1 + pick(64), b.length - from);
        const to = pick(Math.max(1, b.length - n));
        b.copyWithin(to, from, from + n);
        break;
      }
      default: { // small signed delta on a 16-bit field (vtable entries)
        const at = pick(b.length >> 1) << 1;
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        if (at + 2 <= b.length) dv.setUint16(at, (dv.getUint16(at, true) + pick(17) - 8) & 0xffff, true);
      }
    }
    if (b.length === 0) break;
  }
  return b;
}

export type FuzzOutcome = "loaded" | "rejected" | "untyped";

export interface FuzzResult {
  outcome: FuzzOutcome;
  error?: unknown;
  ms: number;
}

/** Runs the model pipeline's front half on one mutated file. */
export function runOne(bytes: Uint8Array): FuzzResult {
  const t0 = performance.now();
  try {
    const model = readTflite(bytes, "fuzz.tflite");
    summarizeModel({ format: "tflite", path: "fuzz.tflite", sha256: "", model });
    const again = readTflite(writeTflite(model));
    if (!isDeepStrictEqual(again, model)) {
      return { outcome: "untyped", error: new Error("write/read round trip changed a fuzzed model"), ms: performance.now() - t0 };
    }
    return { outcome: "loaded", ms: performance.now() - t0 };
  } catch (e) {
    return { outcome: e instanceof TinymlError ? "rejected" : "untyped", error: e, ms: performance.now() - t0 };
  }
}

export interface FuzzSummary {
  cases: number;
  loaded: number;
  rejected: number;
  untyped: number;
  maxMs: number;
  failures: Array<{ model: string; seed: number; error: string }>;
  byCode: Record<string, number>;
}

export function fuzzModels(models: Array<{ name: string; bytes: Uint8Array; cases: number }>, seed: number): FuzzSummary {
  const s: FuzzSummary = { cases: 0, loaded: 0, rejected: 0, untyped: 0, maxMs: 0, failures: [], byCode: {} };
  models.forEach(({ name, bytes, cases }, mi) => {
    for (let i = 0; i < cases; i++) {
      const caseSeed = (seed * 1_000_003 + mi * 7_919 + i) >>> 0;
      const r = runOne(mutate(bytes, rng(caseSeed)));
      s.cases++;
      s[r.outcome]++;
      s.maxMs = Math.max(s.maxMs, r.ms);
      if (r.outcome === "rejected") {
        const code = (r.error as TinymlError).code;
        s.byCode[code] = (s.byCode[code] ?? 0) + 1;
      }
      if (r.outcome === "untyped" && s.failures.length < 20) {
        const err = r.error instanceof Error ? `${r.error.name}: ${r.error.message}\n${r.error.stack ?? ""}` : String(r.error);
        s.failures.push({ model: name, seed: caseSeed, error: err });
      }
    }
  });
  return s;
}
