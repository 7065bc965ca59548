// The memory plan options of the AOT runtime: its kernels' scratch buffers
// and the ops they can run in place. One place, so the build, `inspect`
// and `analyze` plan alike.

import type { Graph } from "../../model/ir.js";
import type { PlanOptions } from "../plan/index.js";
import { aotOverlapRules } from "./overlap-rules.js";
import { aotScratchBytes } from "./scratch.js";

export function aotPlanOptions(g: Graph): PlanOptions {
  return { scratchBytes: aotScratchBytes(g), overlaps: aotOverlapRules(g) };
}
