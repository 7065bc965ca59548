// The model's generated C for a runtime: AOT (model.c/.h + model_data) or
// TFLM (model_data + tml_model_tflm.cc). Every board family starts here, so
// the generated core is the same on every board.

import { readFileSync } from "node:fs";
import type { RuntimeKind } from "../boards/board.js";
import { generateAot, modelBaseName } from "../codegen/aot/generate.js";
import type { GeneratedFile } from "../codegen/c-array.js";
import type { MemoryPlan } from "../codegen/plan/index.js";
import { generateTflm } from "../codegen/tflm/generate.js";
import type { ResolverPlan } from "../codegen/tflm/resolver.js";
import type { LoadedModel } from "../model/load.js";
import { tensorBytes } from "../model/graph.js";

export interface ModelSources {
  files: GeneratedFile[];
  plan: MemoryPlan;
  /** Arena the runtime reserves (TFLM: its planner's figure when known, else the plan plus an estimate of its bookkeeping). */
  arenaBytes: number;
  /** TFLM: the op resolver the generated code registers (what a TFLM tree must provide). */
  resolver?: ResolverPlan;
}

export interface ModelSourceOptions {
  /** Fail when the arena would be larger. */
  maxArenaBytes?: number;
  /** TFLM: the arena to reserve (measured by TFLM's own planner, or --arena). */
  arenaBytes?: number;
}

export function generateModelSources(loaded: LoadedModel, runtime: RuntimeKind, opts: ModelSourceOptions = {}): ModelSources {
  if (runtime === "aot") {
    const r = generateAot(loaded, { maxArenaBytes: opts.maxArenaBytes });
    return { files: r.files, plan: r.plan, arenaBytes: r.plan.arenaBytes };
  }
  const r = generateTflm(loaded, {
    name: modelBaseName(loaded.path),
    tfliteBytes: loaded.format === "tflite" ? new Uint8Array(readFileSync(loaded.path)) : undefined,
    maxArenaBytes: opts.maxArenaBytes,
    ...(opts.arenaBytes !== undefined ? { arenaBytes: opts.arenaBytes } : {}),
  });
  return { files: r.files, plan: r.plan, arenaBytes: r.arenaBytes, resolver: r.resolver };
}

/** Bytes of constant tensor data: the weights a build puts in flash. */
export function modelWeightBytes(loaded: LoadedModel): number {
  return loaded.model.graphs[0]!.tensors.reduce((n, t) => n + (t.data?.byteLength ?? 0), 0);
}

/**
 * Defines the firmware apps need from the model: the apps keep a copy of the
 * inputs (TML_APP_INPUT_STAGE_BYTES) because the memory plan may reuse input
 * bytes during an invoke, and warm-up or repeated runs must see the same input.
 */
export function appDefines(loaded: LoadedModel): Record<string, string> {
  const g = loaded.model.graphs[0]!;
  const bytes = g.inputs.reduce((n, i) => n + tensorBytes(g.tensors[i]!), 0);
  return { TML_APP_INPUT_STAGE_BYTES: `${bytes}u` };
}
