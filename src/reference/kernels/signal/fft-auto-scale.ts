// SignalFftAutoScale: signal/micro/kernels/fft_auto_scale_kernel.cc with
// tflm_signal::FftAutoScale (signal/src/fft_auto_scale.cc) and MaxAbs16
// (signal/src/max_abs.cc): scale the frame up by the headroom of its largest
// magnitude and report the shift in output 1.

import type { CustomKernel } from "../../kernel.js";
import { expectArity, expectInput, expectOutput, msb32, s16 } from "./common.js";

export interface SignalFftAutoScaleParams {
  size: number;
}

/** MaxAbs16: the int16 running max, where -(-32768) stored back wraps to -32768. */
export function maxAbs16(x: Int16Array, size: number): number {
  let max = 0;
  for (let i = 0; i < size; i++) {
    const v = x[i]!;
    if (v > max) max = v;
    else if (-v > max) max = s16(-v);
  }
  return max;
}

export const signalFftAutoScale: CustomKernel<SignalFftAutoScaleParams> = {
  prepare(ctx) {
    expectArity(ctx, 1, 2);
    expectInput(ctx, 0, "int16", 1);
    const y = expectOutput(ctx, 0, "int16", 1);
    expectOutput(ctx, 1, "int32", 0);
    return { size: y.shape[0]! };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int16Array;
    const out = io.outputs[0] as Int16Array;
    const scaleOut = io.outputs[1] as Int32Array;
    // MostSignificantBit32 takes the int16 max converted to uint32.
    let scaleBits = 16 - msb32(maxAbs16(x, p.size) >>> 0) - 1;
    if (scaleBits <= 0) scaleBits = 0;
    for (let i = 0; i < p.size; i++) out[i] = s16(x[i]! * (1 << scaleBits));
    scaleOut[0] = scaleBits;
  },
};
