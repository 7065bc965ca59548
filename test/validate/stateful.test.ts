// A model with state (the audio frontend's noise estimate carries across
// invokes): the device starts each session from the initial state and the
// host reference replays every invoke the device made, so warm-ups, repeated
// runs and earlier cases all count, and device and host still agree exactly.
import { describe, expect, it } from "vitest";
import { goldenCases, goldenInputs, modelPath, scratch, testJson } from "./helpers.js";
import { haveQemuTools } from "./qemu-boards.js";

const MODEL = "audio_preprocessor_int8";

describe("tinyml test on a stateful model (audio_preprocessor_int8)", () => {
  it("host: every golden window, 3 runs after a warm-up each, bit-exact against the replayed reference", async () => {
    const run = await testJson(["--board", "host", modelPath(MODEL), "--inputs", goldenInputs, "--build-dir", scratch("stateful-host")]);
    expect(run.exitCode, run.stderr).toBe(0);
    const b = run.report.boards[0]!;
    expect(b.cases.map((c) => c.name).sort()).toEqual(goldenCases(MODEL).sort());
    expect(b.cases.every((c) => c.status === "pass" && c.outputs[0]!.exact)).toBe(true);
  });

  it("qemu-m4: the same, on the emulated Cortex-M4", async (ctx) => {
    if (!(await haveQemuTools())) return ctx.skip();
    const run = await testJson(["--board", "qemu-m4", modelPath(MODEL), "--inputs", goldenInputs, "--runs", "2", "--build-dir", scratch("stateful-m4")]);
    expect(run.exitCode, run.stderr).toBe(0);
    const b = run.report.boards[0]!;
    expect(b.cases).toHaveLength(goldenCases(MODEL).length);
    expect(b.cases.every((c) => c.status === "pass")).toBe(true);
    // One 30 ms window of the frontend, in instructions (ticks x 40).
    expect(b.latency!.instructions!.median).toBeGreaterThan(10_000);
  });
});
