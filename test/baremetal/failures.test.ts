// How bare-metal builds and boots fail: a flash overflow is a budget error
// naming the overshoot and the biggest symbol; a compile error quotes the
// compiler and the command; a missing toolchain gives the install hint; a
// guest fault ends QEMU with the HAL's fault code and the faulting PC; a guest
// that never finishes is killed at the timeout.

import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { launchQemu } from "../../src/device/qemu.js";
import { TinymlError } from "../../src/errors.js";
import { nativeToolchain, runNativeBuild } from "../../src/toolchain/native.js";
import { probeCxxLibrary } from "../../src/toolchain/cxx-library.js";
import { probeTool, whichTool } from "../../src/toolchain/probe.js";
import { measureImage } from "../../src/toolchain/size.js";
import { GuestSerial } from "./guest-serial.js";
import { baremetalHal, boardFixturesDir, buildApp, buildImage, haveArmGcc, haveQemu, scratch } from "./images.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function dir(prefix: string): string {
  const d = scratch(prefix);
  dirs.push(d);
  return d;
}

async function caught(p: Promise<unknown>): Promise<TinymlError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TinymlError);
  return e as TinymlError;
}

describe("bare-metal build failures", () => {
  let ready = false;
  beforeAll(async () => {
    ready = await haveArmGcc();
  });

  it("detects arm-none-eabi-gcc with its version", async (ctx) => {
    if (!ready) return ctx.skip();
    const info = await probeTool(nativeToolchain(loadBoard("qemu-m4")).cc, ["--version"]);
    expect(info?.path).toMatch(/arm-none-eabi-gcc$/);
    expect(info?.version).toMatch(/^\d+\.\d+/);
  });

  it("turns a flash overflow into TML_E_BUDGET_EXCEEDED with the overshoot", async (ctx) => {
    if (!ready) return ctx.skip();
    const board = loadBoard("qemu-m4-16k", boardFixturesDir);
    const out = dir("overflow");
    const e = await caught(buildApp(board, "overflow_app.c", out));
    expect(e.code).toBe("TML_E_BUDGET_EXCEEDED");
    const over = Number(/FLASH by (\d+) bytes \(budget 16384 bytes\)/.exec(e.message)?.[1]);
    // 64 KiB of weights plus the HAL and newlib's code, minus the 16 KiB budget.
    expect(over).toBeGreaterThan(65536 - 16384);
    expect(over).toBeLessThan(65536 - 16384 + 16384);
    expect(e.message).toMatch(/Biggest: model_weights 65536 B \(const\)/);
    expect(readFileSync(join(out, "build.log"), "utf8")).toMatch(/region `FLASH' overflowed by \d+ bytes/);
    expect(existsSync(join(out, "firmware.elf.overflow"))).toBe(false);
  });

  it("quotes the compiler and the command when a source does not compile", async (ctx) => {
    if (!ready) return ctx.skip();
    const board = loadBoard("qemu-m4");
    const out = dir("broken");
    const broken = join(out, "broken.c");
    writeFileSync(broken, "int main(void) { return undefined_symbol; }\n");
    const hal = baremetalHal();
    const e = await caught(buildImage(board, out, [...hal.sources, broken], hal.includeDirs));
    expect(e.code).toBe("TML_E_TOOLCHAIN_FAILED");
    expect(e.message).toMatch(/'undefined_symbol' undeclared/);
    expect(e.location?.detail).toMatch(/^command: arm-none-eabi-gcc .*-mcpu=cortex-m4 .*broken\.c/);
  });

  it("names the install command when the toolchain is missing", async () => {
    const board = loadBoard("qemu-m4");
    const tc = { ...nativeToolchain(board), cc: "no-such-prefix-gcc", cxx: "no-such-prefix-g++" };
    const out = dir("missing");
    const e = await caught(runNativeBuild(tc, { dir: out, units: [], links: [] }, { log: join(out, "build.log"), verbose: false, board }));
    expect(e.code).toBe("TML_E_TOOLCHAIN_MISSING");
    expect(e.message).toContain("no-such-prefix-gcc");
    expect(e.hint).toContain("apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi");
  });

  it("names libstdc++-arm-none-eabi-newlib when arm-none-eabi-g++ has no C++ library (TFLM's <cstddef>)", async (ctx) => {
    if (!ready) return ctx.skip();
    const board = loadBoard("qemu-m4");
    const real = nativeToolchain(board);
    // The real driver is found with its library…
    const ok = await probeCxxLibrary(real.cxx, [...real.common, ...real.cxxFlags]);
    expect(ok).toMatchObject({ found: true });
    expect(ok.found && ok.library).toMatch(/libstdc\+\+\.a$/);
    // …and the same driver without libstdc++'s headers (what a machine without the package has) stops
    // the build before any compile, with the package to install.
    const out = dir("no-libstdcxx");
    const fake = join(out, "arm-none-eabi-g++");
    writeFileSync(fake, `#!/bin/sh\nexec ${whichTool(real.cxx)} -nostdinc++ "$@"\n`);
    chmodSync(fake, 0o755);
    writeFileSync(join(out, "tflm.cc"), "#include <cstddef>\nint tflm_size(void) { return sizeof(std::size_t); }\n");
    const tc = { ...real, cxx: fake };
    const e = await caught(runNativeBuild(tc, { dir: out, units: [{ source: "tflm.cc", lang: "cxx", flags: [] }], links: [] }, { log: join(out, "build.log"), verbose: false, board }));
    expect(e.code).toBe("TML_E_TOOLCHAIN_MISSING");
    expect(e.message).toMatch(/C\+\+ standard library is not installed.*cstddef: No such file/);
    expect(e.hint).toBe("Install it: apt-get install libstdc++-arm-none-eabi-newlib.");
    expect(e.location?.detail).toMatch(/^command: .*arm-none-eabi-g\+\+ .*tflm\.cc/);
    expect(existsSync(join(out, "obj"))).toBe(false);
  });

  it("measures flash and RAM from the image against the budget", async (ctx) => {
    if (!ready) return ctx.skip();
    const board = loadBoard("qemu-m4");
    const image = await buildApp(board, "hello_app.c", dir("size"));
    const size = await measureImage(image.elf, board);
    const names = (s: { name: string }[]): string[] => s.map((x) => x.name);
    expect(names(size.flash.sections)).toEqual([".isr_vector", ".text", ".rodata", ".data"]);
    expect(names(size.ram.sections)).toEqual([".data", ".bss", ".heap", ".stack"]);
    expect(size.ram.sections.find((s) => s.name === ".stack")?.bytes).toBe(8192);
    expect(size.flash.budget).toBe(1048576);
    expect(size.flash.used).toBe(size.flash.sections.reduce((a, s) => a + s.bytes, 0));
    expect(size.contributors[0]).toMatchObject({ symbol: "rx_ring", bytes: 2048, kind: "bss" });
    // The vector table sits at address 0, where QEMU reads SP and PC.
    expect(readFileSync(image.map, "utf8")).toMatch(/\.isr_vector\s+0x0+ /);
  });
});

describe("bare-metal boot failures", () => {
  let ready = false;
  beforeAll(async () => {
    ready = await haveQemu();
  });

  it("times a read out in wfi and reports a fault with its PC and exit code 250", async (ctx) => {
    if (!ready) return ctx.skip();
    const board = loadBoard("qemu-m4");
    const image = await buildApp(board, "fault_app.c", dir("fault"));
    const session = await launchQemu({ board, elf: image.elf, timeoutMs: 90_000 });
    const serial = await GuestSerial.open(session.ptyPath);
    try {
      await session.resume();
      await serial.write("!");
      const t = await serial.waitForText(/timeout=(-?\d+) ticks=(\d+)\n/, 45_000);
      expect(t[1]).toBe("-1");
      // At least 200 ms at 25 MHz. Without -icount the timer follows host
      // time, so a loaded host may wake the guest late: bound it loosely.
      expect(Number(t[2])).toBeGreaterThanOrEqual(5_000_000);
      expect(Number(t[2])).toBeLessThan(25_000_000 * 2);
      await serial.waitForText(/\*\*\* tinyml: (HardFault|BusFault) at pc=0x[0-9a-f]{8} lr=0x[0-9a-f]{8}/, 45_000);
      expect(await session.exit).toEqual({ code: 250, signal: null, timedOut: false });
    } finally {
      session.kill();
      await serial.close();
    }
  });

  it("kills a guest that outlives its timeout", async (ctx) => {
    if (!ready) return ctx.skip();
    const board = loadBoard("qemu-m7");
    const image = await buildApp(board, "hello_app.c", dir("hang"));
    const started = Date.now();
    // Never resumed: the CPU stays paused, as a hung guest would.
    const session = await launchQemu({ board, elf: image.elf, timeoutMs: 1500 });
    expect(await session.exit).toEqual({ code: null, signal: "SIGKILL", timedOut: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("refuses a board without an emulator", async () => {
    const e = await caught(launchQemu({ board: loadBoard("host"), elf: "/nonexistent.elf", timeoutMs: 1000 }));
    expect(e.code).toBe("TML_E_BOARD_INVALID");
  });
});
