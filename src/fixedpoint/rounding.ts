// gemmlowp's scalar int32 primitives and TFLite's MultiplyByQuantizedMultiplier,
// exactly as tensorflow/lite/kernels/internal/common.{h,cc} compile for TFLM.
// TFLITE_SINGLE_ROUNDING is not defined in TFLM builds, so the *double*
// rounding variant is the reference: a saturating rounding doubling high
// multiply followed by a rounding right shift.
//
// Every function takes and returns int32 values held in JS numbers. The one
// place C needs 64 bits (a * b in SaturatingRoundingDoublingHighMul) is done
// exactly with 16-bit splitting; no BigInt, so these are cheap enough to call
// once per output element.

const TWO_POW_31 = 2147483648;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * floor(m / 2^31) for m = p * 2^16 + q with |p| < 2^47 and |q| < 2^47 + 2^30,
 * without ever forming m (which would not be exact in a double).
 */
function floorDiv2p31(p: number, q: number): { quot: number; rem: number } {
  // p * 2^16 = pq * 2^31 + pr * 2^16 with pr in [0, 2^15): both terms exact.
  const pq = Math.floor(p / 32768);
  const pr = p - pq * 32768;
  const r = pr * 65536 + q; // |r| < 2^31 + 2^48: exact
  const rq = Math.floor(r / TWO_POW_31);
  return { quot: pq + rq, rem: r - rq * TWO_POW_31 };
}

/**
 * gemmlowp::SaturatingRoundingDoublingHighMul<int32_t> (ARM VQRDMULH):
 * (a * b + nudge) / 2^31 truncated toward zero, nudge = ±2^30, with
 * INT32_MIN * INT32_MIN saturating to INT32_MAX.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // The sign of a * b is exact in double arithmetic even when the value is not.
  const nonNegative = a * b >= 0;
  const nudge = nonNegative ? 1 << 30 : 1 - (1 << 30);
  // a * b = a * bHi * 2^16 + a * bLo, bLo in [0, 2^16): each product < 2^47.
  const bLo = b & 0xffff;
  const bHi = (b - bLo) / 65536;
  const { quot, rem } = floorDiv2p31(a * bHi, a * bLo + nudge);
  // C's division truncates toward zero; floor differs for negative non-exact quotients.
  const q = quot < 0 && rem !== 0 ? quot + 1 : quot;
  return q | 0;
}

/**
 * gemmlowp::RoundingDivideByPOT<int32_t>: arithmetic right shift rounding to
 * nearest, ties away from zero. `exponent` in [0, 31].
 */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = exponent === 31 ? 0x7fffffff : (1 << exponent) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return ((x >> exponent) + (remainder > threshold ? 1 : 0)) | 0;
}

/**
 * gemmlowp's SaturatingRoundingMultiplyByPOT<exponent> on int32: a saturating
 * left shift for exponent > 0, a rounding right shift for exponent < 0.
 */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = (1 << (31 - exponent)) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return Math.imul(x, 1 << exponent);
}

/**
 * tflite::MultiplyByQuantizedMultiplier(int32 x, int32 multiplier, int shift),
 * double-rounding variant (common.cc, !TFLITE_SINGLE_ROUNDING). A positive
 * shift is a left shift applied before the multiply (wrapping, as in C).
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(Math.imul(x, 1 << left), multiplier), right);
}

/** tflite::MultiplyByQuantizedMultiplierSmallerThanOneExp (double rounding). */
export function multiplyByQuantizedMultiplierSmallerThanOneExp(
  x: number,
  multiplier: number,
  leftShift: number,
): number {
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -leftShift);
}

/** tflite::MultiplyByQuantizedMultiplierGreaterThanOne (double rounding). */
export function multiplyByQuantizedMultiplierGreaterThanOne(
  x: number,
  multiplier: number,
  leftShift: number,
): number {
  return saturatingRoundingDoublingHighMul(Math.imul(x, 1 << leftShift), multiplier);
}

/**
 * tflite::MultiplyByQuantizedMultiplier(int64 x, ...): the 64-bit-input
 * overload used by int16 convolutions. It reduces the multiplier to 16 bits
 * and does one rounding shift. |x| < 2^47 by contract, so x * reduced (< 2^63)
 * needs BigInt; this runs once per output element of int16 kernels only.
 */
export function multiplyByQuantizedMultiplier64(x: number, multiplier: number, shift: number): number {
  const reduced = multiplier < 0x7fff0000 ? (multiplier + (1 << 15)) >> 16 : 0x7fff;
  const totalShift = BigInt(15 - shift);
  const v = BigInt(x) * BigInt(reduced) + (1n << (totalShift - 1n));
  return Number(BigInt.asIntN(32, v >> totalShift));
}

/** CountLeadingZeros for uint32 (32 for zero). */
export function countLeadingZeros32(x: number): number {
  return Math.clz32(x);
}

/** CountLeadingSignBits for int32, as GCC's __builtin_clrsb (31 for 0 and -1). */
export function countLeadingSignBits32(x: number): number {
  return Math.clz32(x ^ (x >> 31)) - 1;
}

/** Saturates a number to the int32 range, as C code clamps before narrowing. */
export function clampInt32(x: number): number {
  return x > INT32_MAX ? INT32_MAX : x < INT32_MIN ? INT32_MIN : x;
}
