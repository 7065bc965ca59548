// `tinyml test --protocol eembc --inputs DIR` on the runner's dataset layout
// (y_labels.csv + .bin files in the benchmark's encoding; ad01 in sliding
// windows), on the host board, and the bad inputs the issue names.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { requireTool, tinyml } from "../cli.js";
import { fixturesDir } from "../fixtures.js";
import { seededRandom } from "../device/harness.js";
import type { TestReport } from "../../src/validate/report.js";

const ready = await requireTool("cc", "apt-get install gcc");
const root = mkdtempSync(join(tmpdir(), "tinyml-eembc-set-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const KWS = join(fixturesDir, "eembc", "kws_ref_model.tflite");
const AD = join(fixturesDir, "eembc", "ad01_int8.tflite");
const r = seededRandom(7);

function dataset(name: string, rows: Array<[string, Uint8Array, string]>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, data] of rows) writeFileSync(join(dir, file), data);
  writeFileSync(join(dir, "y_labels.csv"), rows.map(([file, , rest]) => `${file},${rest}\n`).join(""));
  return dir;
}

async function run(args: string[]): Promise<{ exitCode: number; stderr: string; report?: TestReport }> {
  const res = await tinyml(["test", "--protocol", "eembc", "--board", "host", "--runs", "1", "--warmup", "0", "--json", ...args]);
  return { exitCode: res.exitCode, stderr: res.stderr, ...(res.exitCode <= 1 ? { report: JSON.parse(res.stdout) as TestReport } : {}) };
}

describe.skipIf(!ready)("tinyml test --protocol eembc on a runner dataset", () => {
  it("kws01: one case per file, device text == host text, the runner's Top 1% and AUC from both", async () => {
    const rows: Array<[string, Uint8Array, string]> = Array.from({ length: 12 }, (_, i) => [`tst_${i}.bin`, new Uint8Array(490).map(() => Math.floor(r() * 256)), `12,${i}`]);
    const res = await run([KWS, "--inputs", dataset("kws01", rows), "--build-dir", join(root, "b-kws")]);
    expect(res.exitCode, res.stderr).toBe(0);
    const b = res.report!.boards[0]!;
    expect(b.cases.map((c) => c.name)).toEqual(rows.map(([f]) => f));
    expect(b.checks.find((c) => c.name === "eembc model id")?.status).toBe("pass");
    expect(b.eembc!.benchmark).toBe("kws01");
    expect(b.eembc!.device.files).toBe(12);
    expect(b.eembc!.device).toEqual(b.eembc!.host);
  });

  it("ad01: every window the runner sends (bytes_to_send, stride), scores averaged per file", async () => {
    const spectrogram = (frames: number): Uint8Array => new Uint8Array(Float32Array.from({ length: frames * 128 }, () => Math.fround(-80 + 90 * r())).buffer);
    const dir = dataset("ad01", [["normal_a.bin", spectrogram(7), "2,0,2560,512"], ["anomaly_b.bin", spectrogram(5), "2,1,2560,512"]]);
    const res = await run([AD, "--inputs", dir, "--build-dir", join(root, "b-ad")]);
    expect(res.exitCode, res.stderr).toBe(0);
    const b = res.report!.boards[0]!;
    // 7 frames of 128 float32 in windows of 5 frames, one frame apart: 3 windows; 5 frames: 1.
    expect(b.cases.map((c) => c.name)).toEqual(["normal_a.bin#0", "normal_a.bin#1", "normal_a.bin#2", "anomaly_b.bin"]);
    expect(b.eembc!.device).toEqual(b.eembc!.host);
    expect(b.eembc!.device.files).toBe(2);
  });

  it("refuses a file of the wrong size, naming it", async () => {
    const dir = dataset("short", [["ok.bin", new Uint8Array(490), "12,0"], ["short.bin", new Uint8Array(489), "12,1"]]);
    const res = await run([KWS, "--inputs", dir, "--build-dir", join(root, "b-short")]);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/short\.bin holds 489 bytes; kws01's model takes 490/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses an id that does not fit the model, a model none of the four without an id, and the streaming id", async () => {
    const person = join(fixturesDir, "models", "person_detect.tflite");
    const speech = join(fixturesDir, "models", "micro_speech_quantized.tflite");
    const wrong = await tinyml(["build", "--app", "eembc", "--board", "host", person, "--eembc-model", "ad01", "--build-dir", join(root, "b-x")]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/ad01 \(anomaly detection\) does not fit .*person_detect\.tflite/);
    const unknown = await tinyml(["build", "--app", "eembc", "--board", "host", speech, "--build-dir", join(root, "b-y")]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/none of the four MLPerf Tiny reference models/);
    expect(unknown.stderr).toMatch(/--eembc-model kws01\|vww01\|ic01\|ad01/);
    const sww = await tinyml(["build", "--app", "eembc", "--board", "host", speech, "--eembc-model", "sww01", "--build-dir", join(root, "b-z")]);
    expect(sww.exitCode).toBe(2);
    expect(sww.stderr).toMatch(/streaming wake-word benchmark/);
    const typo = await tinyml(["build", "--app", "eembc", "--board", "host", speech, "--eembc-model", "kws1", "--build-dir", join(root, "b-w")]);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toMatch(/Did you mean 'kws01'/);
    const stray = await tinyml(["build", "--board", "host", speech, "--eembc-model", "kws01", "--build-dir", join(root, "b-v")]);
    expect(stray.exitCode).toBe(2);
    expect(stray.stderr).toMatch(/--eembc-model is for --app eembc/);
  });
});
