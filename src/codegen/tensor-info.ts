// tml_tensor_info initializers (tml_model.h) for a graph's inputs and
// outputs, shared by the AOT and TFLM generators so both runtimes describe
// their tensors identically.

import type { DType } from "../model/dtype.js";
import { tensorBytes } from "../model/graph.js";
import type { Graph } from "../model/ir.js";
import { cFloat, cInt, cString } from "./c-syntax.js";

/** TFLite TensorType codes, the numbering tml_tensor_info.type uses. */
const TYPE_CODES: Record<DType, number> = {
  float32: 0, int32: 2, uint8: 3, int64: 4, bool: 6, int16: 7, int8: 9, uint64: 12, uint32: 15, uint16: 16,
};

export function tensorInfoInit(g: Graph, index: number): string {
  const t = g.tensors[index]!;
  const q = t.quantization;
  const dims = t.shape.length > 0 ? t.shape.map(cInt).join(", ") : "0";
  return `  { ${cString(t.name)}, ${TYPE_CODES[t.dtype]}, ${t.shape.length}, { ${dims} }, ${cFloat(q?.scale[0] ?? 0)}, ${cInt(q?.zeroPoint[0] ?? 0)}, ${tensorBytes(t)}u },`;
}

/** `static const tml_tensor_info <name>[n] = {…};` for the given tensors. */
export function tensorInfoTable(g: Graph, name: string, tensors: readonly number[]): string {
  return [`static const tml_tensor_info ${name}[${Math.max(1, tensors.length)}] = {`, ...tensors.map((t) => tensorInfoInit(g, t)), "};"].join("\n");
}
