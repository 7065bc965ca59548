// Turning real-valued scales into the (int32 multiplier, shift) pairs the
// integer kernels use, exactly as tensorflow/lite/kernels/internal/
// quantization_util.cc does in double precision (TFLITE_EMULATE_FLOAT off,
// TFLITE_SINGLE_ROUNDING off). JS numbers are IEEE doubles, so double
// arithmetic here matches C bit for bit; where C computes in float, callers
// use Math.fround at the same steps.

export interface QuantizedMultiplier {
  /** Q0.31 fixed-point significand in [2^30, 2^31), or 0. */
  multiplier: number;
  /** Power-of-two exponent: positive shifts left, negative right. */
  shift: number;
}

/** std::frexp: x = fraction * 2^exponent with |fraction| in [0.5, 1). */
export function frexp(x: number): { fraction: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
  const a = Math.abs(x);
  let e = Math.max(-1073, Math.floor(Math.log2(a)) + 1);
  let f = a / 2 ** e;
  // log2 can be off by one near powers of two; scaling by 2 is exact.
  while (f >= 1) {
    f /= 2;
    e += 1;
  }
  while (f < 0.5) {
    f *= 2;
    e -= 1;
  }
  return { fraction: x < 0 ? -f : f, exponent: e };
}

/** TfLiteRound / std::round: round half away from zero. */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** tflite::QuantizeMultiplier. */
export function quantizeMultiplier(realMultiplier: number): QuantizedMultiplier {
  if (realMultiplier === 0) return { multiplier: 0, shift: 0 };
  const { fraction, exponent } = frexp(realMultiplier);
  let shift = exponent;
  let qFixed = roundHalfAwayFromZero(fraction * 2147483648);
  if (qFixed > 2147483648) throw new RangeError(`QuantizeMultiplier: ${realMultiplier} is not finite`);
  if (qFixed === 2147483648) {
    qFixed /= 2;
    shift += 1;
  }
  // Shifts below -31 would shift every bit out: TFLite flushes them to zero.
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  return { multiplier: qFixed, shift };
}

/** tflite::QuantizeMultiplierSmallerThanOneExp: requires 0 < m < 1. */
export function quantizeMultiplierSmallerThanOneExp(realMultiplier: number): QuantizedMultiplier {
  if (!(realMultiplier < 1 && realMultiplier > 0)) {
    throw new RangeError(`QuantizeMultiplierSmallerThanOneExp: ${realMultiplier} is not in (0, 1)`);
  }
  const q = quantizeMultiplier(realMultiplier);
  if (q.shift > 0) throw new RangeError(`QuantizeMultiplierSmallerThanOneExp: shift ${q.shift} > 0`);
  return q;
}

/** tflite::QuantizeMultiplierGreaterThanOne: requires m > 1. */
export function quantizeMultiplierGreaterThanOne(realMultiplier: number): QuantizedMultiplier {
  if (!(realMultiplier > 1)) {
    throw new RangeError(`QuantizeMultiplierGreaterThanOne: ${realMultiplier} is not > 1`);
  }
  const q = quantizeMultiplier(realMultiplier);
  if (q.shift < 0) throw new RangeError(`QuantizeMultiplierGreaterThanOne: shift ${q.shift} < 0`);
  return q;
}

/**
 * tflite::PreprocessSoftmaxScaling: the multiplier that maps an input
 * difference to Q(inputIntegerBits).(31 - inputIntegerBits), capped at
 * 2^31 - 1 (the double-rounding cap).
 */
export function preprocessSoftmaxScaling(
  beta: number,
  inputScale: number,
  inputIntegerBits: number,
): QuantizedMultiplier {
  const maxRealMultiplier = 2147483647;
  const inputBetaRealMultiplier = Math.min(beta * inputScale * (1 << (31 - inputIntegerBits)), maxRealMultiplier);
  return quantizeMultiplierGreaterThanOne(inputBetaRealMultiplier);
}

/**
 * tflite::CalculateInputRadius: the largest |input difference| whose rescaled
 * value still fits the fixed-point input format.
 */
export function calculateInputRadius(inputIntegerBits: number, inputLeftShift: number, totalSignedBits = 31): number {
  const maxInputRescaled =
    (1.0 * ((1 << inputIntegerBits) - 1) * 2 ** (totalSignedBits - inputIntegerBits)) / 2 ** inputLeftShift;
  return Math.floor(maxInputRescaled);
}

/** tflite::DownScaleInt32ToInt16Multiplier: a Q0.31 multiplier rounded to Q0.15. */
export function downScaleInt32ToInt16Multiplier(multiplier: number): number {
  const kRoundingOffset = 1 << 15;
  if (multiplier >= 2147483647 - kRoundingOffset) return 32767;
  return (multiplier + kRoundingOffset) >> 16;
}
