// Hand-built TestReports for the report renderers: a passing two-board run
// with a profile, a failing run, an infrastructure error, and one whose names
// and messages carry markup and control characters.

import type { BoardRun, CaseResult, FirmwareInfo, OpProfile, TestReport } from "../../src/validate/report.js";
import { stats } from "../../src/validate/report.js";

const SHA = "3f1d0c5e9a7b2d4f6e8a0c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a5c7b9d1f";

function firmware(board: string, timerHz: number): FirmwareInfo {
  return { board, runtime: "tflm", tinymlVersion: "0.1.0", modelSha256: SHA, arenaBytes: 93_184, timerHz, protocolVersion: 1 };
}

/** Deterministic pseudo-random jitter so the histogram has a shape. */
function ticksFor(seed: number, base: number, n: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return base + Math.round(((x / 2147483648) ** 2) * base * 0.08);
  });
}

function passCase(name: string, seed: number, base: number, withFloat: boolean): CaseResult {
  return {
    name,
    inputs: [`inputs/${name}.npy`],
    status: "pass",
    retried: false,
    outputs: [
      {
        index: 0,
        name: "MobilenetV1/Predictions/Reshape_1",
        dtype: "int8",
        shape: [1, 2],
        exact: true,
        mismatches: 0,
        float: withFloat ? { top1Agreement: 1, rmse: 0.00412, mae: 0.0031, l2r: 0.0085, cosine: 0.99996 } : undefined,
      },
    ],
    ticks: ticksFor(seed, base, 25),
  };
}

