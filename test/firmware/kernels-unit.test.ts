// Runs test/firmware/kernels_test.c (hand-derived cases for every kernel)
// built with the host gcc under AddressSanitizer and UBSan.
import { rmSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { execa } from "execa";
import { STRICT_FLAGS, kernelSources, kernelTestSource, kernelsDir, scratchDir } from "./kernels.js";

const dir = scratchDir("kernels-unit");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("kernels_test.c passes under -fsanitize=address,undefined", async () => {
  const exe = `${dir}/kernels_test`;
  const flags = [...STRICT_FLAGS.filter((f) => f !== "-O2"), "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"];
  const build = await execa("gcc", [...flags, `-I${kernelsDir}`, kernelTestSource, ...kernelSources(), "-lm", "-o", exe], { reject: false });
  expect(build.stderr, "gcc diagnostics").toBe("");
  expect(build.exitCode).toBe(0);

  const run = await execa(exe, [], { reject: false, env: { ASAN_OPTIONS: "detect_leaks=1", UBSAN_OPTIONS: "print_stacktrace=1" } });
  expect(run.stderr, "sanitizer reports").toBe("");
  expect(run.stdout).toMatch(/^\d+ checks, 0 failures$/m);
  expect(run.exitCode).toBe(0);
});
