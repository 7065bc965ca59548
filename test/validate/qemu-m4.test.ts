// The shared models on the emulated Cortex-M4, over the tinyml protocol and
// over the MLPerf Tiny (EEMBC) runner protocol.
import { describe, expect, it } from "vitest";
import { goldenCases, goldenInputs, modelPath, scratch, testJson } from "./helpers.js";
import { haveQemuTools, qemuBoardSuite } from "./qemu-boards.js";

qemuBoardSuite("qemu-m4");

describe("tinyml test --protocol eembc --board qemu-m4", () => {
  it("drives the eembc app: the printed results equal the host reference's, latency from m-lap-us", async (ctx) => {
    if (!(await haveQemuTools())) return ctx.skip();
    const model = "micro_speech_quantized";
    const run = await testJson(["--board", "qemu-m4", "--protocol", "eembc", "--eembc-model", "kws01", modelPath(model), "--inputs", goldenInputs, "--build-dir", scratch("eembc"), "--runs", "2", "--warmup", "1"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const b = run.report.boards[0]!;
    expect(b.protocol).toBe("eembc");
    expect(b.cases.map((c) => c.name).sort()).toEqual(goldenCases(model).sort());
    for (const c of b.cases) {
      expect(c.status).toBe("pass");
      expect(c.outputs[0]!.exact).toBe(true);
      expect(c.outputs[0]!.tolerance).toBeUndefined();
      expect(c.meanUs).toBeGreaterThan(0);
    }
    expect(b.latency!.source).toBe("m-lap-us");
    // m-lap-us converted back to instructions must land on the inference's own
    // count (about 0.77 M with the DSP kernels, bench/results/qemu-boards), not
    // on the scale of µs or timer ticks, which are orders of magnitude away.
    expect(b.latency!.instructions!.median).toBeGreaterThan(500_000);
    expect(b.latency!.instructions!.median).toBeLessThan(2_000_000);
  });
});

describe("tinyml test --profile --board qemu-m4", () => {
  it("times every op of an invoke; the ops add up to the whole invoke", async (ctx) => {
    if (!(await haveQemuTools())) return ctx.skip();
    const model = "micro_speech_quantized";
    const run = await testJson(["--board", "qemu-m4", modelPath(model), "--random", "1", "--runs", "3", "--profile", "--build-dir", scratch("profile")]);
    expect(run.exitCode, run.stderr).toBe(0);
    const b = run.report.boards[0]!;
    expect(b.profile!.map((p) => p.type)).toEqual(["RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"]);
    const opTicks = b.profile!.reduce((n, p) => n + p.ticks, 0);
    // Under -icount the timer is an instruction count: one op's timing
    // overhead is a few reads of the timer, far under 1% of the invoke.
    expect(Math.abs(opTicks - b.latency!.ticks.median) / b.latency!.ticks.median).toBeLessThan(0.01);
    expect(b.profile!.find((p) => p.type === "DEPTHWISE_CONV_2D")!.share).toBeGreaterThan(0.5);
  });
});
