// Emitters for TFLM's signal-library custom ops (the audio frontend), one
// firmware/kernels/tml_signal_*.c call each. Every value comes from the
// reference kernel's prepare (src/reference/kernels/signal): option values,
// the kissfft plan of SignalRfft, sizes. SignalFilterBankSpectralSubtraction's
// noise estimate is a static buffer of model.c, zeroed by tml_model_init and
// kept across invokes, as TFLM keeps it in a persistent buffer.

import { readFlexMap, flexInt32 } from "../../model/flexbuffers.js";
import type { CustomOp } from "../../model/ir.js";
import type { SignalEnergyParams } from "../../reference/kernels/signal/energy.js";
import type { SignalFftAutoScaleParams } from "../../reference/kernels/signal/fft-auto-scale.js";
import type { SignalFilterBankParams } from "../../reference/kernels/signal/filter-bank.js";
import type { SignalFilterBankLogParams } from "../../reference/kernels/signal/filter-bank-log.js";
import type { SignalFilterBankSquareRootParams } from "../../reference/kernels/signal/filter-bank-square-root.js";
import type { SignalPcanParams } from "../../reference/kernels/signal/pcan.js";
import type { SignalRfftParams } from "../../reference/kernels/signal/rfft.js";
import type { SignalSpectralSubtractionParams } from "../../reference/kernels/signal/spectral-subtraction.js";
import type { SignalWindowParams } from "../../reference/kernels/signal/window.js";
import { cInt, initializerLines } from "../c-syntax.js";
import { callStatement, i, int32Table, type EmitContext, type EmittedOp } from "./emit-context.js";
import { kernelParams } from "./kernel-structs.js";

/** What a custom-op emitter sees: the EmitContext with the custom op. */
export interface CustomEmitContext extends Omit<EmitContext, "op"> {
  op: CustomOp;
}

export type CustomOpEmitter = (ctx: CustomEmitContext) => EmittedOp;

function inPtr(ctx: CustomEmitContext, k: number): string {
  return ctx.ptr(ctx.op.inputs[k]!, "in");
}

function outPtr(ctx: CustomEmitContext, k: number): string {
  return ctx.ptr(ctx.op.outputs[k]!, "out");
}

function int16Table(name: string, values: readonly number[]): string {
  return [`static const int16_t ${name}[${values.length}] = {`, initializerLines(values.map(cInt), 12), "};"].join("\n");
}

/** tml_signal_rfft_s16_scratch_size for this op: 2 * fft_length int16 (0 when the options do not parse). */
export function signalScratchBytes(op: CustomOp): number {
  if (op.name !== "SignalRfft") return 0;
  try {
    return 4 * flexInt32(readFlexMap(op.customOptions), 1, "fft_length");
  } catch {
    return 0; // the reference prepare reports the malformed options
  }
}

const emitWindow: CustomOpEmitter = (ctx) => {
  const p = ctx.params as SignalWindowParams;
  const name = `${ctx.id}_params`;
  return {
    decls: [kernelParams("tml_signal_window_params", name, { shift: p.shift, input_size: p.inputSize, weight_size: p.weightSize })],
    body: callStatement(`tml_signal_window_s16(&${name}, ${inPtr(ctx, 0)}, ${inPtr(ctx, 1)}, ${outPtr(ctx, 0)})`),
  };
};

const emitFftAutoScale: CustomOpEmitter = (ctx) => {
  const p = ctx.params as SignalFftAutoScaleParams;
  return { decls: [], body: callStatement(`tml_signal_fft_auto_scale_s16(${i(p.size)}, ${inPtr(ctx, 0)}, ${outPtr(ctx, 0)}, ${outPtr(ctx, 1)})`) };
};

const emitRfft: CustomOpEmitter = (ctx) => {
  const p = ctx.params as SignalRfftParams;
  if (signalScratchBytes(ctx.op) !== 4 * p.plan.fftLength) throw new Error(`op ${ctx.opIndex}: planned RFFT scratch disagrees with its params`);
  const name = `${ctx.id}_params`;
  return {
    decls: [
      int32Table(`${ctx.id}_factors`, p.plan.factors),
      int16Table(`${ctx.id}_twiddles`, p.plan.twiddles),
      int16Table(`${ctx.id}_super_twiddles`, p.plan.superTwiddles),
      kernelParams("tml_signal_rfft_params", name, {
        fft_length: p.plan.fftLength, input_size: p.inputSize, input_length: p.inputLength, output_length: p.outputLength,
        factor_count: p.plan.factors.length, factors: `${ctx.id}_factors`, twiddles: `${ctx.id}_twiddles`,
        super_twiddles: `${ctx.id}_super_twiddles`,
      }),
    ],
    body: callStatement(`tml_signal_rfft_s16(&${name}, ${inPtr(ctx, 0)}, ${outPtr(ctx, 0)}, ${ctx.scratch("void")})`),
  };
};

