// `tinyml evaluate` on TensorFlow Lite Micro's own micro_speech clips: the
// expected class of each clip and its int8 scores are TFLM's
// (test/fixtures/golden/micro_speech_pipeline.json, from TFLM's reference
// kernels), so the command must agree with TFLM clip for clip, byte for byte.
// Then every user error: a clear message, a stable exit code, no trace.
// (A fine-tuned Layers model and its int8 .tflite are evaluated on unseen
// voices in finetune.test.ts, against quantize's own accuracy numbers.)
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeWav } from "../../src/audio/wav.js";
import { mainGraph } from "../../src/model/graph.js";
import { loadModel } from "../../src/model/load.js";
import { writeTflite } from "../../src/model/tflite/writer.js";
import { repoRoot, tinyml, tinymlJson } from "../cli.js";

interface GoldenClip { clip: string; scores?: number[]; label?: string }
const golden = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/golden/micro_speech_pipeline.json"), "utf8")) as { labels: string[]; clips: GoldenClip[] };
const TFLM_CLIPS = golden.clips.filter((c) => c.label !== undefined);
const MODEL = "examples/models/micro_speech.tflite";

interface EvaluateResult {
  engine: string;
  labels: string[];
  samples: number;
  accuracy: number;
  confusion: number[][];
  perClass: { label: string; samples: number; recall: number | null }[];
  clips: { name: string; actual: string; predicted: string; scores: number[] }[];
}

