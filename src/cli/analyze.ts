// `tinyml analyze MODEL [--board B] [--runtime R] [--report FILE.html]`:
// before any hardware, what each layer costs (MACs, weights, the arena bytes
// live while it runs), which layer sets the arena's peak, where and when each
// tensor lives in the arena, and with a board the planned budget and an
// estimated time per layer from the QEMU-calibrated cost model.

import { basename } from "node:path";
import type { RuntimeKind } from "../boards/board.js";
import { loadBoard } from "../boards/load.js";
import { analyzeModel, type ModelAnalysis } from "../analyze/analysis.js";
import { readCostTable } from "../analyze/cost-model.js";
import { writeAnalysisReport } from "../analyze/html-page.js";
import { renderBudget } from "../firmware-project/budget.js";
import { loadModel } from "../model/load.js";
import { probeOutput } from "../util/output-path.js";
import { shortTensorName } from "../util/short-name.js";
import { formatBytes, formatInt, renderTable } from "../util/table.js";
import { defineCommand } from "./command.js";
import { modelArg } from "./model-arg.js";

export const analyzeCommand = defineCommand({
  name: "analyze",
  usage: "analyze [model]",
  describe: "Per layer MACs, weights, live arena bytes and the peak, each tensor's lifetime and arena offset; with a board, budget and estimated time per layer",
  builder: (y) =>
    y
      .positional("model", { type: "string", describe: "A .tflite, .onnx, Keras .keras/.h5 or TF.js model.json" })
      .option("board", { type: "string", describe: "A board (see `tinyml boards`): adds its flash/RAM budget and an estimated time per layer" })
      .option("runtime", { choices: ["aot", "tflm"] as const, describe: "The runtime whose arena to plan (default: the board's, else aot)" })
      .option("report", { type: "string", describe: "Also write an HTML page with the arena plan drawn and per-layer bars" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .example("$0 analyze model.tflite", "Per layer costs and the arena plan")
      .example("$0 analyze model.tflite --board qemu-m4 --report analysis.html", "With the board's budget, time estimates and a picture of the arena"),
  async run(args, out) {
    const modelPath = modelArg(args.model, "analyze");
    const board = args.board !== undefined ? loadBoard(args.board, args.boardsDir) : undefined;
    const runtime: RuntimeKind = args.runtime ?? board?.runtime.default ?? "aot";
    // Checked before any work: the page must be writable.
    const report = args.report !== undefined ? probeOutput(args.report, "report", "file") : undefined;
    const loaded = await loadModel(modelPath);
    const analysis = analyzeModel({ loaded, runtime, costs: readCostTable(), ...(board ? { board } : {}) });
    if (report) {
      writeAnalysisReport(analysis, report);
      out.info(`wrote ${report}`);
    }
    if (out.json) out.printJson(analysis);
    else out.print(renderAnalysis(analysis));
  },
});

const pct = (x: number): string => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;

function fmtUs(us: number): string {
  return us < 10 ? us.toFixed(2) : us < 1000 ? us.toFixed(1) : formatInt(us);
}

/** The terminal form: two tables that fit 100 columns (short names; --json has the full ones). */
export function renderAnalysis(a: ModelAnalysis): string {
  const est = a.board?.estimate;
  const layerHeader = ["#", "op", "layer", "MACs", "weights", "live", "top", ...(est ? ["est. µs"] : []), ""];
  const layerRows = a.layers.map((l) => [
    l.index, l.type, shortTensorName(l.name, 18), l.macs, formatBytes(l.weightBytes), formatBytes(l.liveBytes), formatBytes(l.arenaExtentBytes),
    ...(l.estimate ? [fmtUs(l.estimate.us) + (l.estimate.basis === "fitted" ? "" : "?")] : est ? ["-"] : []),
    (l.index === a.peak.op ? "peak" : l.index === a.livePeak.op ? "live" : "") + (l.inPlaceBytes > 0 ? "*" : ""),
  ]);
  const bufferRows = a.buffers.map((b) => [
    b.index, b.role, shortTensorName(b.name, 30), formatBytes(b.bytes), b.offset, b.offset + b.alignedBytes,
    b.firstOp === b.lastOp ? `${b.firstOp}` : `${b.firstOp}–${b.lastOp}`,
  ]);
  const peak = a.layers[a.peak.op];
  const live = a.layers[a.livePeak.op];
  const lines = [
    `${basename(a.model.path)}  (${a.model.format}, sha256 ${a.model.sha256.slice(0, 12)}…), ${a.runtime} runtime`,
    "",
    `Layers (${a.layers.length}, in execution order): live = arena bytes in use while the layer runs,`,
    `  top = the highest arena byte in use; "peak" sets the arena, "live" has the most bytes live,`,
    `  * = runs in place: writes its output over part of its dying input`,
    renderTable(layerHeader, layerRows),
    "",
    `Arena buffers (${a.buffers.length}; offset and end in bytes, ops = first–last op it is live for)`,
    renderTable(["buf", "role", "tensor", "size", "offset", "end", "ops"], bufferRows),
    "",
    `Totals: ${formatInt(a.totals.macs)} MACs, ${formatBytes(a.totals.weightBytes)} of weights, ${a.totals.ops} ops`,
    `Arena: ${formatInt(a.arena.planBytes)} B planned, peak at #${a.peak.op}${peak ? ` ${peak.type}` : ""}`,
    `  most live at #${a.livePeak.op}${live ? ` ${live.type}` : ""}: ${formatInt(a.livePeak.bytes)} B; no plan of these buffers fits in under ${formatInt(a.arena.lowerBoundBytes)} B`,
    ...(a.layers.some((l) => l.inPlaceBytes > 0) ? [`  ${a.layers.filter((l) => l.inPlaceBytes > 0).length} layers run in place, sharing ${formatInt(a.layers.reduce((n, l) => n + l.inPlaceBytes, 0))} B in all`] : []),
    ...(a.arena.overheadBytes > 0 ? [
      `TFLM arena: ${formatInt(a.arena.runtimeBytes)} B = plan + ${formatInt(a.arena.overheadBytes)} B of interpreter bookkeeping (estimated;`,
      "  `tinyml build` measures it with TFLM's own planner on host and QEMU boards)",
    ] : []),
  ];
  if (a.board) {
    lines.push("", `${a.board.name}`, "  planned before compiling (weights and arena; code not included)", renderBudget(a.board.budget));
    if (est) {
      lines.push(
        `Estimated time: ${fmtUs(est.totalUs)} µs (${formatInt(est.totalInstructions)} instructions), cost table of ${est.calibration} (${est.runtime})`,
        `  ${est.clock}`,
        ...(est.check ? [`  measured on ${est.calibration}: ${formatInt(est.check.measuredInstructions)} instructions; estimate ${pct(est.check.relativeError)}` +
          (est.check.leaveOneOutRelativeError !== undefined ? `, ${pct(est.check.leaveOneOutRelativeError)} left out of the fit` : "")] : []),
        "  estimate vs measured on the calibration models (fitted on all / with the model left out):",
        ...est.checks.map((c) => `    ${c.model.padEnd(32)} ${pct(c.relativeError).padStart(7)} / ${c.leaveOneOutRelativeError !== undefined ? pct(c.leaveOneOutRelativeError).padStart(7) : "      —"}`),
        ...(est.unmeasured.length > 0 ? [`  not measured (marked ?): ${est.unmeasured.join(", ")}`] : []),
      );
    } else if (a.board.noEstimate) lines.push(`No time estimate: ${a.board.noEstimate}.`);
  }
  return lines.join("\n");
}
