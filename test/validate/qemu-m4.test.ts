// The shared models on the emulated Cortex-M4, over the tinyml protocol and
// over the MLPerf Tiny (EEMBC) runner protocol.
import { describe, expect, it } from "vitest";
import { goldenCases, goldenInputs, modelPath, scratch, testJson } from "./helpers.js";
import { haveQemuTools, qemuBoardSuite } from "./qemu-boards.js";

qemuBoardSuite("qemu-m4");

describe("tinyml test --protocol eembc --board qemu-m4", () => {
  it("drives the eembc app: results within the printed precision, latency from m-lap-us", async (ctx) => {
    if (!(await haveQemuTools())) return ctx.skip();
    const model = "micro_speech_quantized";
    const run = await testJson(["--board", "qemu-m4", "--protocol", "eembc", modelPath(model), "--inputs", goldenInputs, "--build-dir", scratch("eembc"), "--runs", "2", "--warmup", "1"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const b = run.report.boards[0]!;
    expect(b.protocol).toBe("eembc");
    expect(b.cases.map((c) => c.name).sort()).toEqual(goldenCases(model).sort());
    for (const c of b.cases) {
      expect(c.status).toBe("pass");
      expect(c.outputs[0]!.tolerance).toBeCloseTo(0.0005, 5);
      expect(c.meanUs).toBeGreaterThan(0);
    }
    expect(b.latency!.source).toBe("m-lap-us");
    expect(b.latency!.instructions!.median).toBeGreaterThan(1_000_000);
  });
});
