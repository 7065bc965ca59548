// SignalFilterBankSquareRoot: signal/micro/kernels/filter_bank_square_root.cc
// with FilterbankSqrt (signal/src/filter_bank_square_root.cc) and the
// bit-by-bit integer square roots Sqrt64 / Sqrt32 (signal/src/square_root_*.cc),
// including their round-up step and the 32-bit shortcut.

import type { CustomKernel } from "../../kernel.js";
import { expectArity, expectInput, expectOutput, msb32 } from "./common.js";

export interface SignalFilterBankSquareRootParams {
  numChannels: number;
}

/** Sqrt32: num is a uint32. */
export function sqrt32(num: number): number {
  if (num === 0) return 0;
  let res = 0;
  let maxBit = 32 - msb32(num);
  maxBit |= 1;
  let bit = 2 ** (31 - maxBit);
  let iterations = Math.trunc((31 - maxBit) / 2) + 1;
  while (iterations--) {
    if (num >= res + bit) {
      num -= res + bit;
      res = Math.floor(res / 2) + bit;
    } else {
      res = Math.floor(res / 2);
    }
    bit = Math.floor(bit / 4);
  }
  if (num > res && res !== 0xffff) ++res;
  return res & 0xffff; // returned as uint16_t
}

/** Sqrt64: num is a uint64. */
export function sqrt64(num: bigint): number {
  if (num >> 32n === 0n) return sqrt32(Number(num));
  let res = 0n;
  let maxBit = clz64(num); // 64 - MostSignificantBit64(num)
  maxBit |= 1;
  let bit = 1n << BigInt(63 - maxBit);
  let iterations = Math.trunc((63 - maxBit) / 2) + 1;
  while (iterations--) {
    if (num >= res + bit) {
      num -= res + bit;
      res = (res >> 1n) + bit;
    } else {
      res >>= 1n;
    }
    bit >>= 2n;
  }
  if (num > res && res !== 0xffffffffn) ++res;
  return Number(BigInt.asUintN(32, res));
}

function clz64(x: bigint): number {
  const hi = Number(x >> 32n);
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(Number(BigInt.asUintN(32, x)));
}

export const signalFilterBankSquareRoot: CustomKernel<SignalFilterBankSquareRootParams> = {
  prepare(ctx) {
    expectArity(ctx, 2, 1);
    const x = expectInput(ctx, 0, "uint64", 1);
    expectInput(ctx, 1, "int32", 0);
    expectOutput(ctx, 0, "uint32", 1);
    return { numChannels: x.shape[0]! };
  },
  eval(p, io) {
    const x = io.inputs[0] as BigUint64Array;
    const scaleBits = (io.inputs[1] as Int32Array)[0]!;
    const out = io.outputs[0] as Uint32Array;
    for (let i = 0; i < p.numChannels; i++) {
      // A shift outside 0..31 is undefined in C; FftAutoScale only produces 0..15.
      out[i] = scaleBits >= 0 && scaleBits < 32 ? sqrt64(x[i]!) >>> scaleBits : 0;
    }
  },
};
