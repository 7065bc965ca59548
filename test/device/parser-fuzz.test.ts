// Fuzzing the device's frame parser and the whole protocol app on the host
// under ASan/UBSan. libFuzzer needs clang, which these machines lack, so
// fixtures/fuzz_protocol.c is a seeded mutation loop; a short run here, a
// long one in bench/protocol-fuzz.ts.
import { afterAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { execa } from "execa";
import { buildFuzzer } from "./fuzz-build.js";
import { SANITIZER_ENV, haveCc, scratch } from "./harness.js";

const ready = await haveCc();
const dir = scratch("fuzz");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!ready)("protocol fuzzing", () => {
  it("survives mutated frames in the parser and in the app", async () => {
    const fuzzer = await buildFuzzer(dir);
    const seed = String(Date.now() % 100000);
    for (const [mode, n] of [["parser", "40000"], ["app", "60000"]] as const) {
      const r = await execa(fuzzer, [mode, seed, n], { env: SANITIZER_ENV, reject: false, timeout: 60_000 });
      expect(r.stderr, `fuzz_protocol ${mode} ${seed} ${n}`).toBe("");
      expect(r.exitCode).toBe(0);
      const stats = JSON.parse(r.stdout) as Record<string, number>;
      if (mode === "parser") expect(stats.roundtrips).toBeGreaterThan(1000);
      else expect(stats.responses).toBeGreaterThan(1000);
    }
  });
});
