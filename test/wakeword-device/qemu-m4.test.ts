// The wake-word firmware on QEMU's Cortex-M4 (under -icount): TFLM's clips
// streamed over the emulated UART, frame by frame equal to the golden and
// to the host pipeline, with per-frame instruction counts.
import { describe, expect, it } from "vitest";
import { haveQemu } from "../baremetal/images.js";
import { expectGolden, runGoldenClips } from "./harness.js";

describe("wake word on qemu-m4", () => {
  it("streams features, scores and events equal to TFLM's golden and the host pipeline", async (ctx) => {
    if (!(await haveQemu())) return ctx.skip();
    const run = await runGoldenClips("qemu-m4");
    expectGolden(run);
    // -icount: every frame's frontend and classifier cost is counted in instructions.
    expect(run.report.instructions?.frontend?.count).toBe(run.frames.flat().length);
    expect(run.report.instructions?.classifier?.count).toBe(4);
  });
});
