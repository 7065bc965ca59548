// `tinyml build --app wakeword` states the wake word's share of each 20 ms
// frame at the board's clock (boards/*.json) before anything compiles, and
// warns above 80%. micro_speech is one of the cost table's calibration
// models, so its per-run instruction counts are the ones QEMU measured
// (data/op-costs.json); the duty cycle is those counts at the board's clock.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repoRoot, tinyml } from "../cli.js";
import { modelPath } from "../fixtures.js";

interface Costs { boards: { board: string; runtime: string; models: { model: string; measuredInstructions: number }[] }[] }
const costs = JSON.parse(readFileSync(`${repoRoot}data/op-costs.json`, "utf8")) as Costs;
const m4 = costs.boards.find((b) => b.board === "qemu-m4" && b.runtime === "aot")!;
const measured = (m: string): number => m4.models.find((x) => x.model === m)!.measuredInstructions;
const FRONTEND = measured("audio_preprocessor_int8.tflite");
const CLASSIFIER = measured("micro_speech_quantized.tflite");
const clock = (board: string): number => (JSON.parse(readFileSync(`${repoRoot}boards/${board}.json`, "utf8")) as { cpu: { clockHz: number } }).cpu.clockHz;

interface Planned { wakewordDutyCycle: { frontendInstructions: number; classifierInstructions: number; duty: { duty: { mean: number; max: number }; clockHz: number } } }
const plan = (board: string, every: number) =>
  tinyml(["build", "--app", "wakeword", "--board", board, "--plan-only", modelPath("micro_speech_quantized"), "--classify-every", String(every), "--json"]);

describe("tinyml build --app wakeword: duty cycle at the board's clock", () => {
  it.for([["nano33ble", 1], ["nano33ble", 3], ["qemu-m4", 1], ["qemu-m4", 3]] as const)("%s, classifier on one frame in %i", async ([board, every]) => {
    const r = await plan(board, every);
    expect(r.exitCode, r.stderr).toBe(0);
    const d = (JSON.parse(r.stdout) as Planned).wakewordDutyCycle;
    expect([d.frontendInstructions, d.classifierInstructions]).toEqual([FRONTEND, CLASSIFIER]);
    const frame = clock(board) * 0.02;
    expect(d.duty.clockHz).toBe(clock(board));
    expect(d.duty.duty.mean).toBeCloseTo((FRONTEND + CLASSIFIER / every) / frame, 9);
    expect(d.duty.duty.max).toBeCloseTo((FRONTEND + CLASSIFIER) / frame, 9);
    const over = d.duty.duty.mean > 0.8;
    expect(r.stderr.includes("above 80.0%")).toBe(over);
    console.log(`${board} --classify-every ${every}: ${(d.duty.duty.mean * 100).toFixed(1)}% mean, ${(d.duty.duty.max * 100).toFixed(1)}% peak${over ? " (warned)" : ""}`);
  });

  it("says so on the terminal, with the option that fits a slow board", async () => {
    const r = await tinyml(["build", "--app", "wakeword", "--board", "qemu-m4", "--plan-only", modelPath("micro_speech_quantized")]);
    expect(r.exitCode, r.stderr).toBe(0);
    const m = /wake word: ≈ (130,\d{3}) frontend \+ (7\d\d,\d{3}) classifier instructions per frame \(as measured on qemu-m4\), at qemu-m4's 25 MHz: mean (\d+\.\d)%/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    // Instructions taken as cycles: a 20 ms frame at 25 MHz is 500,000 of them.
    const perFrame = Number(m![1]!.replace(",", "")) + Number(m![2]!.replace(",", ""));
    expect(Number(m![3])).toBeCloseTo((100 * perFrame) / 500_000, 1);
    expect(Number(m![3])).toBeGreaterThan(80);
    expect(r.stderr).toContain(`warning: the wake word uses ${m![3]}% of each 20 ms frame on qemu-m4 at 25 MHz`);
    expect(r.stderr).toMatch(/--classify-every 2: about \d+\.\d%/);
    const host = await tinyml(["build", "--app", "wakeword", "--board", "host", "--plan-only", modelPath("micro_speech_quantized")]);
    expect(host.stdout).toMatch(/no duty-cycle estimate \(no cost table for the host's CPU/);
  });

  it("--classify-every must be 1..16 and is for --app wakeword", async () => {
    const r = await plan("nano33ble", 0);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--classify-every 0 must be a whole number from 1 to 16/);
    const r2 = await tinyml(["build", "--board", "nano33ble", "--plan-only", modelPath("micro_speech_quantized"), "--classify-every", "2"]);
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toMatch(/--classify-every is for --app wakeword/);
  });
});
