// The int16 specialisations of gemmlowp primitives and the two helpers from
// tensorflow/lite/kernels/internal/reference/hard_swish.h. Values are int16
// held in JS numbers; results are narrowed exactly as the C casts do.

/** Wraps to int16 like static_cast<int16_t>. */
export function toInt16(x: number): number {
  return (x << 16) >> 16;
}

/** gemmlowp::SaturatingRoundingDoublingHighMul<int16_t> (VQRDMULH.S16). */
export function saturatingRoundingDoublingHighMul16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  const ab = a * b;
  const nudge = ab >= 0 ? 1 << 14 : 1 - (1 << 14);
  return toInt16(Math.trunc((ab + nudge) / 32768));
}

/** gemmlowp::RoundingDivideByPOT<int16_t>: the mask is narrowed to int16 like the C++. */
export function roundingDivideByPOT16(x: number, exponent: number): number {
  const mask = toInt16(exponent >= 31 ? 0x7fffffff : (1 << exponent) - 1);
  const remainder = toInt16(x & mask);
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return toInt16((x >> Math.min(exponent, 31)) + (remainder > threshold ? 1 : 0));
}

/** reference_ops::SaturatingLeftShift (int16, saturating). */
export function saturatingLeftShift16(value: number, amount: number): number {
  const result = value * 2 ** amount;
  return result > 32767 ? 32767 : result < -32768 ? -32768 : result;
}

/** reference_ops::SaturatingDoublingHighMul (SQDMULH: truncating, not rounding). */
export function saturatingDoublingHighMul16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  return toInt16(Math.trunc((a * b) / 32768));
}
