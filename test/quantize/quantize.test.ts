// `tinyml quantize` on the example models: accuracy kept within a point of
// the float model, TFLite's quantization rules obeyed in the written file,
// and `tinyml predict` on that file reproducing the quantize-time int8 run.

import { stampProvenance } from "../../src/cli/model-output.js";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHoldout, type ExampleName } from "../../examples/train/data.js";
import { mainGraph } from "../../src/model/graph.js";
import type { Model, Tensor } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { readTflite } from "../../src/model/tflite/reader.js";
import { writeTflite } from "../../src/model/tflite/writer.js";
import { readDataset } from "../../src/quantize/calib-data.js";
import { calibrateRanges } from "../../src/quantize/calibrate.js";
import { evaluateQuantization, type QuantizationReport } from "../../src/quantize/evaluate.js";
import { quantizeValue } from "../../src/quantize/params.js";
import { quantizeModel } from "../../src/quantize/quantize-model.js";
import { repoRoot, tinyml, tinymlJson } from "../cli.js";

let dir: string;
const EXAMPLES: ExampleName[] = ["kws_cnn", "tiny_image"];
const exampleDir = (e: ExampleName): string => join(repoRoot, "examples", "models", e);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tinyml-quant-"));
  for (const e of EXAMPLES) writeHoldout(e, join(dir, e, "holdout"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type QuantizeJson = QuantizationReport & { bytes: number; measuredOn: string; warnings: string[] };

function checkTfliteRules(m: Model): void {
  const g = mainGraph(m);
  const q = (t: Tensor) => t.quantization!;
  for (const op of g.ops) {
    if (op.kind !== "builtin") continue;
    const x = g.tensors[op.inputs[0]!]!;
    const y = g.tensors[op.outputs[0]!]!;
    if (op.type === "CONV_2D" || op.type === "DEPTHWISE_CONV_2D" || op.type === "FULLY_CONNECTED") {
      const w = g.tensors[op.inputs[1]!]!;
      const b = g.tensors[op.inputs[2]!]!;
      const channels = op.type === "DEPTHWISE_CONV_2D" ? w.shape[3]! : w.shape[0]!;
      expect([x.dtype, w.dtype, b.dtype, y.dtype]).toEqual(["int8", "int8", "int32", "int8"]);
      expect(q(w).scale).toHaveLength(channels);
      expect(q(w).axis).toBe(op.type === "DEPTHWISE_CONV_2D" ? 3 : 0);
      expect(q(w).zeroPoint.every((z) => z === 0)).toBe(true);
      expect(Array.from(new Int8Array(w.data!.buffer, w.data!.byteOffset, w.data!.byteLength)).every((v) => v >= -127)).toBe(true);
      expect(q(b).zeroPoint.every((z) => z === 0)).toBe(true);
      q(b).scale.forEach((s, c) => expect(s).toBe(Math.fround(q(x).scale[0]! * q(w).scale[c]!)));
    }
    if (op.type === "SOFTMAX" || op.type === "LOGISTIC") expect([q(y).scale[0], q(y).zeroPoint[0]]).toEqual([1 / 256, -128]);
    if (op.type === "TANH") expect([q(y).scale[0], q(y).zeroPoint[0]]).toEqual([1 / 128, 0]);
    if (op.type === "MAX_POOL_2D" || op.type === "AVERAGE_POOL_2D" || op.type === "RESHAPE" || op.type === "PAD") {
      expect(q(y).scale[0]).toBe(q(x).scale[0]);
      expect(q(y).zeroPoint[0]).toBe(q(x).zeroPoint[0]);
    }
    if (y.dtype === "int8") expect(q(y).zeroPoint[0]).toBeGreaterThanOrEqual(-128);
  }
}

describe.each(EXAMPLES)("tinyml quantize %s", (example) => {
  const out = () => join(dir, `${example}.tflite`);
  let report: QuantizeJson;

  beforeAll(async () => {
    report = await tinymlJson<QuantizeJson>([
      "quantize", join(exampleDir(example), "model.json"), "--calib", join(exampleDir(example), "calib"),
      "--holdout", join(dir, example, "holdout"), "-o", out(),
    ]);
  });

  it("keeps top-1 accuracy within 1 point of the float model on the holdout set", () => {
    expect(report.measuredOn).toBe("holdout");
    expect(report.accuracy).toBeDefined();
    const { float, int8 } = report.accuracy!;
    expect(float).toBeGreaterThan(0.8);
    // Compare correct-sample counts: fractions would make "exactly 1 point" a rounding question.
    const n = report.samples;
    expect(Math.abs(Math.round(float * n) - Math.round(int8 * n))).toBeLessThanOrEqual(Math.floor(n / 100));
    expect(report.outputs[0]!.top1Agreement).toBeGreaterThan(0.97);
    for (const l of report.layers) expect(l.sqnrDb === null || l.sqnrDb > 15).toBe(true);
  });

  it("writes an int8 .tflite that obeys TFLite's quantization rules", () => {
    const m = readTflite(new Uint8Array(readFileSync(out())), out());
    const g = mainGraph(m);
    expect(g.tensors[g.inputs[0]!]!.dtype).toBe("int8");
    expect(g.tensors[g.outputs[0]!]!.dtype).toBe("int8");
    checkTfliteRules(m);
  });

  it("gives the same int8 outputs under `tinyml predict` as the quantize-time simulation", async () => {
    // Rebuild the quantization in-process: it must be deterministic and equal the CLI's file.
    const { model } = await loadModel(join(exampleDir(example), "model.json"));
    const g = mainGraph(model);
    const calib = readDataset(join(exampleDir(example), "calib"), g.tensors[g.inputs[0]!]!);
    const int8 = quantizeModel(model, calibrateRanges(model, calib.samples), { io: "int8" }).model;
    expect(Buffer.from(writeTflite(stampProvenance(int8, join(exampleDir(example), "model.json")))).equals(readFileSync(out()))).toBe(true);
    const holdout = readDataset(join(dir, example, "holdout"), g.tensors[g.inputs[0]!]!);
    const few = { samples: holdout.samples.slice(0, 3), sources: holdout.sources.slice(0, 3) };
    const { int8Outputs } = evaluateQuantization(model, int8, few);
    const qin = mainGraph(int8).tensors[mainGraph(int8).inputs[0]!]!.quantization!;
    for (let s = 0; s < few.samples.length; s++) {
      const file = join(dir, `${example}-in${s}.bin`);
      writeFileSync(file, Int8Array.from(few.samples[s]!, (v) => quantizeValue(v, { scale: qin.scale[0]!, zeroPoint: qin.zeroPoint[0]! })));
      const r = await tinymlJson<{ outputs: Array<{ dtype: string; data: number[] }> }>(["predict", out(), "--input", file]);
      expect(r.outputs[0]!.dtype).toBe("int8");
      expect(r.outputs[0]!.data).toEqual(Array.from(int8Outputs[s]![0]! as Int8Array));
    }
  });
});

describe("tinyml quantize --io float", () => {
  it("adds QUANTIZE at the input and DEQUANTIZE at the output", async () => {
    const out = join(dir, "float-io.tflite");
    const r = await tinymlJson<QuantizeJson>(["quantize", join(exampleDir("tiny_image"), "model.json"), "--calib", join(exampleDir("tiny_image"), "calib"), "--io", "float", "-o", out]);
    expect(r.measuredOn).toBe("calibration");
    const m = readTflite(new Uint8Array(readFileSync(out)), out);
    const g = mainGraph(m);
    const types = g.ops.map((o) => (o.kind === "builtin" ? o.type : ""));
    expect(types[0]).toBe("QUANTIZE");
    expect(types[types.length - 1]).toBe("DEQUANTIZE");
    expect(g.tensors[g.inputs[0]!]!.dtype).toBe("float32");
    expect(g.tensors[g.outputs[0]!]!.dtype).toBe("float32");
    checkTfliteRules(m);
  });
});

describe("tinyml quantize: bad input", () => {
  const model = () => join(exampleDir("tiny_image"), "model.json");

  async function expectError(args: string[], code: string, pattern: RegExp): Promise<void> {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}.tflite`);
    const r = await tinyml(["quantize", model(), ...args, "-o", out]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error[${code}]`);
    expect(r.stderr).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  }

  it("names the file and the expected shape when a sample does not fit", async () => {
    const d = join(dir, "wrong-shape");
    writeCalibDir(d, "a.json", JSON.stringify(new Array(10).fill(0.5)));
    await expectError(["--calib", d], "TML_E_CALIB_INVALID", /wrong-shape\/a\.json[\s\S]*float32 \[1, 16, 16, 1\]|float32 \[1, 16, 16, 1\][\s\S]*wrong-shape\/a\.json/);
  });

  it("rejects NaN in calibration data", async () => {
    const d = join(dir, "nan-calib");
    const v = new Float32Array(256).fill(0.1);
    v[17] = Number.NaN;
    writeCalibDir(d, "s.bin", new Uint8Array(v.buffer));
    await expectError(["--calib", d], "TML_E_CALIB_INVALID", /holds NaN at element 17/);
  });

  it("rejects an empty calibration set", async () => {
    const d = join(dir, "empty-calib");
    writeCalibDir(d, "README.txt", "no samples here");
    await expectError(["--calib", d], "TML_E_CALIB_INVALID", /no calibration samples/);
  });

  it("warns loudly for --calib random and still writes a model", async () => {
    const out = join(dir, "random.tflite");
    const r = await tinyml(["quantize", model(), "--calib", "random", "-o", out]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("--calib random: calibrating on 100 uniform");
    expect(existsSync(out)).toBe(true);
  });

  it("warns about a constant activation and quantizes it with TFLite's scale-1 rule", async () => {
    // All-zero inputs make every activation of this bias-free path constant.
    const d = join(dir, "zeros");
    writeCalibDir(d, "z.bin", new Uint8Array(new Float32Array(256).buffer));
    const out = join(dir, "zeros.tflite");
    const r = await tinyml(["quantize", model(), "--calib", d, "-o", out]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/warning: activation '.*' is constant/);
  });
});

/** A fresh directory `d` holding one file. */
function writeCalibDir(d: string, name: string, data: string | Uint8Array): void {
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, name), data);
}
