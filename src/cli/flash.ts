// `tinyml flash --board <id>`: puts the image `tinyml build` made on the
// board with the board's flasher, through --port or the one USB port whose
// VID:PID the board file lists; --dry-run prints the commands instead. An
// emulated board has no flash to write: booting its image in a device
// session and hearing it answer in its app's protocol is the flash step, and
// --keep then hands the serial port over (for the MLPerf Tiny runner, a
// serial monitor) and keeps the emulator running until SIGINT or SIGTERM.

import { resolve } from "node:path";
import { loadBoard } from "../boards/load.js";
import { isTinymlError, TinymlError } from "../errors.js";
import { flashBoard } from "../flash/flashers.js";
import { selectPort, type SelectedPort } from "../device/port-select.js";
import { findFirmware } from "../session/firmware.js";
import { handshake } from "../session/handshake.js";
import { recordKept } from "../session/kept.js";
import { handOver, withSession } from "../session/session.js";
import { commandJson, formatCommand } from "../toolchain/command.js";
import { signalsEndNormally } from "../util/lifecycle.js";
import { buildDirArg } from "./build-dir.js";
import { defineCommand } from "./command.js";
import { requiredOption } from "./required.js";

/** Stands in for the port in a dry run with no board attached. */
export const PORT_PLACEHOLDER = "<PORT>";

export const flashCommand = defineCommand({
  name: "flash",
  usage: "flash",
  describe: "Flash the built firmware to a board (esptool, arduino-cli upload, coralmicro flashtool); boot it on an emulated board",
  builder: (y) =>
    y
      .option("board", { type: "string", describe: "Board id (see `tinyml boards`); required" })
      .option("port", { type: "string", describe: "Serial port; found by the board's USB VID:PID when omitted" })
      .option("build-dir", { type: "string", describe: "What `tinyml build` wrote (default build/<board>)" })
      .option("dry-run", { type: "boolean", default: false, describe: "Print the flash commands instead of running them" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .option("keep", { type: "boolean", default: false, describe: "Emulated boards: keep the firmware running and print its serial port (any app: tinyml, EEMBC, wake word)" })
      .example("$0 flash --board qemu-m4", "Boot build/qemu-m4/firmware.elf in QEMU and check it answers")
      .example("$0 flash --board qemu-m4 --build-dir build/eembc --keep --json", "Boot MLPerf Tiny firmware and print {\"port\": …} for the runner")
      .example("$0 flash --board nano33ble", "Find the Nano 33 BLE by USB id and upload build/nano33ble")
      .example("$0 flash --board esp32s3 --port /dev/ttyUSB0 --dry-run", "Show the esptool.py command"),
  async run(args, out) {
    const board = loadBoard(requiredOption(args.board, "board", "flash", "the board to flash (see `tinyml boards`)"), args.boardsDir);
    const buildDir = resolve(buildDirArg(board.id, args.buildDir));
    if (args.keep && board.flasher.driver !== "qemu") {
      throw new TinymlError("TML_E_USAGE", `--keep is for emulated boards; ${board.id} keeps running what is flashed on it by itself`, {
        hint: `Flash it, then open ${board.serial ? "its port" : "the board"} with your tool (the MLPerf Tiny runner, a serial monitor).`,
      });
    }
    if (board.flasher.driver === "qemu") {
      const firmware = findFirmware(board, buildDir, { rebuild: `tinyml build --board ${board.id} MODEL --build-dir ${buildDir}` });
      const target = { id: board.id, board };
      if (!args.keep) {
        const id = await withSession(target, firmware, { verbose: out.verbose }, handshake);
        if (out.json) out.printJson({ board: board.id, booted: firmware.image, app: id.app, firmware: id.info ?? id.eembc });
        else out.print(`booted ${firmware.image} on ${board.name}\n  ${id.summary}`);
        return;
      }
      const { checked, device } = await handOver(target, firmware, { verbose: out.verbose }, handshake);
      // The emulator runs until tinyml is told to stop; that is this command's normal end.
      signalsEndNormally(0);
      recordKept({ board: board.id, port: device.port, image: firmware.image, app: checked.app });
      if (out.json) out.printJson({ board: board.id, booted: firmware.image, app: checked.app, port: device.port, firmware: checked.info ?? checked.eembc });
      else {
        out.print([
          `booted ${firmware.image} on ${board.name}`,
          `  ${checked.summary}`,
          `  serial: ${device.port} (the emulator keeps running; Ctrl-C or SIGTERM stops it)`,
        ].join("\n"));
      }
      const why = await device.ended;
      throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the emulated ${board.id} stopped: ${why}`, { hint: "The firmware exited or crashed; its serial port is gone." });
    }
    let port: SelectedPort;
    try {
      port = selectPort(board, { port: args.port });
    } catch (e) {
      // A dry run on a machine without the board still shows the commands.
      if (!args.dryRun || !isTinymlError(e) || e.code !== "TML_E_PORT_NOT_FOUND") throw e;
      out.warn(`${e.message}; showing the commands with ${PORT_PLACEHOLDER}`);
      port = { path: PORT_PLACEHOLDER, how: "given" };
    }
    if (!args.dryRun) out.info(`flashing ${board.id} through ${port.path}${port.how === "discovered" ? " (found by USB id)" : ""}`);
    const r = await flashBoard({ board, buildDir, port, dryRun: args.dryRun, verbose: out.verbose });
    if (out.json) {
      out.printJson({ board: board.id, port: port.path, dryRun: args.dryRun, commands: r.commands.map(commandJson), ...(r.ran ? { log: r.log } : {}) });
      return;
    }
    if (args.dryRun) out.print(r.commands.map(formatCommand).join("\n"));
    else out.print(`flashed ${board.id} through ${port.path} (log: ${r.log})`);
  },
});
