// `tinyml inspect MODEL`: what a model computes and what it costs.

import { basename } from "node:path";
import { loadModel } from "../model/load.js";
import { summarizeModel, type ModelSummary, type TensorSummary } from "../inspect/summary.js";
import { formatBytes, formatInt, renderTable } from "../util/table.js";
import { defineCommand } from "./command.js";
import { modelArg } from "./model-arg.js";

export const inspectCommand = defineCommand({
  name: "inspect",
  usage: "inspect [model]",
  describe: "Show a model's inputs, outputs, ops, MACs, weights and runtime support",
  builder: (y) =>
    y
      .positional("model", { type: "string", describe: "A .tflite, .onnx, Keras .keras/.h5 or TF.js model.json" })
      .example("$0 inspect model.tflite", "Print the op table")
      .example("$0 inspect model.tflite --json", "One JSON object for scripts"),
  async run(args, out) {
    const modelPath = modelArg(args.model, "inspect");
    const summary = summarizeModel(await loadModel(modelPath));
    if (out.json) out.printJson(summary);
    else out.print(renderSummary(summary));
  },
});

function fmtQuant(v: number | number[]): string {
  if (Array.isArray(v)) return `[${v.length} per-channel]`;
  return v === 0 ? "-" : String(Number(v.toPrecision(6)));
}

function tensorRows(list: TensorSummary[]): string[][] {
  return list.map((t) => [
    String(t.index), t.name, t.dtype, `[${t.shape.join(", ")}]`, fmtQuant(t.scale),
    Array.isArray(t.zeroPoint) ? fmtQuant(t.zeroPoint) : String(t.zeroPoint),
  ]);
}

export function renderSummary(s: ModelSummary): string {
  const runtimeNames = Object.keys(s.ops[0]?.runtimes ?? {});
  const tensorHeader = ["tensor", "name", "dtype", "shape", "scale", "zero point"];
  const lines = [
    `${basename(s.path)}  (${s.format}, sha256 ${s.sha256.slice(0, 12)}…, ${s.graphs} graph${s.graphs === 1 ? "" : "s"})`,
    "",
    "Inputs",
    renderTable(tensorHeader, tensorRows(s.inputs)),
    "",
    "Outputs",
    renderTable(tensorHeader, tensorRows(s.outputs)),
    ...(s.labels ? [`Labels: ${s.labels.join(", ")}`] : []),
    "",
    `Ops (${s.ops.length}, in execution order)`,
    renderTable(
      ["#", "op", "inputs", "outputs", "MACs", "params", ...runtimeNames],
      s.ops.map((o) => [
        o.index, o.type, o.inputs.join(","), o.outputs.join(","), o.macs, formatBytes(o.paramBytes),
        ...runtimeNames.map((r) => (o.runtimes[r as keyof typeof o.runtimes] ? "yes" : "-")),
      ]),
    ),
    "",
    "Op counts",
    renderTable(["op", "count"], Object.entries(s.opCounts).sort((a, b) => b[1] - a[1])),
    "",
    `Totals: ${formatInt(s.totals.macs)} MACs, ${formatBytes(s.totals.weightBytes)} of weights, ` +
      `${s.totals.ops} ops, ${s.totals.tensors} tensors`,
    `Memory: arena ${formatBytes(s.memory.arenaBytes)} by the static plan (lower bound ${formatBytes(s.memory.lowerBoundBytes)})`,
    `Runs on: ${s.runnableOn.length > 0 ? s.runnableOn.join(", ") : "none of tinyml's runtimes"}`,
    ...(s.hybrid ? [
      `Hybrid model: ${s.hybrid.ops.length} op${s.hybrid.ops.length === 1 ? "" : "s"} (${s.hybrid.ops.join(", ")}) read float activations with int8 weights.`,
      "  TFLite Micro does not run hybrid models, nor does any tinyml runtime. `tinyml quantize` takes it as a float model",
      "  (its weights dequantized) and writes a full int8 model that runs everywhere; `--float-model` accepts it as is.",
    ] : []),
  ];
  return lines.join("\n");
}
