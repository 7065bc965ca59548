// firmware/runtime must build warning-free as strict C99 with the host gcc
// and for the Cortex-M4F, and pull in no double-precision helpers there
// (the M4's FPU is single precision: a stray double is a soft-float call).
import { afterAll, describe, expect, it } from "vitest";
import { readdirSync, rmSync } from "node:fs";
import { execa } from "execa";
import { requireTool } from "../cli.js";
import { STRICT, halDir, runtimeDir, scratch } from "./harness.js";

const sources = readdirSync(runtimeDir).filter((f) => f.endsWith(".c")).map((f) => `${runtimeDir}${f}`);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const targets = [
  { name: "gcc", cc: "gcc", flags: [] as string[], hint: "apt-get install build-essential" },
  { name: "arm-none-eabi-gcc (cortex-m4, fpv4-sp-d16)", cc: "arm-none-eabi-gcc", flags: ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"], hint: "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi" },
];

describe("firmware/runtime compiles cleanly", () => {
  for (const t of targets) {
    it(`with ${t.name}`, async (ctx) => {
      if (!(await requireTool(t.cc, t.hint))) return ctx.skip();
      const out = scratch("runtime-obj");
      dirs.push(out);
      for (const defines of [[], ["-DTML_APP_INPUT_STAGE_BYTES=4096"]]) {
        const r = await execa(t.cc, [...STRICT, "-O2", ...t.flags, ...defines, `-I${runtimeDir}`, `-I${halDir}`, "-c", ...sources], { cwd: out, reject: false });
        expect(r.stderr).toBe("");
        expect(r.exitCode).toBe(0);
      }
      if (t.cc === "arm-none-eabi-gcc") {
        const nm = await execa("arm-none-eabi-nm", ["-u", ...readdirSync(out).map((f) => `${out}/${f}`)]);
        expect(nm.stdout.split("\n").filter((l) => /__aeabi_d|__aeabi_[lu]2d|__aeabi_f2d/.test(l))).toEqual([]);
      }
    });
  }
});
