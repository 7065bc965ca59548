// One board's end-to-end suite on QEMU: every shared int8 model's golden
// cases through `tinyml test`, bit-exact, with icount instruction counts.
// Each board is its own test file so vitest runs the two boards in parallel.
import { describe, it } from "vitest";
import { requireTool } from "../cli.js";
import { expectAllGoldenPass, goldenInputs, modelPath, scratch, testJson } from "./helpers.js";

export const SHARED_INT8_MODELS = ["hello_world_int8", "micro_speech_quantized", "person_detect"] as const;

export async function haveQemuTools(): Promise<boolean> {
  return (await requireTool("arm-none-eabi-gcc", "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi")) &&
    (await requireTool("qemu-system-arm", "apt-get install qemu-system-arm"));
}

export function qemuBoardSuite(board: string): void {
  describe(`tinyml test --board ${board}`, () => {
    for (const model of SHARED_INT8_MODELS) {
      it(`passes every golden case of ${model} bit-exactly, with instruction counts`, async (ctx) => {
        if (!(await haveQemuTools())) return ctx.skip();
        // person_detect's 9 KB inputs cross QEMU's slow UART: one timed run each keeps CI quick.
        const runs = model === "person_detect" ? ["--runs", "1", "--warmup", "0"] : ["--runs", "2", "--warmup", "1"];
        const run = await testJson(["--board", board, modelPath(model), "--inputs", goldenInputs, "--build-dir", scratch(`${board}-${model}`), ...runs]);
        expectAllGoldenPass(run, model, { instructions: true });
        const l = run.report.boards[0]!.latency!;
        console.log(`${board} ${model}: median ${l.instructions!.median} instructions (${l.us.median.toFixed(1)} µs at 25 MHz) per inference`);
      });
    }
  });
}
