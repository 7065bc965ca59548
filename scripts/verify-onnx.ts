// `npm run verify:onnx -- --onnx-dir DIR [--tolerance T] [--verbose]`: the
// ONNX backend node tests (onnx/onnx's onnx/backend/test/data/node/, from a
// release branch: git archive rel-1.22.0 onnx/backend/test/data/node) for
// every operator tinyml converts. Each test is one node: its model.onnx is
// loaded by tinyml's ONNX loader and run on the float reference with
// test_data_set_*/input_*.pb, and must give output_*.pb within T (absolute
// plus relative: |got - want| <= T·(1 + |want|)). Inputs that the operator
// needs as constants (weights, shapes, axes, pads, bounds) are bound as
// constants, as a model deployed on a microcontroller has them. A test that
// tinyml refuses with a clear error (an unsupported attribute or type) is
// counted as skipped with its reason. Needs the data; not part of `npm test`.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isTinymlError } from "../src/errors.js";
import { mainGraph } from "../src/model/graph.js";
import { convertOnnx } from "../src/model/onnx/loader.js";
import { hostTensor, parseModelProto, parseTensorProto, type HostTensor } from "../src/model/onnx/proto.js";
import { prepareReference } from "../src/reference/interpreter.js";
import { readInputTensor } from "../src/reference/io/inputs.js";
import "../src/quantize/qdq.js";

/** The operators of issue 15, and which of their inputs a deployed model holds as constants. */
const CONSTANT_INPUTS: Readonly<Record<string, readonly number[]>> = {
  Conv: [1, 2], Gemm: [1, 2], MatMul: [1], Relu: [], Clip: [1, 2], LeakyRelu: [], Sigmoid: [], Tanh: [], HardSwish: [],
  Softmax: [], Add: [], Sub: [], Mul: [], Div: [], MaxPool: [], AveragePool: [], GlobalAveragePool: [],
  BatchNormalization: [1, 2, 3, 4], Flatten: [], Reshape: [1], Transpose: [], Concat: [], Pad: [1, 2, 3], ReduceMean: [1],
  Squeeze: [1], Unsqueeze: [1], Constant: [], Identity: [], QuantizeLinear: [1, 2], DequantizeLinear: [1, 2],
};

const { values } = parseArgs({ options: { "onnx-dir": { type: "string" }, tolerance: { type: "string", default: "1e-4" }, verbose: { type: "boolean", default: false } } });
const root = values["onnx-dir"];
if (!root) {
  console.error("usage: npm run verify:onnx -- --onnx-dir DIR   (DIR: onnx/backend/test/data/node of an onnx release branch)");
  process.exit(2);
}
const tol = Number(values.tolerance);

type Status = "pass" | "fail" | "skip";
interface Result { test: string; op: string; status: Status; detail: string }

function readPb(file: string): HostTensor {
  return hostTensor(parseTensorProto(new Uint8Array(readFileSync(file)), file), file, file);
}

