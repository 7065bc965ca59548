// TFLite's integer arithmetic against hand-derived values and edge cases,
// and the 64-bit products against a BigInt transcription of the C++.

import { describe, expect, test } from "vitest";
import {
  activationRangeQuantized,
  calculateInputRadius,
  countLeadingSignBits32,
  downScaleInt32ToInt16Multiplier,
  expOnNegativeValues,
  fixedLogistic,
  fixedTanh,
  frexp,
  getReciprocal,
  multiplyByQuantizedMultiplier,
  preprocessSoftmaxScaling,
  quantizeMultiplier,
  quantizeMultiplierSmallerThanOneExp,
  roundHalfAwayFromZero,
  roundingDivideByPOT,
  roundingDivideByPOT16,
  saturatingRoundingDoublingHighMul,
  saturatingRoundingDoublingHighMul16,
  saturatingRoundingMultiplyByPOT,
} from "../../src/fixedpoint/index.js";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** gemmlowp's int32 SaturatingRoundingDoublingHighMul, transcribed with BigInt. */
function srdhmBig(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates like C
}

/** A deterministic xorshift generator of int32 values. */
function* int32s(seed: number, n: number): Generator<number> {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    yield s | 0;
  }
}

describe("frexp and rounding of reals", () => {
  test("frexp splits into [0.5, 1) and a power of two", () => {
    expect(frexp(1)).toEqual({ fraction: 0.5, exponent: 1 });
    expect(frexp(0.75)).toEqual({ fraction: 0.75, exponent: 0 });
    expect(frexp(-6)).toEqual({ fraction: -0.75, exponent: 3 });
    expect(frexp(2 ** -40)).toEqual({ fraction: 0.5, exponent: -39 });
    expect(frexp(0)).toEqual({ fraction: 0, exponent: 0 });
  });

  test("TfLiteRound rounds half away from zero", () => {
    expect([2.5, -2.5, 0.49999997, -0.5, 3.4999].map(roundHalfAwayFromZero)).toEqual([3, -3, 0, -1, 3]);
  });
});

describe("quantizeMultiplier", () => {
  test("powers of two", () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 2 ** 30, shift: -1 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
  });

  test("0.75 = 0.75 * 2^0", () => {
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 0.75 * 2 ** 31, shift: 0 });
  });

  test("a fraction that rounds up to 2^31 is halved and the shift bumped", () => {
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
  });

  test("shifts below -31 flush to zero", () => {
    expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 });
  });

  test("negative multipliers keep their sign in the significand", () => {
    expect(quantizeMultiplier(-0.5)).toEqual({ multiplier: -(2 ** 30), shift: 0 });
  });

  test("SmallerThanOneExp rejects values outside (0, 1)", () => {
    expect(() => quantizeMultiplierSmallerThanOneExp(1)).toThrow(RangeError);
    expect(quantizeMultiplierSmallerThanOneExp(0.375)).toEqual({ multiplier: 0.75 * 2 ** 31, shift: -1 });
  });

  test("PreprocessSoftmaxScaling: beta * scale * 2^26", () => {
    // 1/16 * 2^26 = 2^22 = 0.5 * 2^23
    expect(preprocessSoftmaxScaling(1, 1 / 16, 5)).toEqual({ multiplier: 2 ** 30, shift: 23 });
    // capped at 2^31 - 1
    expect(preprocessSoftmaxScaling(1, 1e6, 5).shift).toBe(31);
  });

  test("CalculateInputRadius", () => {
    // (2^5 - 1) * 2^26 / 2^20 = 31 * 64
    expect(calculateInputRadius(5, 20)).toBe(1984);
    expect(calculateInputRadius(4, 24, 31)).toBe(120); // 15 * 2^27 / 2^24
    expect(calculateInputRadius(4, 31, 31)).toBe(0); // 15/16 floors to 0
  });

  test("DownScaleInt32ToInt16Multiplier rounds and saturates", () => {
    expect(downScaleInt32ToInt16Multiplier(2 ** 30)).toBe(2 ** 14);
    expect(downScaleInt32ToInt16Multiplier(INT32_MAX)).toBe(32767);
    expect(downScaleInt32ToInt16Multiplier((3 << 15) + 5)).toBe(2); // 1.5 + a bit rounds to 2
  });
});

