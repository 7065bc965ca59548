// Whether an int8 ADD or SUB takes the kernels' 32-bit runs: the params
// TFLM's Prepare makes, for which tml_add_s8_runs32 / tml_sub_s8_runs32
// give tml_add_s8's bits and link neither the 64-bit runs nor the
// element-by-element loop. The rules are tml_add_sub_s8_takes_runs32 in
// firmware/kernels (tml_add_sub_s8_impl.h: tml_add_step_init and
// tml_add_sub_runs32_steps); test/codegen/add-sub-variants.test.ts compiles
// it and checks both agree on real models' params and at every threshold.

import type { AddSubParams } from "../../reference/kernels/add-sub.js";

/** The fields of tml_add_s8_params the rules read: the reference's prepared params. */
export type AddSubQuant = Pick<AddSubParams,
  | "leftShift" | "input1Offset" | "input1Multiplier" | "input1Shift" | "input2Offset" | "input2Multiplier"
  | "input2Shift" | "outputOffset" | "outputMultiplier" | "outputShift" | "activationMin" | "activationMax">;

const INT32_MAX = 2 ** 31 - 1;

/** tml_s8_offset_bound: the largest |x + offset| over int8 x. */
function offsetBound(offset: number): number {
  const lo = -128 + offset, hi = 127 + offset;
  return lo < 0 ? Math.max(-lo, hi) : hi;
}

/** tml_fits_shl: bound << shift stays within int32. */
function fitsShl(bound: number, shift: number): boolean {
  return shift >= 0 && shift <= 31 && bound <= Math.floor(INT32_MAX / 2 ** shift);
}

/** tml_add_step_init: one input's step in 32 bits (linear for the larger-scale input). */
function stepFits(offset: number, leftShift: number, multiplier: number, shift: number): boolean {
  const e = -shift;
  const linear = isLinear(leftShift, multiplier, shift);
  if (!linear && e < 1) return false;
  return fitsShl(offsetBound(offset), linear ? leftShift - e : leftShift + 1);
}

/** The larger-scale input of TFLM's params: multiplier 2^30, its step one multiply-add. */
function isLinear(leftShift: number, multiplier: number, shift: number): boolean {
  return multiplier === 2 ** 30 && leftShift >= 1 && -shift <= leftShift - 1;
}

/** tml_add_sub_check: the params every path accepts. */
function valid(p: AddSubQuant): boolean {
  const shifts = [p.input1Shift, p.input2Shift, p.outputShift];
  return p.leftShift >= 0 && p.leftShift <= 31 && p.activationMin <= p.activationMax && shifts.every((s) => s <= 0 && s >= -31);
}

/** tml_add_sub_s8_takes_runs32. */
export function addSubTakesRuns32(p: AddSubQuant): boolean {
  if (!valid(p)) return false;
  if (!stepFits(p.input1Offset, p.leftShift, p.input1Multiplier, p.input1Shift)) return false;
  if (!stepFits(p.input2Offset, p.leftShift, p.input2Multiplier, p.input2Shift)) return false;
  if (!isLinear(p.leftShift, p.input1Multiplier, p.input1Shift) && !isLinear(p.leftShift, p.input2Multiplier, p.input2Shift)) return false;
  if (p.outputShift > -1) return false;
  if ((offsetBound(p.input1Offset) + offsetBound(p.input2Offset)) * 2 ** p.leftShift + 4 >= 2 ** 30) return false;
  return Math.abs(p.outputOffset) * 2 ** -p.outputShift < 2 ** 29 - 1;
}

/** The C function the AOT code calls for an int8 ADD or SUB. */
export function addSubS8Entry(op: "add" | "sub", p: AddSubQuant): string {
  return addSubTakesRuns32(p) ? `tml_${op}_s8_runs32` : `tml_${op}_s8`;
}
