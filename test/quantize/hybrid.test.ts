// Hybrid .tflite models (TFLite's dynamic-range quantization: int8 weights,
// float activations). The test makes one from TFLM's float hello_world by
// rounding its weights to int8 per channel by hand, as TFLite's converter
// lays them out, then checks that tinyml tells the truth about it: no
// runtime runs it (TFLM refuses hybrid models), predict says why, quantize
// takes it as the float model it stands for, and the int8 model it writes
// runs bit-exact on the host board.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesOf, typedView } from "../../src/model/dtype.js";
import { mainGraph } from "../../src/model/graph.js";
import { floatSource } from "../../src/model/hybrid.js";
import type { Model } from "../../src/model/ir.js";
import { readTflite } from "../../src/model/tflite/reader.js";
import { writeTflite } from "../../src/model/tflite/writer.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import { modelPath } from "../fixtures.js";
import { requireTool, tinyml, tinymlJson } from "../cli.js";

let dir: string;
let float: Model;
let hybridPath: string;

/** Symmetric per-output-channel int8 weights, scale = max|w| / 127, as TFLite's dynamic-range quantizer does. */
function hybridOf(m: Model): Model {
  const g = mainGraph(m);
  const tensors = g.tensors.map((t) => ({ ...t }));
  for (const op of g.ops) {
    if (op.kind !== "builtin" || op.type !== "FULLY_CONNECTED") continue;
    const w = tensors[op.inputs[1]!]!;
    const values = typedView("float32", w.data!);
    const [out, inner] = [w.shape[0]!, values.length / w.shape[0]!];
    const q = new Int8Array(values.length);
    const scales: number[] = [];
    for (let c = 0; c < out; c++) {
      let max = 0;
      for (let i = 0; i < inner; i++) max = Math.max(max, Math.abs(values[c * inner + i]!));
      const s = max > 0 ? max / 127 : 1;
      scales.push(s);
      for (let i = 0; i < inner; i++) q[c * inner + i] = Math.round(values[c * inner + i]! / s);
    }
    tensors[op.inputs[1]!] = { ...w, dtype: "int8", data: bytesOf(q), quantization: { scale: scales, zeroPoint: scales.map(() => 0), axis: 0 } };
  }
  return { ...m, graphs: [{ ...g, tensors }] };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tinyml-hybrid-"));
  float = readTflite(new Uint8Array(readFileSync(modelPath("hello_world_float"))), "hello_world_float.tflite");
  hybridPath = join(dir, "hello_world_hybrid.tflite");
  writeFileSync(hybridPath, writeTflite(hybridOf(float)));
  mkdirSync(join(dir, "calib"));
  for (let k = 0; k < 40; k++) writeFileSync(join(dir, "calib", `x${k}.bin`), bytesOf(Float32Array.of((2 * Math.PI * k) / 40)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hybrid .tflite", () => {
  it("inspect: no runtime runs its hybrid ops, and it says so", async () => {
    const s = await tinymlJson<{ runnableOn: string[]; hybrid?: { ops: number[] }; ops: Array<{ runtimes: Record<string, boolean> }> }>(["inspect", hybridPath]);
    expect(s.hybrid).toEqual({ ops: [0, 1, 2] });
    expect(s.runnableOn).toEqual([]);
    expect(s.ops.map((o) => Object.values(o.runtimes).some(Boolean))).toEqual([false, false, false]);
    const text = await tinyml(["inspect", hybridPath]);
    expect(text.stdout).toContain("Runs on: none of tinyml's runtimes");
    expect(text.stdout).toContain("TFLite Micro does not run hybrid models");
    // The float model it came from runs everywhere.
    const f = await tinymlJson<{ runnableOn: string[] }>(["inspect", modelPath("hello_world_float")]);
    expect(f.runnableOn).toEqual(["reference", "aot", "tflm"]);
  });

  it("predict refuses it with the command that makes it runnable", async () => {
    const r = await tinyml(["predict", hybridPath, "--input", join(dir, "calib", "x3.bin")]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/TML_E_DTYPE_UNSUPPORTED.*hybrid model: ops 0, 1, 2 read float activations with int8 weights/);
    expect(r.stderr).toContain("tinyml quantize");
  });

  it("as a float source it is the float model up to the weights' rounding", () => {
    const a = prepareReference(float);
    const b = prepareReference(floatSource(hybridOf(float)));
    let worst = 0;
    for (let k = 0; k < 40; k++) {
      const x = Float32Array.of((2 * Math.PI * k) / 40);
      worst = Math.max(worst, Math.abs((a.invoke([x])[0] as Float32Array)[0]! - (b.invoke([x])[0] as Float32Array)[0]!));
    }
    // hello_world predicts sin(x) in [-1, 1]; 8-bit weights move it by well under 0.05.
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(0.05);
  });

  it("quantizes to a full int8 model that runs bit-exact on the host board, and --float-model accepts it", async () => {
    const out = join(dir, "hello_world_int8.tflite");
    const q = await tinyml(["quantize", hybridPath, "--calib", join(dir, "calib"), "-o", out, "--json"]);
    expect(q.exitCode, q.stderr).toBe(0);
    expect(q.stderr).toContain("hybrid model: the int8 weights of 3 op(s) (0, 1, 2) dequantized to float");
    const report = JSON.parse(q.stdout) as { outputs: Array<{ rmse: number }> };
    expect(report.outputs[0]!.rmse).toBeLessThan(0.05);
    const g = mainGraph(readTflite(new Uint8Array(readFileSync(out)), out));
    expect(g.ops.every((op) => op.inputs.every((i) => i < 0 || g.tensors[i]!.dtype !== "float32"))).toBe(true);
    if (!(await requireTool("cc", "apt-get install gcc"))) return;
    const r = await tinyml(["test", out, "--random", "4", "--float-model", hybridPath, "--build-dir", join(dir, "build"), "--runs", "1", "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { status: string; boards: Array<{ cases: Array<{ status: string }>; float?: unknown[] }> };
    expect(doc.status).toBe("pass");
    expect(doc.boards[0]!.cases.map((c) => c.status)).toEqual(["pass", "pass", "pass", "pass"]);
    expect(doc.boards[0]!.float).toHaveLength(1);
  });
});
