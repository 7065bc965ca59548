// SignalPCAN: signal/micro/kernels/pcan.cc with ApplyPcanAutoGainControlFixed,
// WideDynamicFunction and PcanShrink (signal/src/pcan_argc_fixed.cc):
// per-channel automatic gain from the noise estimate through the gain LUT's
// piecewise polynomial, then the shrink nonlinearity.

import type { CustomKernel } from "../../kernel.js";
import { invalidOp } from "../../tensors.js";
import { flexInt32 } from "../../../model/flexbuffers.js";
import { expectArity, expectInput, expectOutput, msb32, readOptions, s16 } from "./common.js";

export interface SignalPcanParams {
  snrShift: number;
  numChannels: number;
}

const PCAN_SNR_BITS = 12;
const PCAN_OUTPUT_BITS = 6;
/** WideDynamicFunction reads lut[4 * 32 - 6 + 2] for the largest interval. */
export const PCAN_LUT_MIN_SIZE = 4 * 32 - 6 + 3;

/** WideDynamicFunction: x is a uint32, returns the int16 gain. */
export function wideDynamicFunction(x: number, lut: Int16Array): number {
  if (x <= 2) return lut[x]!;
  const interval = msb32(x);
  const base = 4 * interval - 6;
  const frac = (interval < 11 ? x << (11 - interval) : x >>> (interval - 11)) & 0x3ff;
  let result = (lut[base + 2]! * frac) >> 5;
  result = (result + (lut[base + 1]! << 5)) | 0;
  result = Math.imul(result, frac);
  result = ((result + (1 << 14)) | 0) >> 15;
  result += lut[base]!;
  return s16(result);
}

/** PcanShrink: x^2 / 4 below 2, x - 1 above (fixed point). */
export function pcanShrink(x: number): number {
  if (x < 2 << PCAN_SNR_BITS) return Math.imul(x, x) >>> (2 + 2 * PCAN_SNR_BITS - PCAN_OUTPUT_BITS);
  return ((x >>> (PCAN_SNR_BITS - PCAN_OUTPUT_BITS)) - (1 << PCAN_OUTPUT_BITS)) >>> 0;
}

export const signalPcan: CustomKernel<SignalPcanParams> = {
  prepare(ctx) {
    const snrShift = readOptions(ctx, (m) => flexInt32(m, 0, "snr_shift"));
    expectArity(ctx, 3, 1);
    const x = expectInput(ctx, 0, "uint32", 1);
    const noise = expectInput(ctx, 1, "uint32", 1);
    const lut = expectInput(ctx, 2, "int16", 1);
    const y = expectOutput(ctx, 0, "uint32", 1);
    if (snrShift < 0 || snrShift > 63) invalidOp(ctx, `snr_shift ${snrShift} is outside 0..63`);
    if (lut.shape[0]! < PCAN_LUT_MIN_SIZE) invalidOp(ctx, `the gain LUT has ${lut.shape[0]} entries, needs ${PCAN_LUT_MIN_SIZE}`);
    const numChannels = x.shape[0]!;
    if (noise.shape[0]! < numChannels || y.shape[0]! !== numChannels) invalidOp(ctx, "input, noise estimate and output sizes differ");
    return { snrShift, numChannels };
  },
  eval(p, io) {
    const x = io.inputs[0] as Uint32Array;
    const noise = io.inputs[1] as Uint32Array;
    const lut = io.inputs[2] as Int16Array;
    const out = io.outputs[0] as Uint32Array;
    const shift = BigInt(p.snrShift);
    for (let i = 0; i < p.numChannels; i++) {
      const gain = wideDynamicFunction(noise[i]!, lut) >>> 0; // int16 -> uint32
      const snr = Number(BigInt.asUintN(32, (BigInt(x[i]!) * BigInt(gain)) >> shift));
      out[i] = pcanShrink(snr);
    }
  },
};
