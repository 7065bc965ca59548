// What `tinyml inspect` reports about a model, as data: the JSON form is this
// object, and the terminal table is rendered from it.

import type { LoadedModel, ModelFormat } from "../model/load.js";
import { readTinymlMetadata } from "../model/tinyml-metadata.js";
import type { Graph, Tensor } from "../model/ir.js";
import { opTypeName } from "../model/ir.js";
import { mainGraph } from "../model/graph.js";
import { hybridOps } from "../model/hybrid.js";
import { opMacs } from "../model/macs.js";
import { runtimes, runtimeSupports, type RuntimeName } from "../runtimes.js";
import { planArena } from "../codegen/plan/index.js";
import { aotPlanOptions } from "../codegen/aot/plan-options.js";
// Registers the aot runtime, so its column is there for every caller.
import "../codegen/aot/runtime.js";

export interface TensorSummary {
  index: number;
  name: string;
  shape: number[];
  dtype: string;
  /** A number for per-tensor quantization, an array per channel; 0 when not quantized. */
  scale: number | number[];
  zeroPoint: number | number[];
}

export interface OpSummary {
  index: number;
  type: string;
  inputs: number[];
  outputs: number[];
  macs: number;
  /** Bytes of the op's constant inputs (weights, biases, tables). */
  paramBytes: number;
  /** Which of tinyml's runtimes can run this op. */
  runtimes: Partial<Record<RuntimeName, boolean>>;
}

export interface ModelSummary {
  format: ModelFormat;
  path: string;
  sha256: string;
  graphs: number;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  ops: OpSummary[];
  opCounts: Record<string, number>;
  totals: { macs: number; weightBytes: number; ops: number; tensors: number };
  /** Runtimes that can run every op of the model. */
  runnableOn: RuntimeName[];
  /** The static memory plan: arena bytes, and the bytes live at once at the busiest op (no plan needs less). */
  memory: { arenaBytes: number; lowerBoundBytes: number };
  /**
   * Present for a hybrid model (int8 weights, float activations): the ops in
   * that form, which no runtime here runs (TFLM refuses hybrid models).
   */
  hybrid?: { ops: number[] };
  /** The output's class names, when the model records them (tinyml metadata). */
  labels?: string[];
}

export function tensorSummary(g: Graph, index: number): TensorSummary {
  const t: Tensor = g.tensors[index]!;
  const q = t.quantization;
  const perAxis = q !== undefined && q.scale.length > 1;
  return {
    index,
    name: t.name,
    shape: [...t.shape],
    dtype: t.dtype,
    scale: q && q.scale.length > 0 ? (perAxis ? [...q.scale] : q.scale[0]!) : 0,
    zeroPoint: q && q.scale.length > 0 ? (perAxis ? [...q.zeroPoint] : q.zeroPoint[0]!) : 0,
  };
}

export function summarizeModel(loaded: LoadedModel): ModelSummary {
  const g = mainGraph(loaded.model);
  const rts = runtimes();
  const ops = g.ops.map((op, index): OpSummary => ({
    index,
    type: opTypeName(op),
    inputs: [...op.inputs],
    outputs: [...op.outputs],
    macs: opMacs(g, op),
    paramBytes: op.inputs.reduce((n, i) => n + (i >= 0 ? (g.tensors[i]?.data?.byteLength ?? 0) : 0), 0),
    runtimes: Object.fromEntries(rts.map((r) => [r.name, runtimeSupports(r, op, g)])),
  }));
  const opCounts: Record<string, number> = {};
  for (const o of ops) opCounts[o.type] = (opCounts[o.type] ?? 0) + 1;
  const { labels } = readTinymlMetadata(loaded.model, loaded.path);
  const hybrid = hybridOps(g);
  return {
    ...(labels ? { labels } : {}),
    format: loaded.format,
    path: loaded.path,
    sha256: loaded.sha256,
    graphs: loaded.model.graphs.length,
    inputs: g.inputs.map((i) => tensorSummary(g, i)),
    outputs: g.outputs.map((i) => tensorSummary(g, i)),
    ops,
    opCounts,
    totals: {
      macs: ops.reduce((n, o) => n + o.macs, 0),
      weightBytes: g.tensors.reduce((n, t) => n + (t.data?.byteLength ?? 0), 0),
      ops: ops.length,
      tensors: g.tensors.length,
    },
    runnableOn: rts.filter((r) => g.ops.every((op) => runtimeSupports(r, op, g))).map((r) => r.name),
    ...(hybrid.length > 0 ? { hybrid: { ops: hybrid } } : {}),
    // The plan the AOT build makes, kernel scratch included.
    memory: (({ arenaBytes, lowerBoundBytes }) => ({ arenaBytes, lowerBoundBytes }))(
      planArena(g, aotPlanOptions(g)),
    ),
  };
}
