// The TypeScript mirror of the conv dispatchers' rules (which variant runs,
// how much scratch it asks for) against the C functions themselves, compiled
// with the host gcc: every conv of the shipped models, and windows on both
// sides of every threshold the rules have.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import {
  CONV2D_S8_VARIANTS, DEPTHWISE_CONV2D_S8_VARIANTS, conv2dS8ScratchBytes, conv2dS8Variant, conv2dWindow,
  depthwiseS8ScratchBytes, depthwiseS8Variant, depthwiseWindow,
  type ConvWindow, type DepthwiseWindow,
} from "../../src/codegen/aot/conv-variants.js";
import { mainGraph } from "../../src/model/graph.js";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import type { Conv2DParams } from "../../src/reference/kernels/conv2d.js";
import type { DepthwiseConv2DParams } from "../../src/reference/kernels/depthwise-conv2d.js";
import { requireTool } from "../cli.js";
import { modelPath, type SharedModel } from "../fixtures.js";
import { KERNELS_DIR, STRICT_C } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "tinyml-conv-variants-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONV_MODELS: SharedModel[] = ["person_detect", "micro_speech_quantized"];

interface Case {
  label: string;
  conv?: ConvWindow;
  dw?: DepthwiseWindow;
}

function win(w: ConvWindow | DepthwiseWindow): string {
  return `{1, ${w.inputH}, ${w.inputW}, ${w.inputC}, ${w.filterH}, ${w.filterW}, ${w.outputH}, ${w.outputW}, ${w.outputC}, ` +
    `${w.strideH}, ${w.strideW}, 1, ${w.dilationW}, ${w.padH}, ${w.padW}}`;
}

/** A C program printing "<variant> <scratch bytes>" per case. */
function program(cases: Case[]): string {
  const lines = cases.map((c) => {
    if (c.conv) {
      const w = c.conv;
      return `  { tml_conv2d_s8_params p = {${win(w)}, ${w.filterInputC}, ${w.inputOffset}, 0, -128, 127, m, m};\n` +
        `    printf("%d %lu\\n", (int)tml_conv2d_s8_select(&p), (unsigned long)tml_conv2d_s8_scratch_size(&p)); }`;
    }
    const w = c.dw!;
    return `  { tml_depthwise_conv2d_s8_params p = {${win(w)}, ${w.depthMultiplier}, ${w.inputOffset}, 0, -128, 127, m, m};\n` +
      `    printf("%d %lu\\n", (int)tml_depthwise_conv2d_s8_select(&p), (unsigned long)tml_depthwise_conv2d_s8_scratch_size(&p)); }`;
  });
  return ["#include <stdio.h>", '#include "tml_kernels.h"', "static const int32_t m[1] = {0};", "int main(void) {", ...lines, "  return 0;", "}", ""].join("\n");
}

async function modelCases(): Promise<Case[]> {
  const cases: Case[] = [];
  // The shipped models with convs (the others have none).
  for (const name of CONV_MODELS) {
    const loaded = await loadModel(modelPath(name));
    const g = mainGraph(loaded.model);
    const params = prepareReference(loaded.model).params;
    g.ops.forEach((op, i) => {
      if (op.kind !== "builtin") return;
      const p = params[i] as { dtype?: string };
      if (p.dtype !== "int8") return;
      if (op.type === "CONV_2D") cases.push({ label: `${name} op ${i}`, conv: conv2dWindow(params[i] as Conv2DParams) });
      if (op.type === "DEPTHWISE_CONV_2D") cases.push({ label: `${name} op ${i}`, dw: depthwiseWindow(params[i] as DepthwiseConv2DParams) });
    });
  }
  return cases;
}

const base: ConvWindow = {
  inputH: 8, inputW: 8, inputC: 8, filterH: 3, filterW: 3, filterInputC: 8, outputH: 8, outputW: 8, outputC: 16,
  strideH: 1, strideW: 1, dilationW: 1, padH: 1, padW: 1, inputOffset: 128,
};

