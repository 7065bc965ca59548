import { describe, expect, it } from "vitest";
import { cFloat, cIdentifier, cInt, commentText, cString } from "../../src/codegen/c-syntax.js";

describe("C text from untrusted names", () => {
  it("makes C identifiers", () => {
    expect(cIdentifier("hello_world_int8")).toBe("hello_world_int8");
    expect(cIdentifier("person-detect.v2")).toBe("person_detect_v2");
    expect(cIdentifier("2fast")).toBe("m_2fast");
    expect(cIdentifier("int")).toBe("m_int");
    expect(cIdentifier("*/ #include <stdio.h> /*")).toBe("include_stdio_h");
    expect(cIdentifier("")).toBe("model");
    expect(cIdentifier("ünïcode")).toBe("n_code");
  });

  it("escapes string literals so nothing can close the string", () => {
    expect(cString('a"b\\c\nd')).toBe('"a\\042b\\134c\\012d"');
    // "??/" would be a trigraph for a backslash.
    expect(cString("??/")).toBe('"\\077\\077/"');
    expect(cString("é")).toBe('"\\303\\251"');
  });

  it("keeps comments closed and on one line", () => {
    const t = commentText("x */ int evil; /* \n y");
    expect(t).not.toContain("*/");
    expect(t).not.toContain("/*");
    expect(t).not.toContain("\n");
  });

  it("writes numbers C reads back exactly", () => {
    expect(cInt(-2147483648)).toBe("(-2147483647 - 1)");
    expect(cFloat(0.1)).toBe("0.100000001f");
    expect(cFloat(-0)).toBe("-0.0f");
    expect(cFloat(3.4028234663852886e38)).toBe("3.40282347e38f");
    expect(cFloat(1)).toBe("1.00000000f");
  });
});
