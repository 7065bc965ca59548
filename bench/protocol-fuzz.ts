// The long fuzz run of the device protocol (the CI test runs a short one):
// the seeded mutation fuzzer of test/device/fixtures/fuzz_protocol.c under
// ASan/UBSan, parser mode and whole-app mode. Writes
// bench/results/protocol-fuzz.json; exits 1 on any sanitizer report.
//   npx tsx bench/protocol-fuzz.ts [parser-iterations] [app-frames] [seed]
import { rmSync } from "node:fs";
import { execa } from "execa";
import { buildFuzzer } from "../test/device/fuzz-build.js";
import { SANITIZER_ENV, scratch } from "../test/device/harness.js";
import { writeResult } from "./result.js";

const parserIterations = Number(process.argv[2] ?? 2_000_000);
const appFrames = Number(process.argv[3] ?? 2_000_000);
const seed = Number(process.argv[4] ?? 1);
const dir = scratch("protocol-fuzz");
const runs: Array<Record<string, unknown>> = [];
let failed = false;
try {
  const fuzzer = await buildFuzzer(dir);
  for (const [mode, n] of [["parser", parserIterations], ["app", appFrames]] as const) {
    const t0 = performance.now();
    const r = await execa(fuzzer, [mode, String(seed), String(n)], { env: SANITIZER_ENV, reject: false });
    const seconds = (performance.now() - t0) / 1000;
    const ok = r.exitCode === 0 && r.stderr === "";
    failed ||= !ok;
    const stats = ok ? (JSON.parse(r.stdout) as Record<string, unknown>) : { stderr: r.stderr.slice(0, 4000) };
    runs.push({ mode, n, seconds: Number(seconds.toFixed(1)), ok, ...stats });
    console.log(`protocol-fuzz ${mode}: ${n} in ${seconds.toFixed(1)} s: ${ok ? "no sanitizer report" : "FAILED"}`);
    if (!ok) console.error(r.stderr);
  }
  writeResult("protocol-fuzz", { seed, sanitizers: "address,undefined", engine: "seeded mutation loop (no clang/libFuzzer)", runs });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