describe("SaturatingRoundingDoublingHighMul", () => {
  test("hand values", () => {
    expect(saturatingRoundingDoublingHighMul(2 ** 30, 2 ** 30)).toBe(2 ** 29); // 0.5 * 0.5
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
    // Ties round up: the negative nudge is 1 - 2^30, not -2^30, and C truncates.
    expect(saturatingRoundingDoublingHighMul(3, 2 ** 30)).toBe(2); // 1.5 -> 2
    expect(saturatingRoundingDoublingHighMul(-3, 2 ** 30)).toBe(-1); // -1.5 -> -1
    expect(saturatingRoundingDoublingHighMul(1, 2 ** 30)).toBe(1); // 0.5 -> 1
    expect(saturatingRoundingDoublingHighMul(-1, 2 ** 30)).toBe(0); // -0.5 -> 0
    expect(saturatingRoundingDoublingHighMul(-5, 2 ** 30)).toBe(-2); // -2.5 -> -2
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX)).toBe(-INT32_MAX);
  });

  test("equals the exact 64-bit formula on 20,000 pseudo-random pairs", () => {
    const a = [...int32s(1, 20_000)];
    const b = [...int32s(7, 20_000)];
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = i % 3 === 0 ? b[i]! >> (i % 31) : b[i]!;
      if (saturatingRoundingDoublingHighMul(x, y) !== srdhmBig(x, y)) {
        expect([x, y, saturatingRoundingDoublingHighMul(x, y)]).toEqual([x, y, srdhmBig(x, y)]);
      }
    }
  });
});

describe("RoundingDivideByPOT", () => {
  test("rounds to nearest, ties away from zero", () => {
    expect(roundingDivideByPOT(5, 1)).toBe(3);
    expect(roundingDivideByPOT(-5, 1)).toBe(-3);
    expect(roundingDivideByPOT(4, 1)).toBe(2);
    expect(roundingDivideByPOT(7, 2)).toBe(2);
    expect(roundingDivideByPOT(-6, 2)).toBe(-2);
    expect(roundingDivideByPOT(-7, 2)).toBe(-2);
    expect(roundingDivideByPOT(123, 0)).toBe(123);
    expect(roundingDivideByPOT(INT32_MAX, 31)).toBe(1);
    expect(roundingDivideByPOT(INT32_MIN, 31)).toBe(-1);
  });

  test("SaturatingRoundingMultiplyByPOT saturates left shifts", () => {
    expect(saturatingRoundingMultiplyByPOT(2 ** 29, 2)).toBe(INT32_MAX);
    expect(saturatingRoundingMultiplyByPOT(-(2 ** 29), 2)).toBe(INT32_MIN);
    expect(saturatingRoundingMultiplyByPOT(3, 2)).toBe(12);
    expect(saturatingRoundingMultiplyByPOT(6, -2)).toBe(2);
  });
});

describe("MultiplyByQuantizedMultiplier (double rounding)", () => {
  test("hand values", () => {
    expect(multiplyByQuantizedMultiplier(100, 2 ** 30, 0)).toBe(50);
    expect(multiplyByQuantizedMultiplier(100, 2 ** 30, 1)).toBe(100);
    // x = 3, m = 0.5, shift -1: 1.5 -> 2 (first rounding), 2 / 2 = 1.
    expect(multiplyByQuantizedMultiplier(3, 2 ** 30, -1)).toBe(1);
    // Single rounding would give round(0.75) = 1 too; x = 5: 2.5 -> 3, 3/2 = 1.5 -> 2 (single: round(1.25) = 1).
    expect(multiplyByQuantizedMultiplier(5, 2 ** 30, -1)).toBe(2);
    // -5: -2.5 -> -2 (ties up), then -2 / 2 = -1.
    expect(multiplyByQuantizedMultiplier(-5, 2 ** 30, -1)).toBe(-1);
    // -7: -3.5 -> -3, then -1.5 rounds away from zero -> -2.
    expect(multiplyByQuantizedMultiplier(-7, 2 ** 30, -1)).toBe(-2);
  });
});

