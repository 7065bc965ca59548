// Which of tinyml's runtimes can execute which ops. Each runtime registers
// its op set from its own module (src/reference/runtime.ts,
// src/codegen/aot/runtime.ts; TFLM's is known here), so this registry sits
// below them all; `tinyml inspect` shows one column per runtime and `build`
// refuses a model whose ops the chosen runtime lacks, naming them all.

import { TinymlError } from "./errors.js";
import { isHybridOp } from "./model/hybrid.js";
import { opTypeName, type Graph, type Op } from "./model/ir.js";
import { OPS, type BuiltinOpType } from "./model/ops.js";

export type RuntimeName = "reference" | "aot" | "tflm";

export interface RuntimeSupport {
  name: RuntimeName;
  describe: string;
  builtins: ReadonlySet<BuiltinOpType>;
  customs: ReadonlySet<string>;
}

/** TFLM's signal library registers these custom ops (signal/micro/kernels). */
export const TFLM_SIGNAL_OPS: readonly string[] = [
  "SignalWindow", "SignalFftAutoScale", "SignalRfft", "SignalIrfft", "SignalEnergy", "SignalFilterBank",
  "SignalFilterBankSquareRoot", "SignalFilterBankSpectralSubtraction", "SignalPCAN", "SignalFilterBankLog",
  "SignalFramer", "SignalOverlapAdd", "SignalDelay", "SignalStacker",
];

const registry = new Map<RuntimeName, RuntimeSupport>();

export function registerRuntime(r: RuntimeSupport): void {
  registry.set(r.name, r);
}

// TensorFlow Lite Micro's op resolver has a kernel for every builtin tinyml reads.
registerRuntime({
  name: "tflm",
  describe: "TensorFlow Lite Micro interpreter",
  builtins: new Set(Object.keys(OPS) as BuiltinOpType[]),
  customs: new Set(TFLM_SIGNAL_OPS),
});

export function runtimes(): RuntimeSupport[] {
  const order: RuntimeName[] = ["reference", "aot", "tflm"];
  return order.flatMap((n) => registry.get(n) ?? []);
}

/**
 * Whether runtime `r` runs `op`. Given the op's graph, the tensors' types
 * count too: a hybrid op (float activations, int8 weights) runs on none of
 * them, as TFLM refuses hybrid models and tinyml's kernels are TFLM's.
 */
export function runtimeSupports(r: RuntimeSupport, op: Op, g?: Graph): boolean {
  if (g && isHybridOp(g, op)) return false;
  return op.kind === "builtin" ? r.builtins.has(op.type) : r.customs.has(op.name);
}

/** Checks a model against a runtime before any code is generated: every op it lacks is named in ONE error, with the runtimes that do run it. */
export function checkRuntimeSupport(g: Graph, runtime: RuntimeName, file?: string): void {
  const all = runtimes();
  const chosen = all.find((r) => r.name === runtime);
  if (!chosen) throw new Error(`runtime ${runtime} is not registered`);
  const missing = g.ops
    .map((op, index) => ({ op, index }))
    .filter(({ op }) => !runtimeSupports(chosen, op, g))
    .map(({ op, index }) => {
      if (isHybridOp(g, op)) return `  op ${index} ${opTypeName(op)}: hybrid (float activations, int8 weights), which TFLite Micro refuses`;
      const others = all.filter((r) => r.name !== runtime && runtimeSupports(r, op, g)).map((r) => r.name);
      return `  op ${index} ${opTypeName(op)}: ${others.length > 0 ? `supported by ${others.join(", ")}` : "supported by no tinyml runtime"}`;
    });
  if (missing.length === 0) return;
  const hybrid = g.ops.some((op) => isHybridOp(g, op));
  const alternatives = all.filter((r) => r.name !== runtime && g.ops.every((op) => runtimeSupports(r, op, g))).map((r) => r.name);
  throw new TinymlError(
    "TML_E_OP_UNSUPPORTED",
    `the ${runtime} runtime cannot run ${missing.length} op${missing.length === 1 ? "" : "s"} of this model:\n${missing.join("\n")}`,
    {
      location: { ...(file ? { file } : {}), detail: "subgraph 0" },
      hint: hybrid
        ? `This is a hybrid model: quantize it to full int8 first (\`tinyml quantize ${file ?? "MODEL"} --calib DATA -o model_int8.tflite\`).`
        : alternatives.length > 0
        ? `Build with --runtime ${alternatives.find((a) => a !== "reference") ?? alternatives[0]}, which runs every op of this model.`
        : "No tinyml runtime runs every op of this model; replace the listed ops in the model.",
    },
  );
}
