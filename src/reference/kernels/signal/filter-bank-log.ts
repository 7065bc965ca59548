// SignalFilterBankLog: signal/micro/kernels/filter_bank_log.cc with
// FilterbankLog (signal/src/filter_bank_log.cc) and Log32 /
// Log2FractionPart32 (signal/src/log.cc): a LUT-interpolated fixed-point
// natural log, scaled and saturated to int16.

import type { CustomKernel } from "../../kernel.js";
import { invalidOp } from "../../tensors.js";
import { flexInt32 } from "../../../model/flexbuffers.js";
import { expectArity, expectInput, expectOutput, msb32, readOptions } from "./common.js";

export interface SignalFilterBankLogParams {
  inputCorrectionBits: number;
  /** uint32 out_scale of Log32. */
  outputScale: number;
  numChannels: number;
}

/** kLogLut of signal/src/log.cc (129 segments + padding). */
export const LOG_LUT: readonly number[] = [
  0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646, 2797, 2944, 3087, 3224, 3358, 3487,
  3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934, 5001, 5063, 5123, 5178, 5231,
  5280, 5326, 5368, 5408, 5444, 5477, 5507, 5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633, 5626,
  5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944,
  4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848, 3759, 3668, 3575, 3481, 3384,
  3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224, 1094,
  963, 830, 695, 559, 421, 282, 142, 0, 0,
];

const LOG_SCALE_LOG2 = 16;
const LOG_SEGMENTS_LOG2 = 7;
const LOG_COEFF = 45426;

/** Log2FractionPart32. */
function log2FractionPart32(x: number, log2x: number): number {
  let frac = (x - 2 ** log2x) | 0;
  if (log2x < LOG_SCALE_LOG2) frac <<= LOG_SCALE_LOG2 - log2x;
  else frac >>= log2x - LOG_SCALE_LOG2;
  const baseSeg = frac >>> (LOG_SCALE_LOG2 - LOG_SEGMENTS_LOG2);
  const segUnit = (1 << LOG_SCALE_LOG2) >> LOG_SEGMENTS_LOG2;
  const c0 = LOG_LUT[baseSeg]!;
  const c1 = LOG_LUT[baseSeg + 1]!;
  const relPos = Math.imul(c1 - c0, frac - segUnit * baseSeg) >> LOG_SCALE_LOG2;
  return (frac + c0 + relPos) >>> 0;
}

/** Log32: x > 1, a uint32; out_scale a uint32. */
export function log32(x: number, outScale: number): number {
  const integer = msb32(x) - 1;
  const fraction = log2FractionPart32(x, integer);
  const log2 = ((integer << LOG_SCALE_LOG2) + fraction) >>> 0;
  const round = 1 << (LOG_SCALE_LOG2 - 1);
  const loge = Math.floor((LOG_COEFF * log2 + round) / 2 ** LOG_SCALE_LOG2) >>> 0;
  return (((Math.imul(outScale, loge) >>> 0) + round) >>> 0) >>> LOG_SCALE_LOG2;
}

export const signalFilterBankLog: CustomKernel<SignalFilterBankLogParams> = {
  prepare(ctx) {
    const [inputCorrectionBits, outputScale] = readOptions(ctx, (m) => [flexInt32(m, 0, "input_correction_bits"), flexInt32(m, 1, "output_scale")] as const);
    expectArity(ctx, 1, 1);
    const x = expectInput(ctx, 0, "uint32", 1);
    const y = expectOutput(ctx, 0, "int16", 1);
    if (inputCorrectionBits < 0 || inputCorrectionBits > 31) invalidOp(ctx, `input_correction_bits ${inputCorrectionBits} is outside 0..31`);
    if (y.shape[0]! < x.shape[0]!) invalidOp(ctx, "output is smaller than the input");
    return { inputCorrectionBits, outputScale: outputScale >>> 0, numChannels: x.shape[0]! };
  },
  eval(p, io) {
    const x = io.inputs[0] as Uint32Array;
    const out = io.outputs[0] as Int16Array;
    for (let i = 0; i < p.numChannels; i++) {
      const scaled = (x[i]! << p.inputCorrectionBits) >>> 0;
      if (scaled > 1) {
        const v = log32(scaled, p.outputScale);
        out[i] = v < 32767 ? v : 32767;
      } else {
        out[i] = 0;
      }
    }
  },
};