describe("gemmlowp fixed-point functions", () => {
  test("exp_on_negative_values", () => {
    expect(expOnNegativeValues(0, 5)).toBe(INT32_MAX);
    // exp(-1) in Q5.26 -> Q0.31: the polynomial is good to ~1e-7.
    const e1 = expOnNegativeValues(-(2 ** 26), 5);
    expect(Math.abs(e1 / 2 ** 31 - Math.exp(-1))).toBeLessThan(1e-6);
    const e = expOnNegativeValues(-(2 ** 24), 5); // exp(-1/4)
    expect(Math.abs(e / 2 ** 31 - Math.exp(-0.25))).toBeLessThan(1e-6);
    // Below -32 (Q5 can hold -32 exactly only at INT32_MIN) the result is ~0.
    expect(expOnNegativeValues(INT32_MIN, 5)).toBeLessThan(4);
  });

  test("logistic and tanh are odd/symmetric by construction", () => {
    expect(fixedLogistic(0, 4)).toBe(2 ** 30);
    expect(fixedTanh(0, 4)).toBe(0);
    for (const x of [1, 1000, 2 ** 20, 2 ** 27, 3 * 2 ** 27]) {
      expect(fixedLogistic(x, 4) + fixedLogistic(-x, 4)).toBe(INT32_MAX);
      expect(fixedTanh(-x, 4)).toBe(-fixedTanh(x, 4));
    }
    // logistic(1) = 0.7310585786, tanh(1) = 0.7615941560 (1.0 in Q4.27 is 2^27)
    expect(Math.abs(fixedLogistic(2 ** 27, 4) / 2 ** 31 - 0.7310585786)).toBeLessThan(1e-6);
    expect(Math.abs(fixedTanh(2 ** 27, 4) / 2 ** 31 - 0.761594156)).toBeLessThan(1e-6);
  });

  test("GetReciprocal of 1.25 in Q12 is 0.8 with no extra bits", () => {
    const x = 1.25 * 2 ** 19; // Q12.19
    const { reciprocal, numBitsOverUnit } = getReciprocal(x, 12);
    expect(numBitsOverUnit).toBe(0);
    expect(Math.abs(reciprocal / 2 ** 31 - 0.8)).toBeLessThan(1e-8);
  });

  test("CountLeadingSignBits matches __builtin_clrsb", () => {
    expect([0, -1, 1, -2, INT32_MAX, INT32_MIN, 255].map(countLeadingSignBits32)).toEqual([31, 31, 30, 30, 0, 0, 23]);
  });
});

describe("int16 primitives", () => {
  test("SaturatingRoundingDoublingHighMul16 and RoundingDivideByPOT16", () => {
    expect(saturatingRoundingDoublingHighMul16(-32768, -32768)).toBe(32767);
    expect(saturatingRoundingDoublingHighMul16(16384, 16384)).toBe(8192);
    expect(saturatingRoundingDoublingHighMul16(3, 16384)).toBe(2);
    expect(roundingDivideByPOT16(-5, 1)).toBe(-3);
    expect(roundingDivideByPOT16(12345, 0)).toBe(12345);
  });
});

describe("activation ranges", () => {
  test("RELU6 with scale 6/255 and zero point -128 covers the whole int8 range", () => {
    expect(activationRangeQuantized("RELU6", "int8", 6 / 255, -128)).toEqual({ min: -128, max: 127 });
  });
  test("RELU clamps at the zero point; NONE is the type range", () => {
    expect(activationRangeQuantized("RELU", "int8", 0.1, 5)).toEqual({ min: 5, max: 127 });
    expect(activationRangeQuantized("NONE", "int16", 0.1, 0)).toEqual({ min: -32768, max: 32767 });
    expect(activationRangeQuantized("RELU_N1_TO_1", "int8", 0.01, 0)).toEqual({ min: -100, max: 100 });
  });
});
