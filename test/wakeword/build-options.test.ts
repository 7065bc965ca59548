// `--app wakeword`'s command line: which model is which, where the labels
// come from, the smoothing settings that compile into the firmware, and the
// mistakes a user makes with them, each a clear error before anything builds.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { mainGraph } from "../../src/model/graph.js";
import { loadModel } from "../../src/model/load.js";
import { writeTflite } from "../../src/model/tflite/writer.js";
import { tinyml } from "../cli.js";
import { modelPath } from "../fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "tinyml-ww-options-"));
const CLASSIFIER = modelPath("micro_speech_quantized");
const FRONTEND = modelPath("audio_preprocessor_int8");
/** A dry run for a vendor board: the project is written, nothing compiles. */
const dryRun = (out: string, ...args: string[]) =>
  tinyml(["build", "--app", "wakeword", "--board", "nano33ble", "--dry-run", "-o", join(dir, out), ...args]);

let unlabelled: string;
let calibratedScale: string;
beforeAll(async () => {
  // The same classifier re-written: a new hash, so nothing says what its categories are.
  const { model } = await loadModel(CLASSIFIER);
  unlabelled = join(dir, "unlabelled.tflite");
  writeFileSync(unlabelled, writeTflite(model));
  // …and one whose int8 input was calibrated to another scale than the features'.
  const g = mainGraph(model);
  const input = g.tensors[g.inputs[0]!]!;
  const skewed = { ...model, graphs: [{ ...g, tensors: g.tensors.map((t) => (t === input ? { ...t, quantization: { ...t.quantization!, scale: [0.0987] } } : t)) }] };
  calibratedScale = join(dir, "calibrated.tflite");
  writeFileSync(calibratedScale, writeTflite(skewed));
});

describe("tinyml build --app wakeword", () => {
  it("takes the classifier as MODEL (the shipped frontend by default), with its labels and the smoothing flags in the firmware", async () => {
    const r = await dryRun("by-classifier", CLASSIFIER, "--threshold", "150", "--suppression-ms", "1000");
    expect(r.exitCode, r.stderr).toBe(0);
    const sketch = join(dir, "by-classifier", "tinyml_app");
    expect(readFileSync(join(sketch, "src", "wakeword_labels.c"), "utf8")).toContain('{"silence", "unknown", "yes", "no"}');
    const yaml = readFileSync(join(sketch, "sketch.yaml"), "utf8") + r.stdout;
    expect(yaml).toContain("-DTML_WW_DETECTION_THRESHOLD=150");
    expect(yaml).toContain("-DTML_WW_SUPPRESSION_MS=1000");
    expect(yaml).toContain("-DTML_WW_KEYWORD_MASK=0xcu");
  });

  it("takes the frontend as MODEL with --classifier, and names the same program", async () => {
    const a = await dryRun("by-frontend", FRONTEND, "--classifier", CLASSIFIER);
    expect(a.exitCode, a.stderr).toBe(0);
    const read = (d: string) => readFileSync(join(dir, d, "tinyml_app", "src", "frontend_model.c"), "utf8");
    expect(read("by-frontend")).toBe(read("by-classifier"));
  });

  it("reads --labels (one per line) and refuses a list that does not match the outputs", async () => {
    writeFileSync(join(dir, "labels.txt"), "_silence\n_unknown\nup\ndown\n");
    const ok = await dryRun("labels", unlabelled, "--labels", join(dir, "labels.txt"));
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(readFileSync(join(dir, "labels", "tinyml_app", "src", "wakeword_labels.c"), "utf8")).toContain('{"_silence", "_unknown", "up", "down"}');
    writeFileSync(join(dir, "three.txt"), "silence\nunknown\nyes\n");
    const bad = await dryRun("three", CLASSIFIER, "--labels", join(dir, "three.txt"));
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/three\.txt names 3 categories \(silence, unknown, yes\), but the classifier has 4 scores/);
  });

  const errors: Array<[string, () => string[], number, RegExp]> = [
    ["a classifier that does not say its categories", () => [unlabelled], 2, /does not say what its categories are[\s\S]*--labels FILE/],
    ["a classifier quantized to another input scale", () => [calibratedScale, "--labels", join(dir, "labels.txt")], 3, /input is in scale 0\.0987.*features are in scale 0\.1017/],
    ["--frontend beside a frontend MODEL", () => [FRONTEND, "--frontend", FRONTEND], 2, /takes audio, so it is the frontend; --frontend names a second one/],
    ["--classifier beside a classifier MODEL", () => [CLASSIFIER, "--classifier", CLASSIFIER], 2, /takes features, so it is the classifier/],
    ["a threshold out of range", () => [CLASSIFIER, "--threshold", "300"], 2, /invalid posterior smoothing setting: detection threshold 300 \(0\.\.255\)/],
  ];
  for (const [name, args, code, message] of errors) {
    it(`refuses ${name}`, async () => {
      const r = await dryRun("bad", ...args());
      expect(r.exitCode).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
    });
  }

  it("refuses wake-word options without --app wakeword", async () => {
    const r = await tinyml(["build", "--board", "host", CLASSIFIER, "--threshold", "150", "-o", join(dir, "plain")]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--threshold is for --app wakeword/);
  });
});