const root = mkdtempSync(join(tmpdir(), "tinyml-evaluate-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder per TFLM golden label; the non-keyword folder spelt `silence`. */
function tflmSet(name: string, silenceFolder: string): string {
  const dir = join(root, name);
  for (const c of TFLM_CLIPS) {
    const folder = c.label === "silence" ? silenceFolder : c.label!;
    mkdirSync(join(dir, folder), { recursive: true });
    cpSync(join(repoRoot, "test/fixtures", c.clip), join(dir, folder, c.clip.split("/").pop()!));
  }
  return dir;
}

describe("tinyml evaluate on TFLM's micro_speech clips", () => {
  it("classifies each clip as TFLM does, with TFLM's int8 scores", async () => {
    expect(TFLM_CLIPS.map((c) => c.label)).toEqual(["yes", "no", "silence", "silence"]);
    const r = await tinymlJson<EvaluateResult>(["evaluate", MODEL, "--data", tflmSet("speech-commands", "_silence_")]);
    expect(r.engine).toBe("reference-int8");
    expect(r.labels).toEqual(golden.labels);
    expect(r.samples).toBe(TFLM_CLIPS.length);
    for (const c of TFLM_CLIPS) {
      const got = r.clips.find((x) => x.name.endsWith(c.clip.split("/").pop()!))!;
      expect(got.actual).toBe(c.label);
      expect(got.predicted).toBe(c.label);
      expect(got.scores).toEqual(c.scores);
    }
    expect(r.accuracy).toBe(1);
    // matrix[actual][predicted] over silence, unknown, yes, no
    expect(r.confusion).toEqual([[2, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
    expect(r.perClass.map((p) => [p.label, p.samples, p.recall])).toEqual([["silence", 2, 1], ["unknown", 0, null], ["yes", 1, 1], ["no", 1, 1]]);
  });

  it("takes this project's spelling of the non-keyword folders too, and prints the confusion matrix", async () => {
    const r = await tinyml(["evaluate", MODEL, "--data", tflmSet("project", "_background")]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Accuracy: 100\.00% \(4\/4\)/);
    expect(r.stdout).toMatch(/silence\s+2\s+0\s+0\s+0\s+100%/);
    expect(r.stdout).toMatch(/bit-exact reference \(int8/);
  });

  it("reads a Layers model's labels from labels.txt beside it and runs it in TF.js", async () => {
    // kws_base names its non-keyword class "_silence": the silence folder maps to it by meaning.
    const r = await tinymlJson<EvaluateResult>(["evaluate", "examples/models/kws_base/model.json", "--data", tflmSet("base", "_silence_")]);
    expect(r.engine).toBe("tfjs");
    expect(r.labels[0]).toBe("_silence");
    expect(r.clips.filter((c) => c.name.startsWith("_silence_/")).every((c) => c.actual === "_silence")).toBe(true);
    for (const c of r.clips) expect(c.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it("runs a float .tflite in the reference interpreter, predicting as TF.js does on the Layers model it came from", async () => {
    const data = tflmSet("float", "_silence_");
    const f32 = join(root, "kws_base_f32.tflite");
    const c = await tinyml(["convert", "examples/models/kws_base/model.json", "-o", f32]);
    expect(c.exitCode, c.stderr).toBe(0);
    const ref = await tinymlJson<EvaluateResult>(["evaluate", f32, "--data", data, "--labels", "examples/models/kws_base/labels.txt"]);
    const tfjs = await tinymlJson<EvaluateResult>(["evaluate", "examples/models/kws_base/model.json", "--data", data]);
    expect(ref.engine).toBe("reference-float");
    expect(ref.clips.map((x) => x.predicted)).toEqual(tfjs.clips.map((x) => x.predicted));
    ref.clips.forEach((x, i) => x.scores.forEach((v, k) => expect(v).toBeCloseTo(tfjs.clips[i]!.scores[k]!, 4)));
  });
});

describe("tinyml evaluate: user errors", () => {
  const expectError = async (args: string[], exit: number, code: string, message: RegExp): Promise<void> => {
    const r = await tinyml(["evaluate", MODEL, ...args]);
    expect(r.exitCode, r.stderr).toBe(exit);
    expect(r.stderr).toContain(`error[${code}]`);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  };

  it("missing --data, a missing folder, a folder with no clips", async () => {
    await expectError([], 2, "TML_E_USAGE", /needs --data/);
    await expectError(["--data", join(root, "nosuch")], 2, "TML_E_FILE_NOT_FOUND", /data folder not found/);
    const empty = join(root, "empty");
    mkdirSync(join(empty, "yes"), { recursive: true });
    writeFileSync(join(empty, "yes", "notes.txt"), "no audio here\n");
    await expectError(["--data", empty], 2, "TML_E_INPUT_MISMATCH", /no \.wav clips/);
  });

  it("a folder the model has no class for, with the nearest label", async () => {
    const dir = tflmSet("typo", "_silence_");
    cpSync(join(dir, "yes"), join(dir, "yess"), { recursive: true });
    await expectError(["--data", dir], 2, "TML_E_INPUT_MISMATCH", /folder 'yess' is not one of the model's labels \(silence, unknown, yes, no\)[\s\S]*Did you mean 'yes'/);
  });

  it("non-keyword audio for a model without that class, a word clip over 1 s, a wrong labels file", async () => {
    const noUnknown = join(root, "no-unknown");
    mkdirSync(join(noUnknown, "_unknown_"), { recursive: true });
    writeWav(join(noUnknown, "_unknown_", "a.wav"), new Int16Array(16000));
    const labels = join(root, "two-labels.txt");
    writeFileSync(labels, "silence\nyes\n");
    await expectError(["--data", noUnknown, "--labels", labels], 2, "TML_E_INPUT_MISMATCH", /names 2 categories .* but the classifier has 4 scores/);
    const four = join(root, "four-labels.txt");
    writeFileSync(four, "silence\nhello\nyes\nno\n");
    await expectError(["--data", noUnknown, "--labels", four], 2, "TML_E_INPUT_MISMATCH", /folder '_unknown_' holds non-keyword audio, but the model has no such class/);
    const long = join(root, "long");
    mkdirSync(join(long, "yes"), { recursive: true });
    writeWav(join(long, "yes", "long.wav"), new Int16Array(24000));
    await expectError(["--data", long], 2, "TML_E_INPUT_MISMATCH", /yes\/long\.wav is 1500 ms long; word clips must be at most 1 s/);
  });

  it("a model that is no keyword classifier, and a --json error document", async () => {
    const r = await tinyml(["evaluate", "examples/models/hello_world_int8.tflite", "--data", tflmSet("hello", "_silence_"), "--labels", join(root, "one.txt"), "--json"]);
    expect(r.exitCode).toBe(2);
    writeFileSync(join(root, "one.txt"), "value\n");
    const r2 = await tinyml(["evaluate", "examples/models/hello_world_int8.tflite", "--data", join(root, "hello"), "--labels", join(root, "one.txt"), "--json"]);
    expect(r2.exitCode, r2.stderr).toBe(3);
    expect(JSON.parse(r2.stdout)).toMatchObject({ error: { code: "TML_E_MODEL_UNSUPPORTED" } });
    expect(r2.stderr).toMatch(/reads one 49×40 feature window/);
  });

  it("an int8 classifier whose input is not in the features' scale would misread every one", async () => {
    const { model } = await loadModel(join(repoRoot, MODEL));
    const g = mainGraph(model);
    const input = g.tensors[g.inputs[0]!]!;
    const skewed = { ...model, graphs: [{ ...g, tensors: g.tensors.map((t) => (t === input ? { ...t, quantization: { ...t.quantization!, scale: [0.0987] } } : t)) }] };
    const file = join(root, "calibrated.tflite");
    writeFileSync(file, writeTflite(skewed));
    writeFileSync(join(root, "ms-labels.txt"), "silence\nunknown\nyes\nno\n");
    const r = await tinyml(["evaluate", file, "--data", join(root, "hello"), "--labels", join(root, "ms-labels.txt")]);
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/input is in scale 0\.0987.*features are in scale 0\.1017/);
  });
});