/** Each threshold of the rules, just inside and just outside. */
function edgeCases(): Case[] {
  const conv: Array<[string, Partial<ConvWindow>]> = [
    // Window taps: 4 pixels while (k/4)*4 <= 128 (k <= 131), 2 while k <= 259.
    ...[128, 131, 132, 259, 260].map((k): [string, Partial<ConvWindow>] => [`k=${k}`, { filterH: 1, filterW: 1, inputC: k, filterInputC: k, padH: 0, padW: 0 }]),
    ["k=131 3x3 padded", { inputC: 14, filterInputC: 14 }],
    ["offset -127", { inputOffset: -127 }], ["offset -128", { inputOffset: -128 }], ["offset 129", { inputOffset: 129 }],
    ["offset 32640 1x1", { inputOffset: 32640, filterH: 1, filterW: 1, padH: 0, padW: 0 }],
    ["offset 32641 1x1", { inputOffset: 32641, filterH: 1, filterW: 1, padH: 0, padW: 0 }],
    ["offset -32641", { inputOffset: -32641 }],
    ["dilation_w 2", { dilationW: 2 }],
    ["two groups", { filterInputC: 4 }],
    ["1x1 padded", { filterH: 1, filterW: 1, padH: 1, padW: 0 }],
    ["1x1 strided past the input", { filterH: 1, filterW: 1, padH: 0, padW: 0, strideW: 2, outputW: 5 }],
    ["1x1 strided inside", { filterH: 1, filterW: 1, padH: 0, padW: 0, strideW: 2, outputW: 4 }],
  ];
  const dwBase: DepthwiseWindow = {
    inputH: 8, inputW: 8, inputC: 8, filterH: 3, filterW: 3, outputH: 8, outputW: 8, outputC: 8,
    strideH: 1, strideW: 1, dilationW: 1, padH: 1, padW: 1, inputOffset: 128, depthMultiplier: 1,
  };
  const dw: Array<[string, Partial<DepthwiseWindow>]> = [
    ["as conv 16 taps", { inputC: 1, filterH: 4, filterW: 4, outputC: 8, depthMultiplier: 8 }],
    ["15 taps", { inputC: 1, filterH: 3, filterW: 5, outputC: 8, depthMultiplier: 8 }],
    ["as conv 1024 bytes", { inputC: 1, filterH: 8, filterW: 8, outputC: 16, depthMultiplier: 16 }],
    ["1040 bytes", { inputC: 1, filterH: 5, filterW: 13, outputC: 16, depthMultiplier: 16 }],
    ["as conv, 2 pixels", { inputC: 1, filterH: 10, filterW: 13, outputC: 7, depthMultiplier: 7, padH: 0, padW: 0 }],
    ["64 taps", { filterH: 8, filterW: 8 }], ["65 taps", { filterH: 5, filterW: 13 }],
    ["dm 2", { outputC: 16, depthMultiplier: 2 }], ["dm 4", { outputC: 32, depthMultiplier: 4 }],
    ["offset 32641", { inputOffset: 32641 }],
  ];
  return [
    ...conv.map(([label, o]) => ({ label, conv: { ...base, ...o } })),
    ...dw.map(([label, o]) => ({ label, dw: { ...dwBase, ...o } })),
  ];
}

describe("conv variants: TypeScript rules == C dispatchers", () => {
  it("select and scratch size agree for every conv of the shipped models and at every threshold", async () => {
    if (!(await requireTool("gcc", "apt-get install gcc"))) return;
    const cases = [...(await modelCases()), ...edgeCases()];
    // The shipped models exercise both kernels (person_detect and micro_speech).
    expect(cases.filter((c) => c.conv && !c.label.includes("=") && c.label.includes(" op ")).length).toBeGreaterThan(10);
    expect(cases.some((c) => c.dw && c.label.startsWith("micro_speech"))).toBe(true);
    const src = join(dir, "variants.c");
    writeFileSync(src, program(cases));
    const kernels = readdirSync(KERNELS_DIR).filter((f) => f.endsWith(".c")).map((f) => join(KERNELS_DIR, f));
    const exe = join(dir, "variants");
    const build = await execa("gcc", [...STRICT_C, "-O1", "-I", KERNELS_DIR, src, ...kernels, "-lm", "-o", exe], { reject: false });
    expect(build.stderr).toBe("");
    const run = await execa(exe, []);
    const got = run.stdout.trim().split("\n");
    const want = cases.map((c) =>
      c.conv
        ? `${CONV2D_S8_VARIANTS.indexOf(conv2dS8Variant(c.conv))} ${conv2dS8ScratchBytes(c.conv)}`
        : `${DEPTHWISE_CONV2D_S8_VARIANTS.indexOf(depthwiseS8Variant(c.dw!))} ${depthwiseS8ScratchBytes(c.dw!)}`,
    );
    expect(got.map((g, i) => `${cases[i]!.label}: ${g}`)).toEqual(want.map((w, i) => `${cases[i]!.label}: ${w}`));
    // Every variant is reached, so no rule goes unchecked.
    expect(new Set(cases.filter((c) => c.conv).map((c) => conv2dS8Variant(c.conv!)))).toEqual(new Set(CONV2D_S8_VARIANTS));
    expect(new Set(cases.filter((c) => c.dw).map((c) => depthwiseS8Variant(c.dw!)))).toEqual(new Set(DEPTHWISE_CONV2D_S8_VARIANTS));
  });
});
