// SignalWindow: signal/micro/kernels/window.cc with tflm_signal::ApplyWindow
// (signal/src/window.cc): out = saturate_int16((in * w) >> shift), the
// window applied to each consecutive block of weights.size samples.

import type { CustomKernel } from "../../kernel.js";
import { invalidOp } from "../../tensors.js";
import { expectArity, expectInput, expectOutput, readOptions } from "./common.js";
import { flexInt32 } from "../../../model/flexbuffers.js";

export interface SignalWindowParams {
  shift: number;
  inputSize: number;
  weightSize: number;
}

export const signalWindow: CustomKernel<SignalWindowParams> = {
  prepare(ctx) {
    const shift = readOptions(ctx, (m) => flexInt32(m, 0, "shift"));
    expectArity(ctx, 2, 1);
    const x = expectInput(ctx, 0, "int16");
    const w = expectInput(ctx, 1, "int16", 1);
    const y = expectOutput(ctx, 0, "int16", x.shape.length);
    if (x.shape.length < 1) invalidOp(ctx, "input must have at least 1 dim");
    const inputSize = x.shape.reduce((a, b) => a * b, 1);
    const weightSize = w.shape[0]!;
    if (weightSize <= 0 || inputSize % weightSize !== 0) invalidOp(ctx, `input size ${inputSize} is not a multiple of the window size ${weightSize}`);
    if (y.shape.reduce((a, b) => a * b, 1) !== inputSize) invalidOp(ctx, "output size differs from input size");
    if (shift < 0 || shift > 31) invalidOp(ctx, `shift ${shift} is outside 0..31`);
    return { shift, inputSize, weightSize };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int16Array;
    const w = io.inputs[1] as Int16Array;
    const out = io.outputs[0] as Int16Array;
    for (let base = 0; base < p.inputSize; base += p.weightSize) {
      for (let i = 0; i < p.weightSize; i++) {
        const raw = (x[base + i]! * w[i]!) >> p.shift;
        out[base + i] = raw < -32768 ? -32768 : raw > 32767 ? 32767 : raw;
      }
    }
  },
};
