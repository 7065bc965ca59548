// The test report of a real QEMU run: `tinyml test --board qemu-m4 --profile
// --report` on hello_world_int8 must show QEMU's deterministic latency as one
// value, the linked image's flash and RAM against the board, the compile
// flags the build ran, and per-op MACs with instructions per MAC — and render
// in headless Chromium with no console messages.

import { execa } from "execa";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandArgv } from "../../src/validate/build-provenance.js";
import type { TestReport } from "../../src/validate/report.js";
import { requireTool, tinyml } from "../cli.js";
import { modelPath } from "../fixtures.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tinyml-report-qemu-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("commandArgv", () => {
  it("reads back the quoting of toolchain/command.ts", () => {
    expect(commandArgv(`cd /tmp/x && A=1 arm-none-eabi-gcc -O2 '-DTML_BOARD_ID="qemu-m4"' '-DX=it'\\''s' -c a.c -o a.o`))
      .toEqual(["arm-none-eabi-gcc", "-O2", '-DTML_BOARD_ID="qemu-m4"', "-DX=it's", "-c", "a.c", "-o", "a.o"]);
  });
});

describe("tinyml test --report on qemu-m4", () => {
  it("hello_world_int8: steady latency, budget of the image, build flags, instructions per MAC; renders cleanly", async (ctx) => {
    if (!(await requireTool("arm-none-eabi-gcc", "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"))) return ctx.skip();
    if (!(await requireTool("qemu-system-arm", "apt-get install qemu-system-arm"))) return ctx.skip();
    if (!(await requireTool("chromium", "apt-get install chromium"))) return ctx.skip();
    const page = join(dir, "report.html");
    const r = await tinyml(["test", "--board", "qemu-m4", modelPath("hello_world_int8"), "--random", "2", "--runs", "5", "--profile", "--report", page, "--json", "--build-dir", join(dir, "fw")]);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as TestReport;
    const run = report.boards[0]!;
    // QEMU under -icount: every run the same instructions; the 40-instruction tick it starts in moves the count by one at most.
    expect(run.latency!.ticks.max - run.latency!.ticks.min).toBeLessThanOrEqual(1);
    expect(run.build!.budget!.source).toBe("image");
    expect(run.build!.compileFlags).toEqual(expect.arrayContaining(["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard"]));
    expect(run.build!.compiler).toBe("arm-none-eabi-gcc");
    // hello_world: three FULLY_CONNECTED layers, 16, 256 and 16 MACs.
    expect(run.profile!.map((p) => p.macs)).toEqual([16, 256, 16]);
    expect(run.profile!.every((p) => p.instructions === p.ticks * 40)).toBe(true);

    const html = readFileSync(page, "utf8");
    expect(html).toContain('data-steady="true"');
    expect(html).toContain(`data-region="ram" data-used="${run.build!.budget!.ram.used}" data-budget="262144"`);
    expect(html).toContain("<code>-mcpu=cortex-m4</code>");
    expect(html).toContain('<th scope="col">Instr. / MAC</th>');

    const c = await execa("chromium", [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
      `--user-data-dir=${mkdtempSync(join(dir, "profile-"))}`, "--enable-logging=stderr", "--v=0", "--dump-dom", pathToFileURL(page).href,
    ], { reject: false, timeout: 120_000, stdin: "ignore" });
    expect(c.exitCode, String(c.stderr)).toBe(0);
    expect(String(c.stderr).split("\n").filter((l) => /:CONSOLE[(:]/.test(l))).toEqual([]);
    expect(String(c.stdout)).toMatch(/<th scope="col"><button type="button">Instr\. \/ MAC<\/button><\/th>/);
  }, 600_000);
});
