// `tinyml analyze`'s result as data: the model's layers against the memory
// plan the build makes for the runtime, and with a board, the planned budget
// (firmware-project's plan stage: exactly what `build --plan-only` checks)
// and the per-layer time estimate of the cost model. The terminal table,
// --json and the HTML page are all rendered from this one object.

import type { Board, RuntimeKind } from "../boards/board.js";
import { tflmOverheadBytes } from "../codegen/tflm/arena.js";
import type { Budget } from "../firmware-project/budget.js";
import { planFirmware } from "../firmware-project/build.js";
import { generateModelSources, modelWeightBytes } from "../firmware-project/model-sources.js";
import { mainGraph } from "../model/graph.js";
import type { LoadedModel } from "../model/load.js";
import { checkRuntimeSupport } from "../runtimes.js";
import type { CostTable, LayerEstimate, TimeEstimate } from "./cost-model.js";
import { estimateTime, noEstimateReason } from "./cost-model.js";
import { analyzePlan, type BufferRow, type LayerRow, type PlanAnalysis } from "./layers.js";

export interface AnalyzedLayer extends LayerRow {
  /** With a board that has a cost table. */
  estimate?: LayerEstimate;
}

export interface ModelAnalysis {
  model: { path: string; sha256: string; format: string };
  runtime: RuntimeKind;
  totals: { macs: number; weightBytes: number; ops: number; tensors: number };
  /**
   * planBytes: the memory plan of the tensors (and AOT kernel scratch);
   * runtimeBytes: the arena the firmware reserves (TFLM adds its interpreter's
   * bookkeeping, estimated: a build measures it on the board).
   */
  arena: { planBytes: number; lowerBoundBytes: number; runtimeBytes: number; overheadBytes: number };
  peak: PlanAnalysis["peak"];
  livePeak: PlanAnalysis["livePeak"];
  layers: AnalyzedLayer[];
  buffers: BufferRow[];
  board?: {
    id: string;
    name: string;
    core: string;
    budget: Budget;
    estimate?: Omit<TimeEstimate, "layers">;
    /** Why there is no time estimate for this board. */
    noEstimate?: string;
  };
}

export interface AnalyzeRequest {
  loaded: LoadedModel;
  runtime: RuntimeKind;
  board?: Board;
  costs: CostTable;
}

export function analyzeModel(req: AnalyzeRequest): ModelAnalysis {
  const { loaded, runtime, board } = req;
  const g = mainGraph(loaded.model);
  // With a board, the firmware-project stage's own plan (it checks the board takes the runtime and every op);
  // without one, the same model sources it would generate.
  const firmware = board
    ? planFirmware({ board, loaded, runtime, app: "inference", dir: "", dryRun: true, verbose: false, progress: () => undefined })
    : undefined;
  if (!board) checkRuntimeSupport(g, runtime, loaded.path);
  const sources = firmware?.model ?? generateModelSources(loaded, runtime);
  const planned = analyzePlan(g, sources.plan);
  const estimate = board ? estimateTime(req.costs, board, runtime, g, loaded.sha256) : undefined;
  const layers: AnalyzedLayer[] = planned.layers.map((l, i) => ({ ...l, ...(estimate ? { estimate: estimate.layers[i]! } : {}) }));
  return {
    model: { path: loaded.path, sha256: loaded.sha256, format: loaded.format },
    runtime,
    totals: { macs: layers.reduce((n, l) => n + l.macs, 0), weightBytes: modelWeightBytes(loaded), ops: g.ops.length, tensors: g.tensors.length },
    arena: {
      planBytes: sources.plan.arenaBytes, lowerBoundBytes: sources.plan.lowerBoundBytes, runtimeBytes: sources.arenaBytes,
      overheadBytes: runtime === "tflm" ? tflmOverheadBytes(g) : 0,
    },
    peak: planned.peak,
    livePeak: planned.livePeak,
    layers,
    buffers: planned.buffers,
    ...(board && firmware ? {
      board: {
        id: board.id, name: board.name, core: board.cpu.core, budget: firmware.budget,
        ...(estimate ? { estimate: (({ layers: _, ...rest }) => rest)(estimate) } : { noEstimate: noEstimateReason(req.costs, board, runtime)! }),
      },
    } : {}),
  };
}
