// tml_recognize.c (the device's smoothing) and smoothing.ts (the host's) must
// give the same result for every classifier output: same index, same score,
// same new-command flag. Sequences: hand cases, seeded random score streams
// under several settings (with time jumps that empty the queue and bursts
// that fill it), and a time-order violation.
import { beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { requireTool } from "../cli.js";
import { buildDriver, DEFAULTS, runC, runTs, runtimeDir, type SmoothingConfig, type TimedScores } from "./recognize-c.js";

let exe: string | undefined;
beforeAll(async () => {
  if (await requireTool("gcc", "apt-get install gcc")) exe = await buildDriver();
});

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

/** Scores drifting between categories, so averages cross the threshold often. */
function randomStream(seed: number, steps: number, categories: number): TimedScores[] {
  const r = rng(seed);
  let t = Math.floor(r() * 100);
  let top = 0;
  const out: TimedScores[] = [];
  for (let i = 0; i < steps; i++) {
    if (r() < 0.03) top = Math.floor(r() * categories);
    const jump = r();
    t += jump < 0.01 ? 2000 + Math.floor(r() * 3000) : jump < 0.05 ? 0 : jump < 0.1 ? 1 : 20;
    const scores = Array.from({ length: categories }, (_, k) => (k === top ? 127 - Math.floor(r() * 90) : -128 + Math.floor(r() * 60)));
    out.push({ timeMs: t, scores });
  }
  return out;
}

const CONFIGS: [string, SmoothingConfig][] = [
  ["defaults", DEFAULTS],
  ["short window", { ...DEFAULTS, averageWindowMs: 300 }],
  ["minimum count 1, threshold 0", { ...DEFAULTS, minimumCount: 1, detectionThreshold: 0 }],
  ["no suppression, window 0", { averageWindowMs: 0, detectionThreshold: 150, suppressionMs: 0, minimumCount: 1 }],
  ["long window (queue always full)", { ...DEFAULTS, averageWindowMs: 3000, minimumCount: 10 }],
];

describe.each(CONFIGS)("C and TypeScript agree: %s", (_name, config) => {
  it.each([1, 2, 3])("random stream, seed %i (4 categories)", async (seed) => {
    if (!exe) return;
    const seq = randomStream(seed, 3000, 4);
    const ts = runTs(config, 4, seq);
    expect(ts.some((l) => l.endsWith(" 1"))).toBe(true);
    expect(await runC(exe, config, 4, seq)).toEqual(ts);
  });

  it("random stream with 12 categories", async () => {
    if (!exe) return;
    const seq = randomStream(99, 1500, 12);
    expect(await runC(exe, config, 12, seq)).toEqual(runTs(config, 12, seq));
  });
});

it("C and TypeScript agree on a time-order violation and carry on identically", async () => {
  if (!exe) return;
  const seq: TimedScores[] = [
    ...Array.from({ length: 30 }, (_, i) => ({ timeMs: 20 * i, scores: [-128, -128, 127, -128] })),
    { timeMs: -5, scores: [0, 0, 0, 0] },
    ...Array.from({ length: 30 }, (_, i) => ({ timeMs: 600 + 20 * i, scores: [-128, -128, -128, 127] })),
  ];
  const ts = runTs(DEFAULTS, 4, seq);
  expect(ts[30]).toBe("error 3");
  expect(await runC(exe, DEFAULTS, 4, seq)).toEqual(ts);
});

it("tml_recognize.c compiles for Cortex-M4 with -Werror", async () => {
  if (!(await requireTool("arm-none-eabi-gcc", "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"))) return;
  const r = await execa(
    "arm-none-eabi-gcc",
    ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-mcpu=cortex-m4", "-mthumb", "-c", `${runtimeDir}tml_recognize.c`, "-o", "/dev/null"],
    { reject: false },
  );
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
});
