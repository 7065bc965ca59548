// Which of tinyml's runtimes can execute which ops. Each runtime registers
// its op set; `tinyml inspect` shows one column per runtime and `build`
// refuses a model whose ops the chosen runtime lacks.

import type { Op } from "./model/ir.js";
import { OPS, type BuiltinOpType } from "./model/ops.js";
import { REFERENCE_CUSTOM_OPS, REFERENCE_OPS } from "./reference/interpreter.js";
import { AOT_CUSTOM_OPS, AOT_OPS } from "./codegen/aot/emitters.js";
// Registers TFLM's signal-library kernels (the audio frontend) with the reference.
import "./reference/kernels/signal/index.js";

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

registerRuntime({
  name: "aot",
  describe: "tinyml's ahead-of-time C (no interpreter)",
  builtins: AOT_OPS,
  customs: AOT_CUSTOM_OPS,
});

registerRuntime({
  name: "reference",
  describe: "tinyml's host reference interpreter (bit-exact with TFLM)",
  builtins: REFERENCE_OPS,
  customs: REFERENCE_CUSTOM_OPS,
});

export function runtimes(): RuntimeSupport[] {
  const order: RuntimeName[] = ["reference", "aot", "tflm"];
  return order.flatMap((n) => registry.get(n) ?? []);
}

export function runtimeSupports(r: RuntimeSupport, op: Op): boolean {
  return op.kind === "builtin" ? r.builtins.has(op.type) : r.customs.has(op.name);
}