async function runTest(dir: string, op: string): Promise<Result> {
  const test = dir.split("/").pop()!;
  const bytes = new Uint8Array(readFileSync(join(dir, "model.onnx")));
  const proto = parseModelProto(bytes);
  const g = proto.graph!;
  const inits = new Set(g.initializer.map((t) => t.name));
  const inputs = g.input.filter((i) => !inits.has(i.name)).map((i) => i.name);
  const node = g.node[0]!;
  const constantNames = new Set((CONSTANT_INPUTS[op] ?? []).map((k) => node.input[k]).filter((n): n is string => !!n));
  const sets = readdirSync(dir).filter((d) => d.startsWith("test_data_set_")).sort();
  let worst = 0;
  for (const set of sets) {
    const sd = join(dir, set);
    const constants = new Map<string, HostTensor>();
    inputs.forEach((name, k) => {
      if (constantNames.has(name) && existsSync(join(sd, `input_${k}.pb`))) constants.set(name, readPb(join(sd, `input_${k}.pb`)));
    });
    let model;
    try {
      model = convertOnnx(bytes, join(dir, "model.onnx"), { constants });
    } catch (e) {
      if (isTinymlError(e) && e.code !== "TML_E_MODEL_INVALID") return { test, op, status: "skip", detail: `${e.code}: ${e.message}` };
      return { test, op, status: "fail", detail: `load: ${(e as Error).message}` };
    }
    const ir = mainGraph(model);
    const runtimeInputs = inputs.map((name, k) => ({ name, k })).filter(({ name }) => !constants.has(name));
    try {
      const feeds = await Promise.all(runtimeInputs.map(({ k }, j) => readInputTensor(join(sd, `input_${k}.pb`), ir.tensors[ir.inputs[j]!]!)));
      const outs = prepareReference(model).invoke(feeds);
      for (let k = 0; k < outs.length; k++) {
        const want = readPb(join(sd, `output_${k}.pb`));
        const got = outs[k]!;
        if (got.length !== want.values.length) return { test, op, status: "fail", detail: `output ${k}: ${got.length} values, expected ${want.values.length}` };
        for (let i = 0; i < got.length; i++) {
          const a = Number(got[i]);
          const b = want.values[i]!;
          const d = Number.isNaN(a) && Number.isNaN(b) ? 0 : Math.abs(a - b) / (1 + Math.abs(b));
          if (!(d <= tol)) return { test, op, status: "fail", detail: `output ${k} element ${i}: got ${a}, expected ${b}` };
          worst = Math.max(worst, d);
        }
      }
    } catch (e) {
      if (isTinymlError(e) && e.code !== "TML_E_MODEL_INVALID" && e.code !== "TML_E_INPUT_MISMATCH") return { test, op, status: "skip", detail: `${e.code}: ${e.message}` };
      return { test, op, status: "fail", detail: `run: ${(e as Error).message}` };
    }
  }
  return { test, op, status: "pass", detail: `max scaled difference ${worst.toExponential(2)}` };
}

const results: Result[] = [];
let excluded = 0;
for (const name of readdirSync(root).sort()) {
  const dir = join(root, name);
  if (!existsSync(join(dir, "model.onnx"))) continue;
  const g = parseModelProto(new Uint8Array(readFileSync(join(dir, "model.onnx")))).graph;
  // One node of a listed operator: that operator's test. (The *_expanded tests spell an op out in others.)
  if (!g || g.node.length !== 1 || !(g.node[0]!.opType in CONSTANT_INPUTS) || g.node[0]!.domain !== "") {
    excluded++;
    continue;
  }
  const op = g.node[0]!.opType;
  let r: Result;
  try {
    r = await runTest(dir, op);
  } catch (e) {
    const refused = isTinymlError(e) && !["TML_E_MODEL_INVALID", "TML_E_INPUT_MISMATCH"].includes(e.code);
    r = { test: name, op, status: refused ? "skip" : "fail", detail: `${isTinymlError(e) ? `${e.code}: ` : ""}${(e as Error).message}` };
  }
  results.push(r);
  if (values.verbose || r.status === "fail") console.log(`${r.status.toUpperCase().padEnd(4)} ${r.test}: ${r.detail}`);
}

const ops = Object.keys(CONSTANT_INPUTS);
console.log(`\nONNX backend node tests in ${root} (tolerance ${tol}); ${excluded} tests of other operators or several nodes not run\n`);
console.log(`${"operator".padEnd(20)} ${"passed".padStart(6)} ${"failed".padStart(6)} ${"skipped".padStart(7)}`);
for (const op of ops) {
  const rs = results.filter((r) => r.op === op);
  const n = (s: Status) => rs.filter((r) => r.status === s).length;
  console.log(`${op.padEnd(20)} ${String(n("pass")).padStart(6)} ${String(n("fail")).padStart(6)} ${String(n("skip")).padStart(7)}`);
}
const count = (s: Status) => results.filter((r) => r.status === s).length;
console.log(`\nskipped (tinyml refuses them, saying why):`);
for (const r of results.filter((x) => x.status === "skip")) console.log(`  ${r.test}: ${r.detail.split("\n")[0]}`);
console.log(`\n${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`);
process.exitCode = count("fail") > 0 ? 1 : 0;
