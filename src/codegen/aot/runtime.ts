// Checks a model against a runtime before any code is generated: every op
// the runtime lacks is named in ONE error, with the runtimes that do run it.

import { TinymlError } from "../../errors.js";
import type { Graph } from "../../model/ir.js";
import { opTypeName } from "../../model/ir.js";
import { runtimes, runtimeSupports, type RuntimeName } from "../../runtimes.js";

export function checkRuntimeSupport(g: Graph, runtime: RuntimeName, file?: string): void {
  const all = runtimes();
  const chosen = all.find((r) => r.name === runtime);
  if (!chosen) throw new Error(`runtime ${runtime} is not registered`);
  const missing = g.ops
    .map((op, index) => ({ op, index }))
    .filter(({ op }) => !runtimeSupports(chosen, op))
    .map(({ op, index }) => {
      const others = all.filter((r) => r.name !== runtime && runtimeSupports(r, op)).map((r) => r.name);
      return `  op ${index} ${opTypeName(op)}: ${others.length > 0 ? `supported by ${others.join(", ")}` : "supported by no tinyml runtime"}`;
    });
  if (missing.length === 0) return;
  const alternatives = all.filter((r) => r.name !== runtime && g.ops.every((op) => runtimeSupports(r, op))).map((r) => r.name);
  throw new TinymlError(
    "TML_E_OP_UNSUPPORTED",
    `the ${runtime} runtime cannot run ${missing.length} op${missing.length === 1 ? "" : "s"} of this model:\n${missing.join("\n")}`,
    {
      location: { ...(file ? { file } : {}), detail: "subgraph 0" },
      hint: alternatives.length > 0
        ? `Build with --runtime ${alternatives.find((a) => a !== "reference") ?? alternatives[0]}, which runs every op of this model.`
        : "No tinyml runtime runs every op of this model; replace the listed ops in the model.",
    },
  );
}
