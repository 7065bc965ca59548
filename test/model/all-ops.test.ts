// Every op in tinyml's op table, with every option set away from its default,
// survives write → read unchanged, and flatc (TFLite's schema) decodes the
// written file to the same op codes and option values. This covers the ops
// the shared models do not use, and a second subgraph.
import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../fixtures.js";
import { requireTool } from "../cli.js";
import { readTflite } from "../../src/model/tflite/reader.js";
import { writeTflite } from "../../src/model/tflite/writer.js";
import { ACTIVATIONS, OPS, type BuiltinOpType, type FieldSpec } from "../../src/model/ops.js";
import type { Graph, Model, Op, Tensor } from "../../src/model/ir.js";

/** A value for `f` that differs from its schema default. */
function nonDefault(f: FieldSpec, seed: number): unknown {
  switch (f.kind) {
    case "int32": return f.def + 2 + seed;
    case "float32": return 0.5 + seed;
    case "bool": return !f.def;
    case "int32[]": return [1, -1, 4 + seed];
    case "activation": return ACTIVATIONS[1 + (seed % 3)];
    case "padding": return "VALID";
    case "fcWeightsFormat": return "SHUFFLED4x16INT8";
    case "tensorType": return "int16";
  }
}

function syntheticModel(): Model {
  const tensors: Tensor[] = [{ name: "input", dtype: "float32", shape: [1, 4, 4, 4], isVariable: false }];
  const constant = (i: number): number => {
    tensors.push({ name: `const_${i}`, dtype: "int32", shape: [2], data: new Uint8Array([i, 0, 0, 0, 1, 0, 0, 0]), isVariable: false });
    return tensors.length - 1;
  };
  const ops: Op[] = [];
  let last = 0;
  (Object.keys(OPS) as BuiltinOpType[]).forEach((type, k) => {
    const spec = OPS[type];
    const options: Record<string, unknown> = {};
    const fields: Readonly<Record<string, FieldSpec>> = spec.options?.fields ?? {};
    for (const [name, f] of Object.entries(fields)) options[name] = nonDefault(f, k);
    const inputs = [last];
    while (inputs.length < spec.inputs[0]) inputs.push(constant(k));
    tensors.push({
      name: `${type.toLowerCase()}_out`, dtype: "int8", shape: [1, 2, 2, 4], isVariable: false,
      quantization: { scale: [0.25 + k / 64], zeroPoint: [k - 10], axis: 0 },
    });
    last = tensors.length - 1;
    ops.push({ kind: "builtin", type, options, inputs, outputs: [last], version: 1 + (k % 3) } as Op);
  });
  ops.push({ kind: "custom", name: "MyCustomOp", customOptions: new Uint8Array([1, 2, 3, 4, 5]), inputs: [last], outputs: [0], version: 1 });
  // The custom op writes back into tensor 0, so make tensor 0 a variable.
  tensors[0]!.isVariable = true;
  const main: Graph = { name: "main", tensors, inputs: [], outputs: [last], ops };
  const second: Graph = {
    name: "second",
    tensors: [
      { name: "x", dtype: "float32", shape: [3], isVariable: false },
      { name: "y", dtype: "float32", shape: [3], isVariable: false },
    ],
    inputs: [0], outputs: [1],
    ops: [{ kind: "builtin", type: "RELU", options: {}, inputs: [0], outputs: [1], version: 1 }],
  };
  return {
    version: 3, description: "synthetic", graphs: [main, second],
    metadata: [{ name: "min_runtime_version", data: new TextEncoder().encode("1.5.0\0") }],
    signatures: [{ key: "serving_default", graph: 1, inputs: [{ name: "x", tensor: 0 }], outputs: [{ name: "y", tensor: 1 }] }],
  };
}

describe("every op's options round-trip", () => {
  it("write → read is the identity for a model using every op", () => {
    const model = syntheticModel();
    expect(readTflite(writeTflite(model))).toEqual(model);
  });

  it("flatc decodes the written file to the same op codes and options", async (ctx) => {
    if (!(await requireTool("flatc", "apt-get install flatbuffers-compiler"))) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), "tinyml-allops-"));
    const model = syntheticModel();
    writeFileSync(join(dir, "all.tflite"), writeTflite(model));
    await execa("flatc", ["--json", "--strict-json", "--defaults-json", "-o", dir, `${fixturesDir}tflite-schema/schema.fbs`, "--", join(dir, "all.tflite")]);
    const fc = JSON.parse(readFileSync(join(dir, "all.json"), "utf8")) as {
      operator_codes: Array<{ builtin_code: string; custom_code?: string; version: number }>;
      subgraphs: Array<{ name: string; operators: Array<{ opcode_index: number; builtin_options_type: string; builtin_options?: Record<string, unknown>; custom_options?: number[] }> }>;
      metadata: Array<{ name: string }>;
      signature_defs: Array<{ signature_key: string; subgraph_index: number }>;
    };
    expect(fc.subgraphs.map((s) => s.name)).toEqual(["main", "second"]);
    expect(fc.metadata.map((m) => m.name)).toEqual(["min_runtime_version"]);
    expect(fc.signature_defs[0]).toMatchObject({ signature_key: "serving_default", subgraph_index: 1 });
    const ops = model.graphs[0]!.ops;
    fc.subgraphs[0]!.operators.forEach((fo, i) => {
      const op = ops[i]!;
      const code = fc.operator_codes[fo.opcode_index]!;
      expect(code.version).toBe(op.version);
      if (op.kind === "custom") {
        expect(code.custom_code).toBe("MyCustomOp");
        expect(fo.custom_options).toEqual([1, 2, 3, 4, 5]);
        return;
      }
      expect(code.builtin_code).toBe(op.type);
      const spec = OPS[op.type].options;
      expect(fo.builtin_options_type).toBe(spec?.table ?? "NONE");
      // Each of our option values appears, under the schema's name, in flatc's decoding.
      const decoded = Object.values(fo.builtin_options ?? {}).map((v) => (typeof v === "string" ? v.toLowerCase() : v));
      for (const v of Object.values(op.options as Record<string, unknown>)) {
        const want = typeof v === "string" ? v.toLowerCase() : v;
        expect(decoded, `${op.type} option value ${JSON.stringify(v)}`).toContainEqual(want);
      }
    });
  });
});
