// `tinyml predict` as a real process against TFLM's golden outputs, with each
// input file format, and its input-mismatch error.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { tinyml, tinymlJson } from "../cli.js";
import { fixturesDir, goldenInput, loadGolden, modelPath } from "../fixtures.js";

interface PredictJson {
  outputs: Array<{ name: string; dtype: string; shape: number[]; scale: number | number[]; zeroPoint: number | number[]; data: number[] }>;
}

/** A version 1.0 .npy file holding `data` as dtype `descr` with `shape`. */
function npy(descr: string, shape: number[], data: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

describe("tinyml predict", () => {
  const golden = loadGolden("person_detect");
  const c = golden.cases.find((x) => x.name === "person_detection_person")!;

  test("--json on a .bin input prints TFLM's output exactly", async () => {
    const doc = await tinymlJson<PredictJson>(["predict", modelPath("person_detect"), "--input", `${fixturesDir}golden/${c.inputs[0]}`]);
    expect(doc.outputs).toEqual([
      {
        name: golden.outputs[0]!.name,
        dtype: "int8",
        shape: [1, 2],
        scale: 0.00390625,
        zeroPoint: -128,
        data: c.outputs[0]!.values,
      },
    ]);
  });

  test(".npy and .json inputs give the same result; -o writes raw outputs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyml-predict-"));
    const bytes = goldenInput(c.inputs[0]!);
    writeFileSync(join(dir, "in.npy"), npy("|i1", [1, 96, 96, 1], bytes));
    writeFileSync(join(dir, "in.json"), JSON.stringify(Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))));
    for (const file of ["in.npy", "in.json"]) {
      const doc = await tinymlJson<PredictJson>(["predict", modelPath("person_detect"), "--input", join(dir, file), "-o", join(dir, "out")]);
      expect(doc.outputs[0]!.data).toEqual(c.outputs[0]!.values);
    }
    expect(Array.from(new Int8Array(readFileSync(join(dir, "out", "0.bin"))))).toEqual(c.outputs[0]!.values);
  });

  test("human output shows dequantized scores and the top class", async () => {
    const r = await tinyml(["predict", modelPath("person_detect"), "--input", `${fixturesDir}golden/${c.inputs[0]}`]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("dequantized");
    expect(r.stdout).toMatch(/top: #1 \(0\.94/);
  });

  test("a wrongly shaped input is TML_E_INPUT_MISMATCH naming the file and both shapes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyml-predict-"));
    const bad = join(dir, "bad.npy");
    writeFileSync(bad, npy("<f4", [2, 2], new Uint8Array(16)));
    const r = await tinyml(["predict", modelPath("person_detect"), "--input", bad]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("TML_E_INPUT_MISMATCH");
    expect(r.stderr).toContain("expected int8 [1, 96, 96, 1], found float32 [2, 2]");
    expect(r.stderr).toContain(bad);
  });
});
