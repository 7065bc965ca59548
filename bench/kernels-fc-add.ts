// The long differential run of the int8 FULLY_CONNECTED (plain and packed),
// ADD, SUB and MUL kernels against test/firmware/kernels_diff.c's
// transcription of TFLM's reference arithmetic: 1,000,000 seeded-random cases
// per kernel on the host (gcc -O2: the portable C paths) and on qemu-m4 (the
// DSP paths). Writes bench/results/kernels-fc-add.json with every kernel's
// mismatch count; exits 1 unless all are 0.
//   npx tsx bench/kernels-fc-add.ts [cases] [seed]
import { execa } from "execa";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadBoard } from "../src/boards/load.js";
import { launchQemu } from "../src/device/qemu.js";
import { GuestSerial } from "../test/baremetal/guest-serial.js";
import { STRICT, baremetalHal, buildImage, kernelSources, kernelsDir } from "../test/baremetal/images.js";
import { writeResult } from "./result.js";

const cases = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 20240611);
const diffSource = fileURLToPath(new URL("../test/firmware/kernels_diff.c", import.meta.url));

interface KernelResult {
  kernel: string;
  cases: number;
  mismatches: number;
}

function parse(out: string): KernelResult[] {
  return [...out.matchAll(/^(\w+) cases=(\d+) mismatches=(\d+)$/gm)].map((m) => ({ kernel: m[1]!, cases: Number(m[2]), mismatches: Number(m[3]) }));
}

async function host(dir: string): Promise<{ results: KernelResult[]; seconds: number }> {
  const exe = join(dir, "kernels_diff");
  mkdirSync(dir, { recursive: true });
  await execa("gcc", ["-std=c99", ...STRICT, "-O2", `-I${kernelsDir}`, diffSource, ...kernelSources(), "-lm", "-o", exe]);
  const t0 = performance.now();
  const run = await execa(exe, [String(cases), String(seed)], { reject: false });
  return { results: parse(run.stdout), seconds: (performance.now() - t0) / 1000 };
}

async function qemu(boardId: string, dir: string): Promise<{ results: KernelResult[]; seconds: number }> {
  const board = loadBoard(boardId);
  const hal = baremetalHal();
  // The guest's seed is fixed in kernels_diff.c; its case count is compiled in.
  const image = await buildImage(board, dir, [...hal.sources, diffSource, ...kernelSources()], [...hal.includeDirs, kernelsDir], [
    ...STRICT, "-DTML_DIFF_BAREMETAL", `-DTML_DIFF_CASES=${cases}`,
  ]);
  const limitMs = 3_600_000;
  const session = await launchQemu({ board, elf: image.elf, icount: false, timeoutMs: limitMs });
  const serial = await GuestSerial.open(session.ptyPath);
  const t0 = performance.now();
  try {
    await session.resume();
    await serial.write("!");
    const done = await serial.waitForText(/(?:[^\n]*\n)*?done\n/, limitMs);
    return { results: parse(done[0]), seconds: (performance.now() - t0) / 1000 };
  } finally {
    session.kill();
    await serial.close();
  }
}

const scratch = mkdtempSync(join(tmpdir(), "tinyml-bench-kernels-"));
try {
  const runs = [
    { target: "host gcc -O2 (portable C paths)", seed, ...(await host(join(scratch, "host"))) },
    { target: "qemu-m4 (DSP paths)", seed: 20240611, ...(await qemu("qemu-m4", join(scratch, "qemu-m4"))) },
  ];
  const mismatches = runs.reduce((n, r) => n + r.results.reduce((k, x) => k + x.mismatches, 0), 0);
  const complete = runs.every((r) => r.results.length === 5 && r.results.every((x) => x.cases === cases));
  writeResult("kernels-fc-add", { casesPerKernel: cases, mismatches, complete, runs: runs.map((r) => ({ ...r, seconds: Number(r.seconds.toFixed(1)) })) });
  for (const r of runs) {
    console.log(`${r.target}: ${r.results.map((x) => `${x.kernel} ${x.mismatches}/${x.cases}`).join(", ")} in ${r.seconds.toFixed(1)} s`);
  }
  process.exitCode = mismatches === 0 && complete ? 0 : 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
