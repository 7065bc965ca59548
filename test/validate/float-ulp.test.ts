// float32 device outputs are compared in units in the last place: the
// distances here are worked out by hand from IEEE 754 bit patterns.

import { describe, expect, it } from "vitest";
import { compareFloatUlp, describeMismatch, ulpDistance } from "../../src/validate/compare.js";
import type { Tensor } from "../../src/model/ir.js";

const bits = (x: number): number => new Int32Array(Float32Array.of(x).buffer)[0]!;
const bytes = (xs: number[]): Uint8Array => new Uint8Array(Float32Array.from(xs).buffer);
const out: Tensor = { name: "y", dtype: "float32", shape: [1, 3], isVariable: false };

describe("ULP distance", () => {
  it("counts representable floats between two values", () => {
    expect(ulpDistance(0x3f800000, 0x3f800001)).toBe(1); // 1.0 and the next float up
    expect(ulpDistance(bits(1), bits(2))).toBe(0x40000000 - 0x3f800000); // 2^23 floats in [1, 2)
    expect(ulpDistance(bits(0), bits(-0))).toBe(0);
    expect(ulpDistance(bits(-1), bits(1))).toBe(2 * 0x3f800000); // across zero
    expect(ulpDistance(1, bits(0))).toBe(1); // the smallest subnormal
    expect(ulpDistance(bits(Number.NaN), bits(Number.NaN))).toBe(0);
    expect(ulpDistance(bits(Number.NaN), bits(1))).toBe(Infinity);
  });

  it("passes outputs within the tolerance, reporting the largest difference, and names the first beyond it", () => {
    const e = [1, 0.5, -3];
    const nudged = new Float32Array(Float32Array.from(e).buffer.slice(0));
    const v = new Int32Array(nudged.buffer);
    v[0] = v[0]! + 1; // 1 ULP
    v[2] = v[2]! - 3; // 3 ULP (towards zero for a negative value)
    const ok = compareFloatUlp(0, out, bytes(e), new Uint8Array(nudged.buffer), 4);
    expect(ok).toMatchObject({ exact: true, mismatches: 0, ulp: { max: 3, tolerance: 4 } });
    const strict = compareFloatUlp(0, out, bytes(e), new Uint8Array(nudged.buffer), 2);
    expect(strict).toMatchObject({ exact: false, mismatches: 1, firstMismatch: { element: 2, expected: -3 } });
    expect(describeMismatch(strict)).toContain("(3 ULP apart, 2 allowed by --float-ulp)");
    expect(compareFloatUlp(0, out, bytes(e), bytes(e), 0)).toMatchObject({ exact: true, ulp: { max: 0 } });
  });
});
