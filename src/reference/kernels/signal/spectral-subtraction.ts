// SignalFilterBankSpectralSubtraction:
// signal/micro/kernels/filter_bank_spectral_subtraction.cc with
// FilterbankSpectralSubtraction (signal/src/filter_bank_spectral_subtraction.cc).
// The noise estimate is the op's persistent state: TFLM allocates it in Init
// and zeroes it in Prepare (FilterBankSpectralSubtractionResetState), then
// every Invoke updates it and copies it to output 1. Here `noise` is created
// by prepare, so it survives invokes of one prepared interpreter and a new
// prepare starts from zeros. The C generator gives it a static buffer.

import type { CustomKernel } from "../../kernel.js";
import { invalidOp } from "../../tensors.js";
import { flexBool, flexInt32 } from "../../../model/flexbuffers.js";
import { expectArity, expectInput, expectOutput, readOptions, type SignalContext } from "./common.js";

export interface SpectralSubtractionConfig {
  numChannels: number;
  /** uint32 fields of SpectralSubtractionConfig (ElementAsInt32 cast to uint32). */
  smoothing: number;
  oneMinusSmoothing: number;
  alternateSmoothing: number;
  alternateOneMinusSmoothing: number;
  minSignalRemaining: number;
  smoothingBits: number;
  spectralSubtractionBits: number;
  clamping: boolean;
}

export interface SignalSpectralSubtractionParams extends SpectralSubtractionConfig {
  /** The persistent noise estimate (uint32 per channel). */
  noise: Uint32Array;
}

export function readSpectralSubtractionConfig(ctx: SignalContext): SpectralSubtractionConfig {
  return readOptions(ctx, (m) => ({
    alternateOneMinusSmoothing: flexInt32(m, 0, "alternate_one_minus_smoothing") >>> 0,
    alternateSmoothing: flexInt32(m, 1, "alternate_smoothing") >>> 0,
    clamping: flexBool(m, 2, "clamping"),
    minSignalRemaining: flexInt32(m, 3, "min_signal_remaining") >>> 0,
    numChannels: flexInt32(m, 4, "num_channels"),
    oneMinusSmoothing: flexInt32(m, 5, "one_minus_smoothing") >>> 0,
    smoothing: flexInt32(m, 6, "smoothing") >>> 0,
    smoothingBits: flexInt32(m, 7, "smoothing_bits") >>> 0,
    spectralSubtractionBits: flexInt32(m, 8, "spectral_subtraction_bits") >>> 0,
  }));
}

export const signalSpectralSubtraction: CustomKernel<SignalSpectralSubtractionParams> = {
  prepare(ctx) {
    const c = readSpectralSubtractionConfig(ctx);
    expectArity(ctx, 1, 2);
    const x = expectInput(ctx, 0, "uint32", 1);
    const y = expectOutput(ctx, 0, "uint32", 1);
    const n = expectOutput(ctx, 1, "uint32", 1);
    if (c.numChannels < 1) invalidOp(ctx, `num_channels ${c.numChannels} must be positive`);
    if (x.shape[0]! < c.numChannels || y.shape[0]! < c.numChannels || n.shape[0]! > c.numChannels) {
      invalidOp(ctx, `tensor sizes (${x.shape[0]}, ${y.shape[0]}, ${n.shape[0]}) do not fit num_channels ${c.numChannels}`);
    }
    if (c.smoothingBits > 31 || c.spectralSubtractionBits > 63) {
      invalidOp(ctx, `smoothing_bits ${c.smoothingBits} / spectral_subtraction_bits ${c.spectralSubtractionBits} are out of range`);
    }
    return { ...c, noise: new Uint32Array(c.numChannels) };
  },
  eval(p, io) {
    const x = io.inputs[0] as Uint32Array;
    const out = io.outputs[0] as Uint32Array;
    const noiseOut = io.outputs[1] as Uint32Array;
    const noise = p.noise;
    const bits = BigInt(p.spectralSubtractionBits);
    for (let i = 0; i < p.numChannels; i++) {
      const odd = (i & 1) === 1; // odd channels use the alternate coefficients
      const smoothing = BigInt(odd ? p.alternateSmoothing : p.smoothing);
      const oneMinus = BigInt(odd ? p.alternateOneMinusSmoothing : p.oneMinusSmoothing);
      const signalScaledUp = (x[i]! << p.smoothingBits) >>> 0;
      noise[i] = Number(BigInt.asUintN(32, (BigInt(signalScaledUp) * smoothing + BigInt(noise[i]!) * oneMinus) >> bits));
      let estimateScaledUp = noise[i]!;
      if (estimateScaledUp > signalScaledUp) {
        estimateScaledUp = signalScaledUp;
        if (p.clamping) noise[i] = estimateScaledUp;
      }
      const floor = Number(BigInt.asUintN(32, (BigInt(x[i]!) * BigInt(p.minSignalRemaining)) >> bits));
      const subtracted = (signalScaledUp - estimateScaledUp) >>> p.smoothingBits;
      out[i] = subtracted > floor ? subtracted : floor;
    }
    noiseOut.set(noise.subarray(0, noiseOut.length));
  },
};
