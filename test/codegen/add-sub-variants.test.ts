// The TypeScript mirror of the int8 ADD/SUB rule (whether the params take
// the 32-bit runs, so the AOT code may call tml_add_s8_runs32) against the
// C function itself, compiled with the host gcc: the params TFLM's Prepare
// makes for the single-op test models, random params of every kind the
// kernel accepts, and both sides of every threshold of the rule.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { addSubTakesRuns32, type AddSubQuant } from "../../src/codegen/aot/add-sub-variants.js";
import { mainGraph } from "../../src/model/graph.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import type { AddSubParams } from "../../src/reference/kernels/add-sub.js";
import { mergeCases, Rng } from "../e2e/aot-ops/builder.js";
import { binaryCases } from "../e2e/aot-ops/cases-elementwise.js";
import { requireTool } from "../cli.js";
import { KERNELS_DIR, STRICT_C } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "tinyml-add-sub-variants-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  label: string;
  p: AddSubQuant;
}

/** ADD and SUB int8 as TFLM's Prepare makes them, from the single-op cases of several seeds. */
function preparedCases(): Case[] {
  const cases: Case[] = [];
  for (const seed of [1, 2, 3, 4, 5]) {
    const merged = mergeCases(binaryCases(new Rng(seed)));
    const params = prepareReference(merged.model).params;
    mainGraph(merged.model).ops.forEach((op, i) => {
      if (op.kind !== "builtin" || (op.type !== "ADD" && op.type !== "SUB")) return;
      const p = params[i] as AddSubParams;
      if (p.dtype === "int8") cases.push({ label: `seed ${seed} op ${i} ${op.type}`, p });
    });
  }
  return cases;
}

const TFLM_LIKE: AddSubQuant = {
  leftShift: 20, input1Offset: 5, input1Multiplier: 2 ** 30, input1Shift: 0,
  input2Offset: -7, input2Multiplier: 1_600_000_000, input2Shift: -1,
  outputOffset: 3, outputMultiplier: 1_500_000_000, outputShift: -19, activationMin: -128, activationMax: 127,
};

/** Each threshold of the rule, just inside and just outside. */
function edgeCases(): Case[] {
  const edits: Array<[string, Partial<AddSubQuant>]> = [
    ["TFLM-like", {}],
    ["no linear input", { input1Multiplier: 2 ** 30 - 1 }],
    ["both linear", { input2Multiplier: 2 ** 30, input2Shift: 0 }],
    ["linear input's shift = ls-1", { input1Shift: -19 }],
    ["linear input's shift = ls", { input1Shift: -20 }],
    ["other input no right shift", { input2Shift: 0 }],
    ["output shift -1", { outputShift: -1 }],
    ["output shift 0", { outputShift: 0 }],
    ["left shift 0", { leftShift: 0 }],
    ["left shift 21 (sum bound)", { leftShift: 21 }],
    ["left shift 22", { leftShift: 22 }],
    ["offset 128", { input1Offset: 128, input2Offset: 128 }],
    ["offsets past int8", { input1Offset: 100000 }],
    ["output offset near the rounding bound", { outputOffset: 127, outputShift: -22 }],
    ["output offset past the rounding bound", { outputOffset: 128, outputShift: -22 }],
    ["output offset -128 at shift -22", { outputOffset: -128, outputShift: -22 }],
    ["output shift -31", { outputShift: -31, outputOffset: 0 }],
    ["positive input shift (invalid)", { input2Shift: 1 }],
    ["act_min > act_max (invalid)", { activationMin: 5, activationMax: 4 }],
    ["left shift 32 (invalid)", { leftShift: 32 }],
  ];
  return edits.map(([label, e]) => ({ label, p: { ...TFLM_LIKE, ...e } }));
}

/** Random params over the ranges the kernel accepts (and a little past them). */
function randomCases(n: number): Case[] {
  const rng = new Rng(20261202);
  const mult = (): number => (rng.int(0, 9) === 0 ? 2 ** 30 : rng.int(0, 9) === 0 ? rng.int(-(2 ** 31), 2 ** 31 - 1) : rng.int(2 ** 30, 2 ** 31 - 1));
  return Array.from({ length: n }, (_, k) => ({
    label: `random ${k}`,
    p: {
      leftShift: rng.int(0, 9) === 0 ? rng.int(0, 31) : 20,
      input1Offset: rng.int(0, 4) === 0 ? rng.int(-100000, 100000) : rng.int(-127, 128),
      input1Multiplier: mult(), input1Shift: rng.int(-31, 1),
      input2Offset: rng.int(-127, 128), input2Multiplier: mult(), input2Shift: rng.int(-31, 1),
      outputOffset: rng.int(-128, 127), outputMultiplier: mult(), outputShift: rng.int(-31, 0),
      activationMin: -128, activationMax: rng.int(0, 19) === 0 ? -129 : 127,
    },
  }));
}

/** An int32 as a C constant (INT32_MIN has no literal of its own). */
const cInt = (v: number): string => (v === -(2 ** 31) ? "(-2147483647 - 1)" : String(v));

function program(cases: Case[]): string {
  const lines = cases.map(({ p }) =>
    `  { const tml_add_s8_params q = {.left_shift = ${p.leftShift}, .input1_offset = ${p.input1Offset}, ` +
    `.input1_multiplier = ${cInt(p.input1Multiplier)}, .input1_shift = ${p.input1Shift}, .input2_offset = ${p.input2Offset}, ` +
    `.input2_multiplier = ${cInt(p.input2Multiplier)}, .input2_shift = ${p.input2Shift}, .output_offset = ${p.outputOffset}, ` +
    `.output_multiplier = ${cInt(p.outputMultiplier)}, .output_shift = ${p.outputShift}, .act_min = ${p.activationMin}, ` +
    `.act_max = ${p.activationMax}}; printf("%d\\n", tml_add_sub_s8_takes_runs32(&q)); }`);
  return ["#include <stdio.h>", '#include "tml_kernels.h"', "int main(void) {", ...lines, "  return 0;", "}", ""].join("\n");
}

describe("ADD/SUB int8: the TypeScript rule == tml_add_sub_s8_takes_runs32", () => {
  it("agrees on TFLM's params, random params and every threshold", async (ctx) => {
    if (!(await requireTool("gcc", "apt-get install gcc"))) return ctx.skip();
    const prepared = preparedCases();
    expect(prepared.length).toBeGreaterThanOrEqual(20);
    const cases = [...prepared, ...edgeCases(), ...randomCases(2000)];
    const src = join(dir, "rule.c");
    writeFileSync(src, program(cases));
    const kernels = readdirSync(KERNELS_DIR).filter((f) => f.endsWith(".c")).map((f) => join(KERNELS_DIR, f));
    const exe = join(dir, "rule");
    const build = await execa("gcc", [...STRICT_C, "-O1", "-I", KERNELS_DIR, src, ...kernels, "-lm", "-o", exe], { reject: false });
    expect(build.stderr).toBe("");
    const got = (await execa(exe, [])).stdout.trim().split("\n");
    const want = cases.map((c) => (addSubTakesRuns32(c.p) ? "1" : "0"));
    expect(got.map((g, i) => `${cases[i]!.label}: ${g}`)).toEqual(want.map((w, i) => `${cases[i]!.label}: ${w}`));
    // TFLM's params take the runs; both answers occur among the others.
    expect(prepared.every((c) => addSubTakesRuns32(c.p))).toBe(true);
    expect(new Set(want)).toEqual(new Set(["0", "1"]));
    expect(want.filter((w) => w === "1").length).toBeGreaterThan(100);
  });
});
