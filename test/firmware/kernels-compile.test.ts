// Every file of firmware/kernels must compile warning-free, as strict C99, with
// the host gcc and with arm-none-eabi-gcc for the Cortex-M cores tinyml
// targets; on the single-precision M4 no double-precision helper may be linked.
import { rmSync } from "node:fs";
import { basename } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { ARM_INSTALL_HINT, STRICT_FLAGS, TARGETS, hasTool, kernelSources, kernelsDir, scratchDir } from "./kernels.js";

const sources = kernelSources();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("firmware/kernels compile cleanly", () => {
  it("has one tml_<op>.c per kernel and the public header", () => {
    expect(sources.length).toBeGreaterThan(40);
    for (const s of sources) expect(basename(s)).toMatch(/^tml_[a-z0-9_]+\.c$/);
  });

  for (const target of TARGETS) {
    it(`with ${target.name}: ${[...STRICT_FLAGS, ...target.flags].join(" ")}`, async (ctx) => {
      if (!(await hasTool(target.compiler))) {
        const message = `${target.compiler} not found; install it with: ${ARM_INSTALL_HINT}`;
        if (process.env.CI === "true") throw new Error(message);
        ctx.skip(message);
        return;
      }
      const out = scratchDir("kernels-obj");
      dirs.push(out);
      // One invocation per target: objects land in `out`, one per source.
      const r = await execa(target.compiler, [...STRICT_FLAGS, ...target.flags, `-I${kernelsDir}`, "-c", ...sources], {
        cwd: out,
        reject: false,
      });
      expect(r.stderr, `${target.compiler} diagnostics`).toBe("");
      expect(r.exitCode).toBe(0);

      if (target.singlePrecisionOnly) {
        const nm = await execa("arm-none-eabi-nm", ["-u", ...sources.map((s) => `${out}/${basename(s, ".c")}.o`)]);
        const doubleHelpers = nm.stdout.split("\n").filter((l) => /__aeabi_d|__aeabi_[lu]2d|__aeabi_f2d|__aeabi_d2f/.test(l));
        expect(doubleHelpers, "double-precision runtime calls on an M4 single-precision FPU").toEqual([]);
      }
    });
  }

  it("the public header is self-contained C and C++", async () => {
    const c = await execa("gcc", [...STRICT_FLAGS, "-fsyntax-only", "-x", "c", `${kernelsDir}tml_kernels.h`], { reject: false });
    expect(c.stderr).toBe("");
    const cxx = await execa("g++", ["-std=c++11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-x", "c++", `${kernelsDir}tml_kernels.h`], {
      reject: false,
    });
    expect(cxx.stderr).toBe("");
  });
});
