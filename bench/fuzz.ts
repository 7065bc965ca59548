// The long fuzz run: 100,000 seeded mutations of the shared models through the
// reader, inspect and the writer. Writes bench/results/fuzz.json; exits 1 if
// any mutation produced an untyped error.
//   npx tsx bench/fuzz.ts [cases] [seed]
import { readFileSync } from "node:fs";
import { fuzzModels } from "../test/fuzz/mutate.js";
import { modelPath, type SharedModel } from "../test/fixtures.js";
import { writeResult } from "./result.js";

const total = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 1);
const share: Array<[SharedModel, number]> = [
  ["hello_world_int8", 0.25], ["micro_speech_quantized", 0.25], ["audio_preprocessor_int8", 0.25],
  ["audio_preprocessor_float", 0.15], ["person_detect", 0.1],
];
const t0 = performance.now();
const summary = fuzzModels(
  share.map(([name, f]) => ({ name, bytes: new Uint8Array(readFileSync(modelPath(name))), cases: Math.round(total * f) })),
  seed,
);
const seconds = (performance.now() - t0) / 1000;
writeResult("fuzz", { seed, seconds: Number(seconds.toFixed(1)), ...summary });
console.log(
  `fuzz: ${summary.cases} mutations in ${seconds.toFixed(1)} s: ${summary.loaded} loaded, ` +
    `${summary.rejected} rejected with a typed error, ${summary.untyped} untyped; slowest ${summary.maxMs.toFixed(1)} ms`,
);
for (const f of summary.failures) console.error(`untyped error (${f.model}, seed ${f.seed}): ${f.error}`);
process.exitCode = summary.untyped > 0 ? 1 : 0;
