// The whole kernel library (firmware/kernels/*.c) compiles with each QEMU
// board's CPU flags, links bare-metal against newlib-nano and libm with the
// HAL, and computes right on the emulated core (fixtures/kernel_app.c).

import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { launchQemu } from "../../src/device/qemu.js";
import { measureImage } from "../../src/toolchain/size.js";
import { GuestSerial } from "./guest-serial.js";
import { buildApp, haveQemu, kernelSources, kernelsDir, scratch } from "./images.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

for (const boardId of ["qemu-m4", "qemu-m7"]) {
  describe(`the kernel library on ${boardId}`, () => {
    let ready = false;
    beforeAll(async () => {
      ready = await haveQemu();
    });

    it("links into a bare-metal image and runs a kernel correctly", async (ctx) => {
      if (!ready) return ctx.skip();
      const board = loadBoard(boardId);
      const dir = scratch(`kernels-${boardId}`);
      dirs.push(dir);
      const sources = kernelSources();
      const image = await buildApp(board, "kernel_app.c", dir, { sources, includeDirs: [kernelsDir] });
      // Every kernel was compiled (strictly) even though --gc-sections keeps only the two called.
      expect(image.commands.filter((c) => / -c \S*firmware\/kernels\/tml_/.test(c)).length).toBe(sources.length);
      const size = await measureImage(image.elf, board);
      expect(size.contributors.map((c) => c.symbol)).toContain("tml_fully_connected_s8");

      const session = await launchQemu({ board, elf: image.elf, icount: true, timeoutMs: 90_000 });
      const serial = await GuestSerial.open(session.ptyPath);
      try {
        await session.resume();
        await serial.write("!");
        const line = await serial.waitForText(/fc=(-?\d+),(-?\d+) softmax_ok=(\d) ticks=(\d+)\n/, 45_000);
        expect([line[1], line[2], line[3]]).toEqual(["10", "8", "1"]);
        expect((await session.exit).code).toBe(0);
        console.log(`${boardId}: kernel app ${size.flash.used} B flash, ${size.ram.used} B RAM; FC+softmax ${line[4]} ticks under -icount`);
      } finally {
        session.kill();
        await serial.close();
      }
    });
  });
}
