// `tinyml predict MODEL --input FILE…`: runs the bit-exact host reference
// interpreter on input files and prints (or writes) the outputs.

import { join } from "node:path";
import { TinymlError } from "../errors.js";
import { bytesOf, type NumericArray } from "../model/dtype.js";
import { mainGraph } from "../model/graph.js";
import type { Tensor } from "../model/ir.js";
import { hybridOps } from "../model/hybrid.js";
import { loadModel } from "../model/load.js";
import { readInputTensor } from "../reference/io/inputs.js";
import { prepareReference } from "../reference/interpreter.js";
import { writeFileAtomic } from "../util/files.js";
import { renderTable } from "../util/table.js";
import { defineCommand } from "./command.js";
import { requiredOption } from "./required.js";
import { modelArg } from "./model-arg.js";

export interface PredictedOutput {
  name: string;
  dtype: string;
  shape: number[];
  /** 0 when unquantized; an array when quantized per axis. */
  scale: number | number[];
  zeroPoint: number | number[];
  /** Raw stored values (int8 outputs as integers). */
  data: number[];
}

export const predictCommand = defineCommand({
  name: "predict",
  usage: "predict [model]",
  describe: "Run the bit-exact reference interpreter on input files",
  builder: (y) =>
    y
      .positional("model", { type: "string", describe: "A .tflite, .onnx, Keras .keras/.h5 or TF.js model.json" })
      .option("input", {
        alias: "i",
        type: "string",
        array: true,
        describe: "One file per model input: raw tensor bytes (.bin), .npy, or .json numbers; required",
      })
      .option("o", { alias: "output-dir", type: "string", describe: "Also write output i as <dir>/<i>.bin" })
      .example("$0 predict model.tflite --input image.bin", "Print each output with its dequantized values")
      .example("$0 predict model.tflite --input x.npy --json", "Print {outputs:[…]} for scripts"),
  async run(args, out) {
    args.input = requiredOption(args.input, "input", "predict", "one file per model input (.bin, .npy or .json)");
    const modelPath = modelArg(args.model, "predict");
    const { model, path } = await loadModel(modelPath);
    const g = mainGraph(model);
    const files = args.input.map(String);
    if (files.length !== g.inputs.length) {
      throw new TinymlError("TML_E_INPUT_MISMATCH", `the model has ${g.inputs.length} input(s) but ${files.length} --input file(s) were given`, {
        location: { file: path },
        hint: `Pass --input once per model input, in order: ${g.inputs.map((i) => `'${g.tensors[i]!.name}'`).join(", ")}.`,
      });
    }
    const hybrid = hybridOps(g);
    if (hybrid.length > 0) {
      throw new TinymlError("TML_E_DTYPE_UNSUPPORTED", `this is a hybrid model: op${hybrid.length === 1 ? "" : "s"} ${hybrid.join(", ")} read float activations with int8 weights, which TFLite runs with hybrid kernels that TFLite Micro (and so tinyml's bit-exact reference) does not have`, {
        location: { file: path },
        hint: `Quantize it to a full int8 model: \`tinyml quantize ${path} --calib DATA -o model_int8.tflite\`, then predict on that.`,
      });
    }
    const inputs = await Promise.all(files.map((f, k) => readInputTensor(f, g.tensors[g.inputs[k]!]!)));
    const interp = (() => {
      try {
        return prepareReference(model);
      } catch (e) {
        throw e instanceof TinymlError ? e.withFile(path) : e;
      }
    })();
    const values = interp.invoke(inputs);
    const outputs = values.map((v, k) => describeOutput(g.tensors[g.outputs[k]!]!, v));
    if (args.o) values.forEach((v, k) => writeFileAtomic(join(args.o!, `${k}.bin`), bytesOf(v)));
    if (out.json) out.printJson({ outputs });
    else out.print(outputs.map(renderOutput).join("\n\n"));
  },
});

function describeOutput(t: Tensor, v: NumericArray): PredictedOutput {
  const q = t.quantization;
  const perAxis = (q?.scale.length ?? 0) > 1;
  return {
    name: t.name,
    dtype: t.dtype,
    shape: [...t.shape],
    scale: q ? (perAxis ? [...q.scale] : q.scale[0] ?? 0) : 0,
    zeroPoint: q ? (perAxis ? [...q.zeroPoint] : q.zeroPoint[0] ?? 0) : 0,
    data: Array.from(v as ArrayLike<number | bigint>, Number),
  };
}

const MAX_ROWS = 20;

function renderOutput(o: PredictedOutput): string {
  const quantized = typeof o.scale === "number" && o.scale !== 0;
  const scale = typeof o.scale === "number" ? o.scale : 0;
  const zp = typeof o.zeroPoint === "number" ? o.zeroPoint : 0;
  const real = (x: number): number => (quantized ? scale * (x - zp) : x);
  const header = `${o.name}  ${o.dtype} [${o.shape.join(", ")}]` + (quantized ? `  scale ${Number(scale.toPrecision(6))}, zero point ${zp}` : "");
  const rows = o.data.slice(0, MAX_ROWS).map((x, i) => (quantized ? [i, x, fmt(real(x))] : [i, fmt(x)]));
  const lines = [header, renderTable(quantized ? ["index", "value", "dequantized"] : ["index", "value"], rows)];
  if (o.data.length > MAX_ROWS) lines.push(`  … ${o.data.length - MAX_ROWS} more (use --json or -o DIR for all)`);
  // A classifier's output: one row of scores.
  const classes = o.shape.filter((d) => d !== 1);
  if (classes.length === 1 && o.data.length > 1) {
    const top = o.data.map((x, i) => [i, real(x)] as const).sort((a, b) => b[1] - a[1]).slice(0, 3);
    lines.push(`  top: ${top.map(([i, x]) => `#${i} (${fmt(x)})`).join(", ")}`);
  }
  return lines.join("\n");
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}
