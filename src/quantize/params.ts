// The numbers TensorFlow Lite's post-training quantizer chooses:
// asymmetric int8 activations from a calibrated [min, max] (the MLIR
// quantizer's nudging, in double precision), symmetric per-channel int8
// weights (zero point 0, range ±127), and int32 biases at
// scale = input_scale × weight_scale[c].

import { roundHalfAwayFromZero } from "../fixedpoint/multiplier.js";

export interface AffineParams {
  scale: number;
  zeroPoint: number;
}

const QMIN = -128;
const QMAX = 127;
const WEIGHT_QMAX = 127;
const INT32_MAX = 2147483647;

/**
 * Scale and zero point for an activation with real range [min, max]
 * (mlir::quant::fakeQuantAttrsToType / getNudgedScaleAndZeroPoint): the range
 * is widened to include 0, the zero point is taken from whichever end loses
 * less precision and nudged to an integer. An all-zero range gets scale 1 and
 * zero point -128 (TFLite's special case: every value quantizes to 0.0).
 */
export function activationParams(min: number, max: number): AffineParams & { degenerate: boolean } {
  const rmin = Math.min(min, 0);
  const rmax = Math.max(max, 0);
  if (Math.abs(rmax - rmin) < Number.EPSILON) return { scale: 1, zeroPoint: QMIN, degenerate: true };
  const scale = (rmax - rmin) / (QMAX - QMIN);
  const zpFromMin = QMIN - rmin / scale;
  const zpFromMinError = Math.abs(QMIN) + Math.abs(rmin / scale);
  const zpFromMax = QMAX - rmax / scale;
  const zpFromMaxError = Math.abs(QMAX) + Math.abs(rmax / scale);
  const zp = zpFromMinError < zpFromMaxError ? zpFromMin : zpFromMax;
  const zeroPoint = zp < QMIN ? QMIN : zp > QMAX ? QMAX : roundHalfAwayFromZero(zp);
  // The flatbuffer stores float32 scales: use that value everywhere so the
  // int8 simulation matches what the .tflite holds.
  return { scale: Math.fround(scale), zeroPoint, degenerate: false };
}

/** real → int8 with the given params (TFLite's AffineQuantize: round half away from zero, then clamp). */
export function quantizeValue(x: number, p: AffineParams): number {
  const q = roundHalfAwayFromZero(x / p.scale) + p.zeroPoint;
  return q < QMIN ? QMIN : q > QMAX ? QMAX : q;
}

export interface PerChannelWeights {
  values: Int8Array;
  scales: number[];
}

/**
 * Symmetric per-channel int8 weights along `axis`
 * (optimize::utils::SymmetricPerChannelQuantization). When a bias would not
 * fit in int32 at scale input×weight, the channel's weight range is widened
 * first, as AdjustWeightsForBiasScale does. An all-zero channel gets scale 1
 * so its bias keeps a usable scale.
 */
export function quantizeWeightsPerChannel(
  w: Float32Array, shape: number[], axis: number, bias?: Float32Array, inputScale?: number,
): PerChannelWeights {
  const channels = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const half = new Float64Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / inner) % channels;
    half[c] = Math.max(half[c]!, Math.abs(w[i]!));
  }
  if (bias && inputScale !== undefined) {
    for (let c = 0; c < channels; c++) {
      const ws = Math.fround(half[c]! / WEIGHT_QMAX);
      if (Math.abs(bias[c]!) >= 0.5 * inputScale * ws * INT32_MAX) {
        half[c] = ((2 * Math.abs(bias[c]!)) / INT32_MAX) * (WEIGHT_QMAX / inputScale);
      }
    }
  }
  const scales = Array.from(half, (h) => (h === 0 ? 1 : Math.fround(h / WEIGHT_QMAX)));
  const inv = Array.from(half, (h) => (h === 0 ? 0 : Math.fround(WEIGHT_QMAX / h)));
  const values = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / inner) % channels;
    const q = roundHalfAwayFromZero(Math.fround(w[i]! * inv[c]!));
    values[i] = Math.max(-WEIGHT_QMAX, Math.min(WEIGHT_QMAX, q));
  }
  return { values, scales };
}

/** int32 bias per output channel at scale inputScale × weightScale[c] (SymmetricPerChannelBiasQuantize). */
export function quantizeBias(b: Float32Array, inputScale: number, weightScales: number[]): { values: Int32Array; scales: number[] } {
  const scales = weightScales.map((ws) => Math.fround(inputScale * ws));
  const values = new Int32Array(b.length);
  for (let c = 0; c < b.length; c++) {
    const q = roundHalfAwayFromZero(Math.fround(b[c]! / scales[c]!));
    values[c] = Math.max(-INT32_MAX, Math.min(INT32_MAX, q));
  }
  return { values, scales };
}

/** Per-tensor asymmetric int8 for a constant operand (e.g. a standalone BN's scale vector). */
export function quantizeConstant(v: Float32Array): { values: Int8Array; params: AffineParams } {
  let min = 0;
  let max = 0;
  for (const x of v) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const params = activationParams(min, max);
  return { values: Int8Array.from(v, (x) => quantizeValue(x, params)), params };
}
