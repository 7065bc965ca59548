// Thousands of seeded mutations of the real models: each one loads cleanly or
// fails with a typed TinymlError, quickly. bench/fuzz.ts runs 100,000.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { modelPath } from "../fixtures.js";
import { fuzzModels } from "./mutate.js";

const load = (name: Parameters<typeof modelPath>[0]) => new Uint8Array(readFileSync(modelPath(name)));

describe("mutation fuzzing of the .tflite reader, inspect and writer", () => {
  it("4,000 mutated models: zero untyped errors, no hangs", () => {
    const summary = fuzzModels(
      [
        { name: "hello_world_int8", bytes: load("hello_world_int8"), cases: 1200 },
        { name: "micro_speech_quantized", bytes: load("micro_speech_quantized"), cases: 1000 },
        { name: "audio_preprocessor_int8", bytes: load("audio_preprocessor_int8"), cases: 1200 },
        { name: "person_detect", bytes: load("person_detect"), cases: 600 },
      ],
      20261122,
    );
    expect(summary.failures).toEqual([]);
    expect(summary.untyped).toBe(0);
    expect(summary.cases).toBe(4000);
    // Both outcomes happen: the fuzzer reaches deep into valid structure too.
    expect(summary.rejected).toBeGreaterThan(1000);
    expect(summary.loaded).toBeGreaterThan(100);
    expect(summary.maxMs).toBeLessThan(2000);
  });
});
