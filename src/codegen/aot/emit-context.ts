// What an AOT op emitter sees and returns. An emitter turns one op and the
// params the reference interpreter's prepare computed for it (the single
// source of every multiplier, shift, offset and range) into C: constant
// param structs and one kernel call. It never recomputes a prepare value.

import { TinymlError } from "../../errors.js";
import type { DType } from "../../model/dtype.js";
import type { BuiltinOp, Graph, Tensor } from "../../model/ir.js";
import { cFloat, cInt } from "../c-syntax.js";

export interface EmitContext<O extends BuiltinOp = BuiltinOp> {
  graph: Graph;
  op: O;
  opIndex: number;
  /** The reference kernel's prepare result for this op. */
  params: unknown;
  /** Prefix for this op's C names, e.g. "tml_op3". */
  id: string;
  /** A C expression for tensor `index`'s data, typed as the kernel wants (const for inputs). */
  ptr(index: number, access: "in" | "out"): string;
  /** Whether the op's output shares its input's arena bytes (planned view). */
  aliased: boolean;
  /**
   * When the plan puts the op's output over part of its dying input: the
   * output's arena offset minus the input's, in bytes (see overlap-rules.ts).
   * Undefined when the two are apart.
   */
  inPlaceShift?: number;
  /** A C expression for this op's planned scratch buffer as `ctype *` (see scratch.ts). */
  scratch(ctype: string): string;
}

export interface EmittedOp {
  /** File-scope declarations (static const params and tables). */
  decls: string[];
  /** C statements computing `status`; empty for an aliased view. */
  body: string[];
  /** Headers this op needs beyond tml_kernels.h. */
  includes?: string[];
  /** Statements tml_model_init runs: resetting the op's persistent state. */
  init?: string[];
}

export type OpEmitter<O extends BuiltinOp = BuiltinOp> = (ctx: EmitContext<O>) => EmittedOp;

/** The kernel library's TML_MAX_DIMS: shapes passed as tml_shape have at most this rank. */
export const TML_MAX_DIMS = 6;

export const C_TYPES: Partial<Record<DType, string>> = {
  float32: "float", int8: "int8_t", uint8: "uint8_t", int16: "int16_t", uint16: "uint16_t",
  int32: "int32_t", uint32: "uint32_t", int64: "int64_t", uint64: "uint64_t", bool: "uint8_t",
};

/** The kernel library's tml_dtype enumerator for a dtype it handles. */
export const TML_DTYPES: Partial<Record<DType, string>> = {
  float32: "TML_FLOAT32", int32: "TML_INT32", uint8: "TML_UINT8", bool: "TML_BOOL", int16: "TML_INT16",
  int8: "TML_INT8", uint32: "TML_UINT32",
};

export function tensorAt(ctx: EmitContext, list: "inputs" | "outputs", i: number): Tensor {
  const idx = ctx.op[list][i] ?? -1;
  const t = ctx.graph.tensors[idx];
  if (!t) throw new Error(`op ${ctx.opIndex}: ${list} ${i} is missing (the reference prepare checks this)`);
  return t;
}

/** Tensor input `i`'s pointer expression, or NULL for an omitted optional input. */
export function inputPtr(ctx: EmitContext, i: number): string {
  const idx = ctx.op.inputs[i] ?? -1;
  return idx < 0 ? "NULL" : ctx.ptr(idx, "in");
}

export function outputPtr(ctx: EmitContext, i = 0): string {
  return ctx.ptr(ctx.op.outputs[i]!, "out");
}

/** The AOT runtime has no kernel for this dtype combination. */
export function unsupportedDtypes(ctx: EmitContext, what: string, supported: string): never {
  throw new TinymlError("TML_E_DTYPE_UNSUPPORTED", `${ctx.op.type} with ${what} is not supported by the aot runtime`, {
    location: { detail: `subgraph 0, op ${ctx.opIndex} (${ctx.op.type})` },
    hint: `The aot runtime's ${ctx.op.type} supports ${supported}; build this model with --runtime tflm.`,
  });
}

/** `static const int32_t <name>[n] = {…};` */
export function int32Table(name: string, values: readonly number[]): string {
  return `static const int32_t ${name}[${values.length}] = { ${values.map(cInt).join(", ")} };`;
}

/** A C99 designated initializer from field → literal pairs (nested objects allowed). */
export function designated(fields: Record<string, string | Record<string, string>>, indent = "  "): string {
  const parts = Object.entries(fields).map(([k, v]) =>
    typeof v === "string" ? `${indent}.${k} = ${v},` : `${indent}.${k} = {\n${designated(v, indent + "  ")}\n${indent}},`,
  );
  return parts.join("\n");
}

export function paramStruct(type: string, name: string, fields: Record<string, string | Record<string, string>>): string {
  return `static const ${type} ${name} = {\n${designated(fields)}\n};`;
}

/** A `tml_shape` initializer. */
export function shapeInit(shape: readonly number[]): Record<string, string> {
  return { rank: cInt(shape.length), dims: `{ ${(shape.length ? shape : [0]).map(cInt).join(", ")} }` };
}

export function i(n: number): string {
  return cInt(n);
}

export function f(x: number): string {
  return cFloat(x);
}

/** `status = call;` — every kernel returns a tml_status. */
export function callStatement(call: string): string[] {
  return [`status = ${call};`];
}
