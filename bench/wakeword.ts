// The wake-word pipeline on the emulated Cortex-M boards: per 20 ms frame,
// instructions for the frontend, the classifier and the smoothing (QEMU
// -icount: an instruction is the unit of work), against a 64 MHz Cortex-M4's
// 1.28 M cycles per frame. Streams TFLM's padded "yes" clip (3 s) through
// `--app wakeword` with micro_speech, the device checked frame by frame
// against the host reference as `tinyml test --wakeword` does.
// Writes bench/results/wakeword.json.
//   npx tsx bench/wakeword.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readWav } from "../src/audio/wav.js";
import { loadBoard } from "../src/boards/load.js";
import { buildFirmware } from "../src/firmware-project/build.js";
import { wakewordBuild } from "../src/firmware-project/wakeword.js";
import { loadModel } from "../src/model/load.js";
import { findFirmware } from "../src/session/firmware.js";
import { runBoard } from "../src/validate/runner.js";
import { CORTEX_M4_64MHZ_FRAME_CYCLES } from "../src/wakeword/metrics.js";
import { writeResult } from "./result.js";

const root = new URL("..", import.meta.url).pathname;
const models = join(root, "test/fixtures/models");
const BOARDS = ["qemu-m4", "qemu-m7"];

const silence = readWav(join(models, "micro_speech_silence_1000ms.wav")).samples;
const yes = readWav(join(models, "micro_speech_yes_1000ms.wav")).samples;
const samples = new Int16Array(3 * 16000);
samples.set(silence, 0);
samples.set(yes, 16000);
samples.set(silence, 32000);

const results: Array<Record<string, unknown>> = [];
const scratch = mkdtempSync(join(tmpdir(), "tinyml-bench-ww-"));
try {
  for (const id of BOARDS) {
    const board = loadBoard(id);
    const ww = await wakewordBuild({ family: board.family, runtime: "aot", model: await loadModel(join(models, "micro_speech_quantized.tflite")), frontendPath: join(models, "audio_preprocessor_int8.tflite") });
    const dir = join(scratch, id);
    await buildFirmware({ board, runtime: "aot", app: "wakeword", dir, dryRun: false, verbose: false, progress: () => undefined, ...ww.parts });
    const run = await runBoard({ id, board, firmware: findFirmware(board, dir, { app: "wakeword", rebuild: "n/a" }) }, {
      kind: "wakeword", frontend: ww.frontend, classifier: ww.classifier, labels: ww.labels,
      set: { source: "bench", clips: [{ path: "yes_3s", name: "yes_3s", samples, durationS: 3, occurrences: [] }] },
    }, { session: {} });
    if (run.status !== "pass" || !run.wakeword) throw new Error(`${id}: device frames differ from the host's (${run.error?.message ?? run.status})`);
    const report = run.wakeword;
    const ins = report.instructions!;
    // Once 49 frames exist every frame runs all three stages: that is the load that must fit.
    const steady = ins.frontend!.mean + ins.classifier!.mean + ins.smoothing!.mean;
    const row = {
      board: id,
      frames: report.clips[0]!.frames,
      instructionsPerFrame: {
        frontend: Math.round(ins.frontend!.mean),
        classifier: Math.round(ins.classifier!.mean),
        smoothing: Math.round(ins.smoothing!.mean),
        steadyState: Math.round(steady),
        max: Math.round(ins.total!.max),
      },
      budgetCycles: CORTEX_M4_64MHZ_FRAME_CYCLES,
      /** Steady-state instructions as cycles of a 64 MHz Cortex-M4, against its 1.28 M per 20 ms. */
      dutyCycle: Number((steady / CORTEX_M4_64MHZ_FRAME_CYCLES).toFixed(3)),
      events: report.clips[0]!.deviceEvents.map((e) => `${e.keyword}@${e.timeMs}ms`),
    };
    results.push(row);
    console.log(`${id}: frontend ${row.instructionsPerFrame.frontend.toLocaleString()}, classifier ${row.instructionsPerFrame.classifier.toLocaleString()}, ` +
      `smoothing ${row.instructionsPerFrame.smoothing.toLocaleString()} instructions/frame; ${(row.dutyCycle * 100).toFixed(1)}% of a 64 MHz M4's 20 ms`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`wrote ${writeResult("wakeword", { unit: "instructions per 20 ms frame (QEMU -icount)", results })}`);