const emitEnergy: CustomOpEmitter = (ctx) => {
  const p = ctx.params as SignalEnergyParams;
  const name = `${ctx.id}_params`;
  return {
    decls: [kernelParams("tml_signal_energy_params", name, { start_index: p.startIndex, end_index: p.endIndex })],
    body: callStatement(`tml_signal_energy_s16(&${name}, ${inPtr(ctx, 0)}, ${outPtr(ctx, 0)})`),
  };
};

const emitFilterBank: CustomOpEmitter = (ctx) => {
  const p = ctx.params as SignalFilterBankParams;
  const name = `${ctx.id}_params`;
  const ins = [0, 1, 2, 3, 4, 5].map((k) => inPtr(ctx, k)).join(", ");
  return {
    decls: [kernelParams("tml_signal_filter_bank_params", name, { num_channels: p.numChannels, output_size: p.outputSize })],
    body: callStatement(`tml_signal_filter_bank_u32(&${name}, ${ins}, ${outPtr(ctx, 0)})`),
  };
};

const emitFilterBankSquareRoot: CustomOpEmitter = (ctx) => {
  const p = ctx.params as SignalFilterBankSquareRootParams;
  return { decls: [], body: callStatement(`tml_signal_filter_bank_sqrt_u64(${i(p.numChannels)}, ${inPtr(ctx, 0)}, ${inPtr(ctx, 1)}, ${outPtr(ctx, 0)})`) };
};

const emitSpectralSubtraction: CustomOpEmitter = (ctx) => {
  const p = ctx.params as SignalSpectralSubtractionParams;
  const name = `${ctx.id}_params`;
  const state = `${ctx.id}_noise_estimate`;
  const noiseOut = ctx.graph.tensors[ctx.op.outputs[1]!]!.shape[0]!;
  return {
    decls: [
      kernelParams("tml_signal_spectral_subtraction_params", name, {
        num_channels: p.numChannels, smoothing: p.smoothing, one_minus_smoothing: p.oneMinusSmoothing,
        alternate_smoothing: p.alternateSmoothing, alternate_one_minus_smoothing: p.alternateOneMinusSmoothing,
        min_signal_remaining: p.minSignalRemaining, smoothing_bits: p.smoothingBits,
        spectral_subtraction_bits: p.spectralSubtractionBits, clamping: p.clamping ? 1 : 0, noise_output_size: noiseOut,
      }),
      `/* op ${ctx.opIndex}'s persistent noise estimate (TFLM: a persistent buffer zeroed in Prepare). */`,
      `static uint32_t ${state}[${p.numChannels}];`,
    ],
    init: [`tml_signal_spectral_subtraction_u32_reset(&${name}, ${state});`],
    body: callStatement(`tml_signal_spectral_subtraction_u32(&${name}, ${inPtr(ctx, 0)}, ${outPtr(ctx, 0)}, ${outPtr(ctx, 1)}, ${state})`),
  };
};

const emitPcan: CustomOpEmitter = (ctx) => {
  const p = ctx.params as SignalPcanParams;
  const name = `${ctx.id}_params`;
  return {
    decls: [kernelParams("tml_signal_pcan_params", name, { snr_shift: p.snrShift, num_channels: p.numChannels })],
    body: callStatement(`tml_signal_pcan_u32(&${name}, ${inPtr(ctx, 0)}, ${inPtr(ctx, 1)}, ${inPtr(ctx, 2)}, ${outPtr(ctx, 0)})`),
  };
};

const emitFilterBankLog: CustomOpEmitter = (ctx) => {
  const p = ctx.params as SignalFilterBankLogParams;
  const name = `${ctx.id}_params`;
  return {
    decls: [
      kernelParams("tml_signal_filter_bank_log_params", name, {
        input_correction_bits: p.inputCorrectionBits, output_scale: p.outputScale, num_channels: p.numChannels,
      }),
    ],
    body: callStatement(`tml_signal_filter_bank_log_u32(&${name}, ${inPtr(ctx, 0)}, ${outPtr(ctx, 0)})`),
  };
};

/** Custom op name -> emitter; emitters.ts registers these with the AOT runtime. */
export const SIGNAL_EMITTERS: Readonly<Record<string, CustomOpEmitter>> = {
  SignalWindow: emitWindow,
  SignalFftAutoScale: emitFftAutoScale,
  SignalRfft: emitRfft,
  SignalEnergy: emitEnergy,
  SignalFilterBank: emitFilterBank,
  SignalFilterBankSquareRoot: emitFilterBankSquareRoot,
  SignalFilterBankSpectralSubtraction: emitSpectralSubtraction,
  SignalPCAN: emitPcan,
  SignalFilterBankLog: emitFilterBankLog,
};
