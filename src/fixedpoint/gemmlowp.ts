// The gemmlowp fixed-point math functions TFLite's softmax, logistic and tanh
// kernels call (gemmlowp/fixedpoint/fixedpoint.h, scalar int32 path). A
// FixedPoint<int32_t, IntegerBits> value is represented by its raw int32;
// the integer-bit count, a template parameter in C++, is passed explicitly.
// All additions wrap like the C++ (Add is a plain int32 add there).

import {
  saturatingRoundingDoublingHighMul as mul,
  saturatingRoundingMultiplyByPOT,
} from "./rounding.js";

const INT32_MAX = 2147483647;

/** FixedPoint<int32_t, integerBits>::One(). */
export function fixedOne(integerBits: number): number {
  return integerBits === 0 ? INT32_MAX : 1 << (31 - integerBits);
}

/** gemmlowp::Rescale<dstBits>(FixedPoint<int32_t, srcBits>). */
export function rescale(raw: number, srcIntegerBits: number, dstIntegerBits: number): number {
  return saturatingRoundingMultiplyByPOT(raw, srcIntegerBits - dstIntegerBits);
}

/** gemmlowp::RoundingHalfSum<int32_t>: (a + b) / 2 rounded away from zero, in 64 bits. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b; // |sum| <= 2^32: exact
  const sign = sum >= 0 ? 1 : -1;
  return Math.trunc((sum + sign) / 2) | 0;
}

/** exp(x) for x in [-1/4, 0), input and output Q0.31. */
function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const constant1Over3 = 715827883;
  // Taylor expansion around -1/8: x = a + 1/8.
  const x = (a + (1 << 28)) | 0;
  const x2 = mul(x, x);
  const x3 = mul(x2, x);
  const x4 = mul(x2, x2);
  const x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
  const poly = saturatingRoundingMultiplyByPOT((mul((x4Over4 + x3) | 0, constant1Over3) + x2) | 0, -1);
  return (constantTerm + mul(constantTerm, (x + poly) | 0)) | 0;
}

const EXP_BARREL: ReadonlyArray<readonly [number, number]> = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/** gemmlowp::exp_on_negative_values: exp(a) for a <= 0, a in Q(integerBits), result Q0.31. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusOneQuarter = ((a & mask) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
  const remainder = (aModQuarterMinusOneQuarter - a) | 0;
  for (const [exponent, multiplier] of EXP_BARREL) {
    if (integerBits > exponent) {
      const shiftAmount = fractionalBits + exponent;
      if ((remainder & (1 << shiftAmount)) !== 0) result = mul(result, multiplier);
    }
  }
  if (integerBits > 5) {
    const clamp = -(1 << (36 - integerBits)); // -32.0
    if (a < clamp) result = 0;
  }
  if (a === 0) result = INT32_MAX;
  return result;
}

/** Newton-Raphson refinement of 1 / halfDenominator shared by the two divisions below; result Q2.29. */
function newtonReciprocalQ2(halfDenominator: number): number {
  const constant48Over17 = 1515870810;
  const constantNeg32Over17 = -1010580540;
  const oneQ2 = 1 << 29;
  let x = (constant48Over17 + mul(halfDenominator, constantNeg32Over17)) | 0;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = mul(halfDenominator, x);
    const oneMinus = (oneQ2 - halfDenominatorTimesX) | 0;
    x = (x + rescale(mul(x, oneMinus), 4, 2)) | 0;
  }
  return x;
}

/** gemmlowp::one_over_one_plus_x_for_x_in_0_1: 1 / (1 + a), Q0.31 in and out. */
export function oneOverOnePlusXForXIn01(a: number): number {
  const x = newtonReciprocalQ2(roundingHalfSum(a, INT32_MAX));
  // ExactMulByPot<-1> turns Q2 into Q1 without touching the raw value.
  return rescale(x, 1, 0);
}

/** gemmlowp::one_minus_x_over_one_plus_x_for_x_in_0_1: (1 - a) / (1 + a), Q0.31. */
export function oneMinusXOverOnePlusXForXIn01(a: number): number {
  const x = newtonReciprocalQ2(roundingHalfSum(a, INT32_MAX));
  return rescale((x - (1 << 29)) | 0, 2, 0);
}

/** gemmlowp::tanh on FixedPoint<int32_t, integerBits>; result Q0.31. */
export function fixedTanh(a: number, integerBits: number): number {
  if (a === 0) return 0;
  const negative = a < 0;
  const n = negative ? a : -a | 0;
  // neg_tanh_on_negative_values: ExactMulByPot<1> adds an integer bit.
  const t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
  return negative ? -t | 0 : t;
}

/** gemmlowp::logistic on FixedPoint<int32_t, integerBits>; result Q0.31. */
export function fixedLogistic(a: number, integerBits: number): number {
  if (a === 0) return 1 << 30;
  const positive = a > 0;
  const absInput = positive ? a : -a | 0;
  const resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absInput | 0, integerBits));
  return positive ? resultIfPositive : (INT32_MAX - resultIfPositive) | 0;
}

/**
 * tflite::GetReciprocal: 1 / x for x in Q(integerDigits), as a Q0.31 scale
 * plus the number of bits x exceeds one by.
 */
export function getReciprocal(x: number, xIntegerDigits: number): { reciprocal: number; numBitsOverUnit: number } {
  const headroomPlusOne = Math.clz32(x);
  const numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  const shiftedSumMinusOne = (((x << headroomPlusOne) >>> 0) - 2147483648) | 0;
  return { reciprocal: oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit };
}