const PROFILE_TYPES = ["CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "AVERAGE_POOL_2D", "CONV_2D", "RESHAPE", "SOFTMAX"];
const PROFILE_WEIGHTS = [18, 9, 22, 7, 26, 2, 12, 0.3, 0.7];

function profile(totalTicks: number, timerHz: number): OpProfile[] {
  const sum = PROFILE_WEIGHTS.reduce((a, b) => a + b, 0);
  return PROFILE_TYPES.map((type, index) => {
    const ticks = Math.round((PROFILE_WEIGHTS[index]! / sum) * totalTicks);
    return { index, type, ticks, us: (ticks * 1e6) / timerHz, share: ticks / totalTicks };
  });
}

function boardRun(id: string, board: string, timerHz: number, base: number, cases: CaseResult[], extra: Partial<BoardRun> = {}): BoardRun {
  const ticks = cases.flatMap((c) => c.ticks);
  const k = 1e6 / timerHz;
  return {
    id,
    board,
    port: `/dev/pts/${id.length}`,
    status: "pass",
    firmware: firmware(board, timerHz),
    checks: [
      { name: "protocol version", status: "pass", message: "device speaks protocol 1" },
      { name: "model hash", status: "pass", message: `firmware model ${SHA.slice(0, 12)}… matches` },
    ],
    cases,
    latency: { runs: ticks.length, warmup: 2, ticks: stats(ticks), us: stats(ticks.map((t) => t * k)), clockHz: timerHz },
    profile: profile(base, timerHz),
    durationMs: 4_217,
    ...extra,
  };
}

function report(boards: BoardRun[], status: TestReport["status"]): TestReport {
  return {
    tinyml: "0.1.0",
    mode: "inference",
    startedAt: "2025-11-22T10:15:00.000Z",
    durationMs: 9_830,
    model: { path: "models/person_detect.tflite", sha256: SHA, format: "tflite" },
    boards,
    status,
  };
}

/** Two boards, every case bit-exact, latency and profile recorded. */
export function passingReport(): TestReport {
  const m4 = boardRun(
    "qemu-m4",
    "qemu-m4",
    25_000_000,
    1_840_000,
    [{ ...passCase("person", 1, 1_840_000, true), durationMs: 2_150 }, { ...passCase("no_person", 2, 1_840_000, true), durationMs: 2_010 }],
    {
      startedAt: "2025-11-22T10:15:00.250Z",
      protocol: "tinyml",
      link: { requests: 412, retransmits: 3, timeouts: 1, naks: 2 },
      notes: ["QEMU -icount shift=0: ticks are instruction counts, not wall time"],
      float: [{ index: 0, name: "MobilenetV1/Predictions/Reshape_1", metrics: { top1Agreement: 1, rmse: 0.00412, mae: 0.0031, l2r: 0.0085, cosine: 0.99996 } }],
    },
  );
  const host = boardRun("rig-a/host", "host", 1_000_000_000, 9_500_000, [passCase("person", 3, 9_500_000, false), passCase("no_person", 4, 9_500_000, false)]);
  return report([m4, host], "pass");
}

/** One case's output differs from the reference; the other case passes. */
export function failingReport(): TestReport {
  const bad: CaseResult = {
    ...passCase("no_person", 5, 1_840_000, false),
    status: "fail",
    outputs: [
      { index: 0, name: "scores", dtype: "int8", shape: [1, 2], exact: false, mismatches: 1, firstMismatch: { element: 1, expected: -3, actual: 5 } },
      { index: 1, name: "logits", dtype: "int8", shape: [1, 4], exact: false, mismatches: 3, firstMismatch: { element: 0, expected: 127, actual: -128 } },
    ],
  };
  const run = boardRun("qemu-m7", "qemu-m7", 25_000_000, 1_840_000, [passCase("person", 6, 1_840_000, false), bad], {
    status: "fail",
    checks: [
      { name: "protocol version", status: "pass" },
      { name: "model hash", status: "pass" },
      { name: "output 0 bit-exact", status: "fail", message: "output 0 differs in 1 of 2 elements" },
    ],
  });
  return report([run], "fail");
}

/** The board timed out mid-run: one case has an infra error and the run carries it. */
export function infraReport(): TestReport {
  const timedOut: CaseResult = {
    name: "no_person",
    inputs: ["inputs/no_person.npy"],
    status: "infra",
    retried: true,
    outputs: [],
    ticks: [],
    error: { code: "TML_E_DEVICE_TIMEOUT", message: "no reply to INVOKE within 10 s on /dev/ttyACM0" },
  };
  const run = boardRun("bench-3", "nano33ble", 64_000_000, 1_200_000, [passCase("person", 7, 1_200_000, false), timedOut], {
    status: "infra",
    error: { code: "TML_E_DEVICE_TIMEOUT", message: "board stopped answering after case person" },
    profile: undefined,
  });
  // A board that was never reached: no firmware info, no cases, no latency.
  const missing: BoardRun = {
    id: "bench-4",
    board: "esp32s3",
    status: "infra",
    checks: [],
    cases: [],
    durationMs: 12,
    error: { code: "TML_E_PORT_NOT_FOUND", message: "no serial port /dev/ttyUSB3" },
  };
  return report([run, missing], "infra");
}

/** EEMBC firmware: device-reported mean latency per case, outputs compared within a tolerance. */
export function eembcReport(): TestReport {
  const cases: CaseResult[] = [0, 1, 2, 3].map((i) => ({
    name: `kws_${i}`,
    inputs: [`clips/kws_${i}.bin`],
    status: i === 3 ? "fail" : "pass",
    retried: false,
    outputs: [
      i === 3
        ? { index: 0, name: "Identity", dtype: "float32", shape: [1, 12], exact: false, mismatches: 1, tolerance: 0.001, firstMismatch: { element: 4, expected: 0.25, actual: 0.75 } }
        : { index: 0, name: "Identity", dtype: "float32", shape: [1, 12], exact: true, mismatches: 0, tolerance: 0.001 },
    ],
    ticks: [],
    meanUs: 41_250 + i * 730,
    durationMs: 1_900 + i,
  }));
  const means = cases.map((c) => c.meanUs!);
  const run: BoardRun = {
    id: "qemu-m7",
    board: "qemu-m7",
    status: "fail",
    protocol: "eembc",
    checks: [{ name: "model hash", status: "pass" }],
    cases,
    latency: { runs: 40, warmup: 1, ticks: stats(means.map((us) => us * 25)), us: stats(means), clockHz: 25_000_000, source: "m-lap-us" },
    durationMs: 8_100,
    notes: ["EEMBC firmware reports no per-op profile"],
  };
  return report([run], "fail");
}

/** Markup and control characters in every free-text field the device or user controls. */
export const NASTY = `<b a="1" b='2'>&amp; ]]> \u0000\u0001\u001b[31m\u0007 \ud800 tab\there\nnewline`;

export function nastyReport(): TestReport {
  const r = failingReport();
  const run = r.boards[0]!;
  r.model.path = `models/${NASTY}.tflite`;
  run.id = `rig ${NASTY}`;
  run.cases[1]!.name = `case ${NASTY}`;
  run.cases[1]!.outputs[0]!.name = `out ${NASTY}`;
  run.checks[2]!.name = `check ${NASTY}`;
  run.checks[2]!.message = `message ${NASTY}`;
  run.profile![0]!.type = `OP_${NASTY}`;
  run.error = { code: "TML_E_DEVICE_PROTOCOL", message: `garbage ${NASTY}` };
  return r;
}

/**
 * A QEMU run as `tinyml test` records it under -icount: every run the same
 * tick count, a profile with MACs and instructions, and how the firmware was
 * built (budget from the linked image, flags from its commands).
 */
export function steadyReport(): TestReport {
  const timerHz = 25_000_000;
  const base = 429_920; // 17,196,800 instructions at 40 per tick
  const cases = [passCase("person", 7, base, false), passCase("no_person", 8, base, false)].map((c) => ({ ...c, ticks: c.ticks.map(() => base) }));
  const run = boardRun("qemu-m4", "qemu-m4", timerHz, base, cases, {
    firmware: { ...firmware("qemu-m4", timerHz), runtime: "aot", arenaBytes: 55_296 },
    build: {
      budget: { flash: { used: 262_000, budget: 1_048_576 }, ram: { used: 71_000, budget: 262_144 }, source: "image" },
      runtime: "aot", app: "inference", compiler: "arm-none-eabi-gcc",
      compileFlags: ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "-O2", "-g", "-ffunction-sections", "-fdata-sections", "-std=c99"],
      defines: ['-DTML_BOARD_ID="qemu-m4"', "-DTML_TIMER_HZ=25000000u"],
      linkFlags: ["-nostartfiles", "--specs=nano.specs", "-Wl,--gc-sections", "-T link.ld"],
      commands: 74, dir: "build/qemu-m4", image: "build/qemu-m4/firmware.elf",
    },
  });
  const ticks = run.cases.flatMap((c) => c.ticks);
  run.latency = { ...run.latency!, instructions: stats(ticks.map((t) => t * 40)) };
  const macs = [294_912, 165_888, 589_824, 41_472, 589_824, 0, 512, 0, 0];
  run.profile = run.profile!.map((p, i) => ({ ...p, macs: macs[i]!, instructions: p.ticks * 40 }));
  return report([run], "pass");
}
