// SignalRfft: signal/micro/kernels/rfft.cc (the int16 instantiation,
// RfftInt16Apply in signal/src/rfft_int16.cc): each input_length block is
// zero-padded to fft_length in a work area and transformed by kiss_fftr.
// Only T = int16 is supported, which is what TFLM's micro_speech frontend
// uses; the kissfft plan (factors and twiddles) is computed here once and
// emitted as constants by the C generator.

import type { CustomKernel } from "../../kernel.js";
import { invalidOp, unsupportedTypes } from "../../tensors.js";
import { flexInt32, type FlexMap } from "../../../model/flexbuffers.js";
import { expectArity, expectInput, expectOutput, readOptions } from "./common.js";
import { kissFftr, kissFftrPlan, type KissFftrPlan } from "./kissfft-int16.js";

/** tflite::TensorType_INT16. */
const TENSOR_TYPE_INT16 = 7;

export interface SignalRfftParams {
  plan: KissFftrPlan;
  inputSize: number;
  inputLength: number;
  /** Complex bins per block in the output (its last dim / 2). */
  outputLength: number;
}

function typeCode(m: FlexMap): number {
  const e = m.entries.findIndex((x) => x.key === "T");
  return flexInt32(m, e < 0 ? 0 : e, "T"); // RfftInitAll: m["T"].AsInt32()
}

export const signalRfft: CustomKernel<SignalRfftParams> = {
  prepare(ctx) {
    const [type, fftLength] = readOptions(ctx, (m) => [typeCode(m), flexInt32(m, 1, "fft_length")] as const);
    if (type !== TENSOR_TYPE_INT16) unsupportedTypes(ctx, `T = TensorType ${type}`, "T = int16 (TensorType 7)");
    expectArity(ctx, 1, 1);
    const x = expectInput(ctx, 0, "int16");
    const y = expectOutput(ctx, 0, "int16", x.shape.length);
    if (x.shape.length < 1) invalidOp(ctx, "input must have at least 1 dim");
    const plan = kissFftrPlan(fftLength);
    if (!plan) invalidOp(ctx, `fft_length ${fftLength} is not an even length kissfft factors into 2, 3, 4 and 5`);
    const inputLength = x.shape[x.shape.length - 1]!;
    const inputSize = x.shape.reduce((a, b) => a * b, 1);
    const outputLength = Math.floor(y.shape[y.shape.length - 1]! / 2);
    if (inputLength > fftLength) invalidOp(ctx, `input length ${inputLength} is longer than fft_length ${fftLength}`);
    const blocks = inputLength > 0 ? inputSize / inputLength : 0;
    const outputSize = y.shape.reduce((a, b) => a * b, 1);
    // kiss_fftr writes fft_length / 2 + 1 bins per block starting at block * output_length.
    if (blocks > 0 && (blocks - 1) * outputLength * 2 + (plan.ncfft + 1) * 2 > outputSize) {
      invalidOp(ctx, `output of ${outputSize} values is too small for ${blocks} block(s) of ${plan.ncfft + 1} bins`);
    }
    return { plan, inputSize, inputLength, outputLength };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int16Array;
    const out = io.outputs[0] as Int16Array;
    const work = new Int16Array(p.plan.fftLength);
    const tmp = new Int16Array(2 * p.plan.ncfft);
    for (let i = 0, o = 0; i < p.inputSize; i += p.inputLength, o += p.outputLength) {
      work.fill(0);
      work.set(x.subarray(i, i + p.inputLength));
      kissFftr(p.plan, work, out.subarray(2 * o, 2 * o + 2 * (p.plan.ncfft + 1)), tmp);
    }
  },
};
