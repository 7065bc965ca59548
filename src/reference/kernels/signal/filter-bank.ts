// SignalFilterBank: signal/micro/kernels/filter_bank.cc with
// FilterbankAccumulateChannels (signal/src/filter_bank.cc): triangular mel
// filters as weight/unweight pairs accumulated in uint64. Channel 0 of the
// num_channels + 1 accumulators is scratch and dropped, as TFLM drops
// work_area[0]. The int16 weights convert to uint64 as C's usual arithmetic
// conversions do (a negative weight wraps), so the sums are BigInt.

import type { CustomKernel } from "../../kernel.js";
import { constantNumbers, invalidOp } from "../../tensors.js";
import { flexInt32 } from "../../../model/flexbuffers.js";
import { expectArity, expectInput, expectOutput, readOptions } from "./common.js";

export interface SignalFilterBankParams {
  numChannels: number;
  /** Output elements written (the output's element count; at most numChannels). */
  outputSize: number;
}

const NAMES = ["weights", "unweights", "channel_frequency_starts", "channel_weight_starts", "channel_widths"];

export const signalFilterBank: CustomKernel<SignalFilterBankParams> = {
  prepare(ctx) {
    const numChannels = readOptions(ctx, (m) => flexInt32(m, 0, "num_channels"));
    expectArity(ctx, 6, 1);
    const x = expectInput(ctx, 0, "uint32", 1);
    const tables = [1, 2, 3, 4, 5].map((i) => expectInput(ctx, i, "int16", 1));
    const y = expectOutput(ctx, 0, "uint64", 1);
    if (numChannels < 1) invalidOp(ctx, `num_channels ${numChannels} must be positive`);
    const outputSize = y.shape[0]!;
    if (outputSize > numChannels) invalidOp(ctx, `output has ${outputSize} channels, num_channels is ${numChannels}`);
    tables.slice(2).forEach((t, k) => {
      if (t.shape[0]! < numChannels + 1) invalidOp(ctx, `${NAMES[k + 2]} has ${t.shape[0]} entries, needs num_channels + 1 = ${numChannels + 1}`);
    });
    // With constant tables (as exported), check every read stays inside its tensor.
    const [weights, , freqStarts, weightStarts, widths] = tables.map(constantNumbers);
    if (tables.every((t) => t.data)) {
      for (let i = 0; i <= numChannels; i++) {
        const f = freqStarts![i]!, w = weightStarts![i]!, n = widths![i]!;
        if (n > 0 && (f < 0 || f + n > x.shape[0]! || w < 0 || w + n > Math.min(weights!.length, tables[1]!.shape[0]!))) {
          invalidOp(ctx, `channel ${i} reads outside the spectrum or weight tables`);
        }
      }
    }
    return { numChannels, outputSize };
  },
  eval(p, io) {
    const x = io.inputs[0] as Uint32Array;
    const weights = io.inputs[1] as Int16Array;
    const unweights = io.inputs[2] as Int16Array;
    const freqStarts = io.inputs[3] as Int16Array;
    const weightStarts = io.inputs[4] as Int16Array;
    const widths = io.inputs[5] as Int16Array;
    const out = io.outputs[0] as BigUint64Array;
    let acc = 0n;
    let unacc = 0n;
    for (let i = 0; i <= p.numChannels; i++) {
      const f = freqStarts[i]!, w = weightStarts[i]!;
      for (let j = 0; j < widths[i]!; j++) {
        const v = BigInt(x[f + j]!);
        acc = BigInt.asUintN(64, acc + BigInt.asUintN(64, BigInt(weights[w + j]!)) * v);
        unacc = BigInt.asUintN(64, unacc + BigInt.asUintN(64, BigInt(unweights[w + j]!)) * v);
      }
      if (i >= 1 && i <= p.outputSize) out[i - 1] = acc;
      acc = unacc;
      unacc = 0n;
    }
  },
};
