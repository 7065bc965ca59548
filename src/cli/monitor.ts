// `tinyml monitor --board <id>`: a serial monitor for the firmware tinyml
// built. It opens the board the way a test session does — the host firmware
// as a process, an emulated board in QEMU (or the one `tinyml flash --keep`
// left running), a real board on its port under the port lock at its baud —
// prints what the device says with tinyml's own lines decoded (wake-word
// detections, bare-metal faults as function and line), and sends what the
// user types. Ctrl-] or Ctrl-C ends it; so does SIGTERM, with exit 0.

import { resolve } from "node:path";
import type { Board } from "../boards/board.js";
import { loadBoard } from "../boards/load.js";
import { openLine, type DeviceLine } from "../device/launch.js";
import { lockPort } from "../device/port-lock.js";
import { SerialTransport } from "../device/transport.js";
import { TinymlError } from "../errors.js";
import { firmwareImage } from "../firmware-project/image.js";
import { findFirmware } from "../session/firmware.js";
import { findKept } from "../session/kept.js";
import { runMonitor, type MonitorOptions } from "../session/monitor.js";
import { registerCleanup, signalsEndNormally } from "../util/lifecycle.js";
import { buildDirArg } from "./build-dir.js";
import { defineCommand } from "./command.js";
import { requiredOption } from "./required.js";

/** Ctrl-] (telnet's and miniterm's escape) and Ctrl-C, as raw-mode bytes. */
const QUIT_BYTES = new Set([0x1d, 0x03]);

export const monitorCommand = defineCommand({
  name: "monitor",
  usage: "monitor",
  describe: "Show what the firmware prints (wake-word detections and faults decoded) and send it what you type",
  builder: (y) =>
    y
      .option("board", { type: "string", describe: "Board id (see `tinyml boards`); required" })
      .option("build-dir", { type: "string", describe: "What `tinyml build` wrote (default build/<board>): the image to run or decode faults with" })
      .option("port", { type: "string", describe: "A real board's serial port; found by the board's USB VID:PID when omitted" })
      .option("baud", { type: "number", describe: "A real board's line rate (default: its board file's)" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .example("$0 monitor --board esp32s3", "Watch the wake-word app on the ESP32-S3 found by USB id")
      .example("TML_MIC=clip.wav $0 monitor --board host", "Run the host firmware listening to a recording")
      .example("$0 monitor --board qemu-m4", "Attach to the emulator `tinyml flash --keep` runs, or boot build/qemu-m4"),
  async run(args, out) {
    if (out.json) {
      throw new TinymlError("TML_E_USAGE", "monitor prints the device's text as it comes; it has no JSON document to give", {
        hint: "Drop --json; `tinyml test --json` reports a run as one document.",
      });
    }
    const board = loadBoard(requiredOption(args.board, "board", "monitor", "the board to watch (see `tinyml boards`)"), args.boardsDir);
    const buildDir = resolve(buildDirArg(board.id, args.buildDir));
    const { line, elf } = await open(board, buildDir, { port: args.port, baud: args.baud, buildDirGiven: args.buildDir !== undefined });
    // A signal is how a monitor is usually ended: it is a normal end.
    signalsEndNormally(0);
    process.stderr.write(`monitoring ${board.name} on ${line.where}${process.stdin.isTTY ? " (Ctrl-] or Ctrl-C quits)" : ""}\n`);
    const r = await runMonitor({ line, elf, write: (t) => process.stdout.write(t), input: userInput() });
    await line.close();
    if (r.ended === "device") {
      throw new TinymlError("TML_E_DEVICE_PROTOCOL", `${board.id} stopped: ${r.why ?? "its line closed"}`, {
        hint: board.flasher.driver === "none" || board.flasher.driver === "qemu"
          ? "The firmware exited or crashed; the lines above say where."
          : "The board was reset or unplugged; run the monitor again once it is back.",
      });
    }
    return 0;
  },
});

/** The line to the board and, for bare metal, the image that decodes its fault addresses. */
async function open(board: Board, buildDir: string, opts: { port?: string; baud?: number; buildDirGiven: boolean }): Promise<{ line: DeviceLine; elf?: string }> {
  const rebuild = `tinyml build --board ${board.id} MODEL --build-dir ${buildDir}`;
  if (board.flasher.driver === "qemu") {
    const kept = findKept(board.id, firmwareImage(board, buildDir), opts.buildDirGiven);
    if (kept) return { line: await attach(kept.port), elf: kept.image };
    const fw = findFirmware(board, buildDir, { rebuild });
    return { line: await openLine(board, fw.image), elf: fw.image };
  }
  if (board.flasher.driver === "none") return { line: await openLine(board, findFirmware(board, buildDir, { rebuild }).image) };
  return { line: await openLine(board, "", { ...(opts.port ? { port: opts.port } : {}), ...(opts.baud ? { baudRate: opts.baud } : {}) }) };
}

/** The pty of an emulator another tinyml process keeps: opened, never stopped. */
async function attach(pty: string): Promise<DeviceLine> {
  const lock = await lockPort(pty);
  try {
    const t = await SerialTransport.open(pty);
    return {
      transport: t, where: `${pty} (kept by tinyml flash --keep)`, clientDefaults: {},
      async close() {
        await t.close();
        lock.release();
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/**
 * What the user types. A terminal goes raw, so keys reach the device as
 * typed and Ctrl-]/Ctrl-C end the monitor; piped input is sent as it comes,
 * and its end leaves the monitor listening (a signal ends it).
 */
function userInput(): MonitorOptions["input"] {
  const stdin = process.stdin;
  let quit!: () => void;
  const ended = new Promise<void>((r) => (quit = r));
  const listeners: Array<(b: Uint8Array) => void> = [];
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    registerCleanup(() => stdin.setRawMode(false));
  }
  stdin.on("data", (chunk: Buffer) => {
    if (stdin.isTTY && chunk.some((b) => QUIT_BYTES.has(b))) return quit();
    for (const l of listeners) l(chunk);
  });
  stdin.on("error", () => undefined);
  void ended.then(() => {
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
  });
  return { onData: (l) => void listeners.push(l), ended };
}
