// Differential test of the int8 FULLY_CONNECTED (plain and packed), ADD, SUB
// and MUL kernels: test/firmware/kernels_diff.c checks them against its own
// transcription of TFLM's reference arithmetic on seeded-random shapes,
// params and data, 20,000 cases per kernel, on the host under
// AddressSanitizer and UBSan (the portable C paths) and on the emulated
// Cortex-M4 and M7 (the DSP paths). The ≥ 1 M-case runs are
// bench/kernels-fc-add.ts.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { launchQemu } from "../../src/device/qemu.js";
import { requireTool } from "../cli.js";
import { GuestSerial } from "./guest-serial.js";
import { STRICT, baremetalHal, buildImage, haveQemu, kernelSources, kernelsDir, scratch } from "./images.js";

const diffSource = fileURLToPath(new URL("../firmware/kernels_diff.c", import.meta.url));
const CASES = 20_000;
const KERNELS = ["fully_connected_s8", "fully_connected_s8_packed", "add_s8", "sub_s8", "mul_s8"];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Every kernel's "<name> cases=<n> mismatches=<m>" line: all present, all 0. */
function expectClean(out: string): void {
  for (const k of KERNELS) {
    const m = new RegExp(`^${k} cases=(\\d+) mismatches=(\\d+)$`, "m").exec(out);
    expect(m, `${k} line in:\n${out}`).not.toBeNull();
    expect({ kernel: k, cases: Number(m![1]), mismatches: Number(m![2]) }).toEqual({ kernel: k, cases: CASES, mismatches: 0 });
  }
  // The runs32 entries were compared on most ADD/SUB cases (80% of the params are TFLM's kind), not skipped.
  const taken = /^add_sub_runs32 taken=(\d+) of (\d+)$/m.exec(out);
  expect(taken, out).not.toBeNull();
  expect(Number(taken![1])).toBeGreaterThan(Number(taken![2]) / 2);
}

describe("int8 FULLY_CONNECTED / ADD / SUB / MUL vs TFLM's reference arithmetic", () => {
  it(`agrees on ${CASES} random cases per kernel on the host under -fsanitize=address,undefined`, async (ctx) => {
    if (!(await requireTool("gcc", "apt-get install gcc"))) return ctx.skip();
    const dir = scratch("kernels-diff-host");
    dirs.push(dir);
    const exe = join(dir, "kernels_diff");
    const flags = ["-std=c99", ...STRICT, "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"];
    const build = await execa("gcc", [...flags, `-I${kernelsDir}`, diffSource, ...kernelSources(), "-lm", "-o", exe], { reject: false });
    expect(build.stderr, "gcc diagnostics").toBe("");
    const run = await execa(exe, [String(CASES)], { reject: false });
    expect(run.stderr, "sanitizer reports").toBe("");
    expectClean(run.stdout);
    expect(run.exitCode).toBe(0);
  });

  for (const boardId of ["qemu-m4", "qemu-m7"]) {
    it(`agrees on ${CASES} random cases per kernel on ${boardId}`, async (ctx) => {
      if (!(await haveQemu())) return ctx.skip();
      const board = loadBoard(boardId);
      const dir = scratch(`kernels-diff-${boardId}`);
      dirs.push(dir);
      const hal = baremetalHal();
      const image = await buildImage(board, dir, [...hal.sources, diffSource, ...kernelSources()], [...hal.includeDirs, kernelsDir], [
        ...STRICT, "-DTML_DIFF_BAREMETAL", `-DTML_DIFF_CASES=${CASES}`,
      ]);
      const session = await launchQemu({ board, elf: image.elf, icount: false, timeoutMs: 240_000 });
      const serial = await GuestSerial.open(session.ptyPath);
      try {
        await session.resume();
        await serial.write("!");
        const done = await serial.waitForText(/(?:[^\n]*\n)*?done\n/, 220_000);
        expectClean(done[0]);
        expect((await session.exit).code).toBe(0);
      } finally {
        session.kill();
        await serial.close();
      }
    }, 300_000);
  }
});
