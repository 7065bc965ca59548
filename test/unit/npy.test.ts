// The strict .npy reader and input-file validation used by `tinyml predict`.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Tensor } from "../../src/model/ir.js";
import { readInputTensor } from "../../src/reference/io/inputs.js";
import { readNpy } from "../../src/reference/io/npy.js";

function npyBytes(header: string, data: number[], version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const padded = header + " ".repeat(63 - ((pre + header.length) % 64)) + "\n";
  const out = new Uint8Array(pre + padded.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), pre);
  out.set(data, pre + padded.length);
  return out;
}

describe("readNpy", () => {
  test("reads v1 and v2 headers", () => {
    const a = readNpy(npyBytes("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", [1, 0, 255, 255]), "a.npy");
    expect(a).toEqual({ dtype: "int16", shape: [2], data: new Uint8Array([1, 0, 255, 255]) });
    const b = readNpy(npyBytes("{'descr': '|i1', 'fortran_order': False, 'shape': (1, 3), }", [1, 2, 3], 2), "b.npy");
    expect(b.shape).toEqual([1, 3]);
    expect(readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", [0, 0, 128, 63]), "s.npy").shape).toEqual([]);
  });

  test("rejects big-endian, Fortran order, bad magic and truncated data", () => {
    expect(() => readNpy(npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0]), "x.npy")).toThrow(/dtype '>f4'/);
    expect(() => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", [0, 0, 0, 0]), "x.npy")).toThrow(/Fortran/);
    expect(() => readNpy(new Uint8Array(20), "x.npy")).toThrow(/magic/);
    expect(() => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", [0, 0, 0, 0]), "x.npy")).toThrow(/8 bytes\) but 4/);
  });
});

describe("readInputTensor", () => {
  const t: Tensor = { name: "x", dtype: "int8", shape: [1, 2, 2], isVariable: false };
  const dir = mkdtempSync(join(tmpdir(), "tinyml-inputs-"));
  const file = (name: string, data: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };

  test("accepts .bin of the exact size, nested or flat .json, and .npy without the batch dim", async () => {
    expect(Array.from(await readInputTensor(file("a.bin", new Uint8Array([1, 2, 3, 4])), t))).toEqual([1, 2, 3, 4]);
    expect(Array.from(await readInputTensor(file("a.json", "[[[-1, 2], [3, 4]]]"), t))).toEqual([255, 2, 3, 4]);
    expect(Array.from(await readInputTensor(file("b.json", "[1, 2, 3, 4]"), t))).toEqual([1, 2, 3, 4]);
    expect(Array.from(await readInputTensor(file("a.npy", npyBytes("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 2), }", [5, 6, 7, 8])), t))).toEqual([5, 6, 7, 8]);
  });

  test("mismatches name the file, the expected shape and dtype, and what was found", async () => {
    await expect(readInputTensor(file("c.bin", new Uint8Array(3)), t)).rejects.toThrow("expected int8 [1, 2, 2], found 3 bytes of raw data (4 expected)");
    await expect(readInputTensor(file("c.json", "[1, 2, 3, 400]"), t)).rejects.toThrow("found value 400 at index 3, not a int8");
    await expect(readInputTensor(file("d.json", "[[1, 2, 3, 4]]"), t)).rejects.toThrow("found 4 values shaped [1, 4]");
    try {
      await readInputTensor(file("e.npy", npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0])), t);
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe("TML_E_INPUT_MISMATCH");
      expect((e as { location: { file: string } }).location.file).toContain("e.npy");
      expect((e as Error).message).toContain("found float32 [1]");
    }
  });
});
