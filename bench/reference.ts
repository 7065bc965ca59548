// Reference interpreter throughput on person_detect (MobileNet v1 0.25, 96x96
// grayscale): 7,157,888 multiply-accumulates per inference. Writes
// bench/results/reference.json; bench/host-speed.ts reuses the measurement.
//   npx tsx bench/reference.ts [invokes]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadModel } from "../src/model/load.js";
import { prepareReference } from "../src/reference/interpreter.js";
import { fixturesDir, modelPath } from "../test/fixtures.js";
import { writeResult } from "./result.js";

const MACS_PER_INFERENCE = 7_157_888;

export interface ReferenceSpeed {
  model: string;
  macsPerInference: number;
  invokes: number;
  prepareMs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  macsPerSecond: number;
}

export async function measureReference(invokes: number): Promise<ReferenceSpeed> {
  const { model } = await loadModel(modelPath("person_detect"));
  const t0 = performance.now();
  const interp = prepareReference(model);
  const prepareMs = performance.now() - t0;
  const image = new Uint8Array(readFileSync(`${fixturesDir}golden/inputs/person_detect.person_detection_person.in0.bin`));
  // Warm up the JIT before timing.
  for (let i = 0; i < 3; i++) interp.invoke([image]);
  const times: number[] = [];
  for (let i = 0; i < invokes; i++) {
    const t = performance.now();
    interp.invoke([image]);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)]!;
  return {
    model: "person_detect",
    macsPerInference: MACS_PER_INFERENCE,
    invokes,
    prepareMs: Number(prepareMs.toFixed(2)),
    medianMs: Number(medianMs.toFixed(2)),
    minMs: Number(times[0]!.toFixed(2)),
    maxMs: Number(times[times.length - 1]!.toFixed(2)),
    macsPerSecond: Math.round(MACS_PER_INFERENCE / (medianMs / 1000)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await measureReference(Number(process.argv[2] ?? 20));
  const path = writeResult("reference", { ...r });
  console.log(
    `reference: person_detect ${r.medianMs.toFixed(1)} ms/inference (median of ${r.invokes}), ` +
      `${(r.macsPerSecond / 1e6).toFixed(0)} M MAC/s, prepare ${r.prepareMs.toFixed(1)} ms -> ${path}`,
  );
}
