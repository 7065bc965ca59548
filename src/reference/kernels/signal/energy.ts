// SignalEnergy: signal/micro/kernels/energy.cc with SpectrumToEnergy
// (signal/src/energy.cc): re^2 + im^2 of bins [start_index, end_index) as
// uint32 (the int32 sum wraps as the C does); other outputs are not written.

import type { CustomKernel } from "../../kernel.js";
import { invalidOp } from "../../tensors.js";
import { flexInt32 } from "../../../model/flexbuffers.js";
import { expectArity, expectInput, expectOutput, readOptions } from "./common.js";

export interface SignalEnergyParams {
  startIndex: number;
  endIndex: number;
}

export const signalEnergy: CustomKernel<SignalEnergyParams> = {
  prepare(ctx) {
    const [endIndex, startIndex] = readOptions(ctx, (m) => [flexInt32(m, 0, "end_index"), flexInt32(m, 1, "start_index")] as const);
    expectArity(ctx, 1, 1);
    const x = expectInput(ctx, 0, "int16", 1);
    const y = expectOutput(ctx, 0, "uint32", 1);
    const bins = Math.min(Math.floor(x.shape[0]! / 2), y.shape[0]!);
    if (startIndex < 0 || endIndex > bins || startIndex > endIndex) {
      invalidOp(ctx, `bins [${startIndex}, ${endIndex}) are outside the ${bins}-bin spectrum`);
    }
    return { startIndex, endIndex };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int16Array;
    const out = io.outputs[0] as Uint32Array;
    for (let i = p.startIndex; i < p.endIndex; i++) {
      const re = x[2 * i]!;
      const im = x[2 * i + 1]!;
      out[i] = (re * re + im * im) >>> 0;
    }
  },
};
