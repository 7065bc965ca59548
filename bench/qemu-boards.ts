// Every shared model (int8 and float, the audio frontend's custom ops
// included) on the emulated boards: for each
// model on qemu-m4 and qemu-m7, instructions per inference (timer ticks
// under -icount shift=0, × 40, median of the runs), the arena and the
// image's flash/RAM, and the serial rate the tinyml protocol achieves over
// QEMU's UART in each direction against the line's nominal 115200 baud.
// Writes bench/results/qemu-boards.json.
//   npx tsx bench/qemu-boards.ts
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBoard } from "../src/boards/load.js";
import { buildFirmware } from "../src/firmware-project/build.js";
import { openDevice } from "../src/device/launch.js";
import { mainGraph } from "../src/model/graph.js";
import { loadModel } from "../src/model/load.js";
import { readInputTensor } from "../src/reference/io/inputs.js";
import { stats } from "../src/validate/report.js";
import { writeResult } from "./result.js";

const MODELS = [
  "hello_world_int8", "hello_world_float", "micro_speech_quantized", "person_detect",
  "audio_preprocessor_int8", "audio_preprocessor_float",
];
const BOARDS = ["qemu-m4", "qemu-m7"];
const RUNS = 5;
const root = new URL("..", import.meta.url).pathname;
const goldenInputs = join(root, "test/fixtures/golden/inputs");
/** 8N1: ten bits on the wire per byte. */
const LINE_LIMIT_BPS = 115200 / 10;

const results: Array<Record<string, unknown>> = [];
const scratch = mkdtempSync(join(tmpdir(), "tinyml-bench-qemu-"));
try {
  for (const boardId of BOARDS) {
    const board = loadBoard(boardId);
    for (const name of MODELS) {
      const loaded = await loadModel(join(root, "test/fixtures/models", `${name}.tflite`));
      const graph = mainGraph(loaded.model);
      const dir = join(scratch, `${boardId}-${name}`);
      const built = await buildFirmware({ board, loaded, runtime: "aot", app: "inference", dir, dryRun: false, verbose: false, progress: () => undefined });
      const file = readdirSync(goldenInputs).find((f) => f.startsWith(`${name}.`) && f.endsWith(".in0.bin"))!;
      const input = await readInputTensor(join(goldenInputs, file), graph.tensors[graph.inputs[0]!]!);
      const session = await openDevice(board, built.image!);
      try {
        const c = session.client;
        const info = await c.info();
        // Host → guest: LOAD_INPUT payload, repeated until ≥ 8 KB crossed.
        const rounds = Math.max(1, Math.ceil(8192 / input.length));
        let t0 = performance.now();
        for (let r = 0; r < rounds; r++) await c.loadInput(0, input);
        const upSeconds = (performance.now() - t0) / 1000;
        const inv = await c.invoke({ runs: RUNS, warmup: 1 });
        const outBytes = info.outputs[0]!.bytes;
        const reads = Math.max(20, Math.ceil(4096 / outBytes));
        t0 = performance.now();
        for (let r = 0; r < reads; r++) await c.readOutput(0);
        const downSeconds = (performance.now() - t0) / 1000;
        t0 = performance.now();
        for (let r = 0; r < 20; r++) await c.hello();
        const rttMs = (performance.now() - t0) / 20;
        const ticks = stats(inv.ticks);
        const row = {
          board: boardId, model: name, runtime: "aot",
          instructionsPerInference: ticks.median * 40,
          ticks: { median: ticks.median, min: ticks.min, max: ticks.max, runs: inv.ticks.length },
          latencyUsAt25MHz: Number(((ticks.median * 1e6) / info.timerHz).toFixed(1)),
          arenaBytes: info.arenaBytes,
          flashBytes: built.budget.flash.used, ramBytes: built.budget.ram.used,
          flashBudget: built.budget.flash.budget, ramBudget: built.budget.ram.budget,
          serial: {
            hostToGuestBps: Math.round((rounds * input.length) / upSeconds),
            guestToHostBps: Math.round((reads * outBytes) / downSeconds),
            payload: { hostToGuestBytes: rounds * input.length, guestToHostBytes: reads * outBytes, outputBytesPerRequest: outBytes },
            roundTripMs: Number(rttMs.toFixed(2)),
            lineLimitBps: LINE_LIMIT_BPS,
          },
        };
        console.log(`${boardId} ${name}: ${row.instructionsPerInference} instructions/inference, arena ${row.arenaBytes} B, flash ${row.flashBytes} B, RAM ${row.ramBytes} B, host→guest ${row.serial.hostToGuestBps} B/s, guest→host ${row.serial.guestToHostBps} B/s, RTT ${row.serial.roundTripMs} ms`);
        results.push(row);
      } finally {
        await session.close();
      }
    }
  }
  const path = writeResult("qemu-boards", {
    method: "tinyml's protocol app (AOT runtime, reference kernels) on QEMU 7.2 mps2-an386 / mps2-an500 with -icount shift=0; one CMSDK timer tick = 40 instructions; median of 5 runs after 1 warm-up on the first golden input",
    notes: [
      "QEMU does not pace its UART at the baud rate: the rates are what the protocol achieves (request/acknowledge round trips, QEMU's one-byte RX), compared with 115200 baud 8N1 = 11520 B/s on a real line",
      "guest→host moves one small output per READ_OUTPUT request, so it measures request round trips, not the line",
    ],
    results,
  });
  console.log(`wrote ${path}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
