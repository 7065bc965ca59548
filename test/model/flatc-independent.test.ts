// An independent decoder checks tinyml's reader and writer: Debian's `flatc`
// with TensorFlow Lite's own schema decodes each shared model, and each model
// as tinyml wrote it, to JSON. Both must agree with tinyml's IR on every
// tensor, op, option and buffer.
import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir, modelPath, SHARED_MODELS } from "../fixtures.js";
import { requireTool } from "../cli.js";
import { readTflite } from "../../src/model/tflite/reader.js";
import { writeTflite } from "../../src/model/tflite/writer.js";
import { OPS } from "../../src/model/ops.js";
import type { Model } from "../../src/model/ir.js";

const schema = `${fixturesDir}tflite-schema/schema.fbs`;

interface FlatcTensor {
  shape?: number[]; type: string; buffer: number; name: string; is_variable?: boolean;
  quantization?: { scale?: number[]; zero_point?: number[]; quantized_dimension?: number; min?: number[]; max?: number[] };
}
interface FlatcOp {
  opcode_index: number; inputs: number[]; outputs: number[];
  builtin_options_type: string; builtin_options?: Record<string, unknown>; custom_options?: number[];
}
interface FlatcModel {
  version: number;
  operator_codes: Array<{ deprecated_builtin_code: number; builtin_code: string; custom_code?: string; version: number }>;
  subgraphs: Array<{ tensors: FlatcTensor[]; inputs: number[]; outputs: number[]; operators: FlatcOp[] }>;
  buffers: Array<{ data?: number[] }>;
}

async function flatcDecode(bytes: Uint8Array, dir: string, name: string): Promise<FlatcModel> {
  const bin = join(dir, `${name}.tflite`);
  writeFileSync(bin, bytes);
  await execa("flatc", ["--json", "--strict-json", "--defaults-json", "-o", dir, schema, "--", bin]);
  return JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as FlatcModel;
}

// flatc spells option fields as the schema does; tinyml uses camelCase and
// names that say what a field is. This is the one place the two meet.
const FIELD_NAMES: Record<string, string> = {
  activation: "fused_activation_function", dilationW: "dilation_w_factor", dilationH: "dilation_h_factor",
  filterWidth: "filter_width", filterHeight: "filter_height",
};
const snake = (s: string) => FIELD_NAMES[s] ?? s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// flatc prints floats with 6 decimals (or 6 significant digits when large).
function expectFloats(printed: number[], actual: number[]): void {
  expect(printed).toHaveLength(actual.length);
  printed.forEach((p, i) => expect(Math.abs(p - actual[i]!)).toBeLessThanOrEqual(Math.max(5.01e-7, 5e-6 * Math.abs(actual[i]!))));
}

/** The IR as flatc sees it: compares every field tinyml models. */
function expectSameModel(ir: Model, fc: FlatcModel): void {
  expect(fc.version).toBe(ir.version);
  expect(fc.subgraphs).toHaveLength(ir.graphs.length);
  ir.graphs.forEach((g, gi) => {
    const sg = fc.subgraphs[gi]!;
    expect(sg.inputs).toEqual(g.inputs);
    expect(sg.outputs).toEqual(g.outputs);
    expect(sg.tensors).toHaveLength(g.tensors.length);
    g.tensors.forEach((t, ti) => {
      const ft = sg.tensors[ti]!;
      expect(ft.name).toBe(t.name);
      expect(ft.type.toLowerCase()).toBe(t.dtype);
      expect(ft.shape ?? []).toEqual(t.shape);
      expect(ft.is_variable ?? false).toBe(t.isVariable);
      const data = fc.buffers[ft.buffer]?.data ?? [];
      expect(data).toEqual(Array.from(t.data ?? []));
      const q = t.quantization;
      expectFloats(ft.quantization?.scale ?? [], q?.scale ?? []);
      if (q && q.scale.length > 0) {
        expect((ft.quantization?.zero_point ?? q.scale.map(() => 0)).map(Number)).toEqual(q.zeroPoint);
        expect(ft.quantization?.quantized_dimension ?? 0).toBe(q.axis);
      }
    });
    expect(sg.operators).toHaveLength(g.ops.length);
    g.ops.forEach((op, oi) => {
      const fo = sg.operators[oi]!;
      const code = fc.operator_codes[fo.opcode_index]!;
      expect(fo.inputs).toEqual(op.inputs);
      expect(fo.outputs).toEqual(op.outputs);
      expect(code.version).toBe(op.version);
      if (op.kind === "custom") {
        expect(code.builtin_code).toBe("CUSTOM");
        expect(code.custom_code).toBe(op.name);
        expect(fo.custom_options ?? []).toEqual(Array.from(op.customOptions));
        return;
      }
      // Old files carry the code only in deprecated_builtin_code: take the max.
      const builtin = OPS[code.builtin_code as keyof typeof OPS]?.code ?? -1;
      expect(Math.max(builtin, code.deprecated_builtin_code)).toBe(OPS[op.type].code);
      const spec = OPS[op.type].options;
      if (!spec || fo.builtin_options_type === "NONE") return;
      expect(fo.builtin_options_type).toBe(spec.table);
      for (const [name, value] of Object.entries(op.options as Record<string, unknown>)) {
        const fv = fo.builtin_options?.[snake(name)];
        if (Array.isArray(value)) expect(fv ?? []).toEqual(value);
        else if (typeof value === "string") expect(String(fv).toLowerCase()).toBe(value.toLowerCase());
        else if (typeof value === "number") expectFloats([fv as number], [value]);
        else expect(fv).toBe(value);
      }
    });
  });
}

describe("flatc (TFLite's schema) agrees with tinyml's reader and writer", () => {
  const dir = mkdtempSync(join(tmpdir(), "tinyml-flatc-"));
  for (const name of SHARED_MODELS) {
    it(name, async (ctx) => {
      if (!(await requireTool("flatc", "apt-get install flatbuffers-compiler"))) return ctx.skip();
      const bytes = new Uint8Array(readFileSync(modelPath(name)));
      const ir = readTflite(bytes);
      expectSameModel(ir, await flatcDecode(bytes, dir, `${name}.orig`));
      // What tinyml writes decodes under the official schema to the same model.
      expectSameModel(ir, await flatcDecode(writeTflite(ir), dir, `${name}.written`));
    });
  }
});
