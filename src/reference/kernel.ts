// The shape of a reference kernel, TFLM-style: `prepare` reads the op's
// tensors once and returns plain data (multipliers, shifts, ranges, shapes,
// LUTs) — the same values the C code generator emits as constants — and
// `eval` is a pure function of those params and the tensors' typed arrays.

import type { NumericArray } from "../model/dtype.js";
import type { BuiltinOp, CustomOp, Graph, Tensor } from "../model/ir.js";
import type { BuiltinOpType } from "../model/ops.js";

/** What a kernel sees at prepare time. */
export interface PrepareContext<O> {
  op: O;
  /** The op's position in the graph, for messages. */
  opIndex: number;
  graph: Graph;
  /** The op's input tensors; undefined for an omitted optional input. */
  inputs: Array<Tensor | undefined>;
  outputs: Tensor[];
}

export type BuiltinPrepareContext<T extends BuiltinOpType> = PrepareContext<Extract<BuiltinOp, { type: T }>>;

/** The op's tensors' storage at eval time, in the op's input/output order. */
export interface EvalIO {
  inputs: Array<NumericArray | undefined>;
  outputs: NumericArray[];
}

export interface Kernel<P, O> {
  prepare(ctx: PrepareContext<O>): P;
  eval(params: P, io: EvalIO): void;
}

export type BuiltinKernel<T extends BuiltinOpType, P> = Kernel<P, Extract<BuiltinOp, { type: T }>>;
export type CustomKernel<P> = Kernel<P, CustomOp>;

/** A prepared op: its plain-data params and a closure running eval on them. */
export interface PreparedOp {
  params: unknown;
  run(io: EvalIO): void;
}

/** Type-erases a kernel so a table can hold kernels with different params. */
export interface ErasedKernel<O> {
  prepare(ctx: PrepareContext<O>): PreparedOp;
}

export function erase<P, O>(k: Kernel<P, O>): ErasedKernel<O> {
  return {
    prepare(ctx) {
      const params = k.prepare(ctx);
      return { params, run: (io) => k.eval(params, io) };
    },
  };
}
