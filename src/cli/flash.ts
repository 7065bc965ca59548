// `tinyml flash --board <id>`: puts the image `tinyml build` made on the
// board with the board's flasher, through --port or the one USB port whose
// VID:PID the board file lists. --dry-run prints the commands instead.

import { resolve, join } from "node:path";
import { loadBoard } from "../boards/load.js";
import { isTinymlError } from "../errors.js";
import { flashBoard } from "../flash/flashers.js";
import { bootInQemu } from "../flash/qemu-boot.js";
import { selectPort, type SelectedPort } from "../flash/port.js";
import { commandJson, formatCommand } from "../toolchain/command.js";
import { defineCommand } from "./command.js";

/** Stands in for the port in a dry run with no board attached. */
export const PORT_PLACEHOLDER = "<PORT>";

export const flashCommand = defineCommand({
  name: "flash",
  usage: "flash",
  describe: "Flash the built firmware to a board (esptool, arduino-cli upload, coralmicro flashtool)",
  builder: (y) =>
    y
      .option("board", { type: "string", demandOption: true, describe: "Board id (see `tinyml boards`)" })
      .option("port", { type: "string", describe: "Serial port; found by the board's USB VID:PID when omitted" })
      .option("build-dir", { type: "string", describe: "What `tinyml build` wrote (default build/<board>)" })
      .option("dry-run", { type: "boolean", default: false, describe: "Print the flash commands instead of running them" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .option("keep", { type: "boolean", default: false, describe: "Emulated boards: keep QEMU running and print its serial pty" })
      .example("$0 flash --board qemu-m4", "Boot build/qemu-m4/firmware.elf in QEMU and check it answers")
      .example("$0 flash --board nano33ble", "Find the Nano 33 BLE by USB id and upload build/nano33ble")
      .example("$0 flash --board esp32s3 --port /dev/ttyUSB0 --dry-run", "Show the esptool.py command"),
  async run(args, out) {
    const board = loadBoard(args.board, args.boardsDir);
    const buildDir = resolve(args.buildDir ?? join("build", board.id));
    if (board.flasher.driver === "qemu") {
      // An emulated board has no flash to write: booting the image is the flash step.
      const booted = await bootInQemu(board, buildDir, { keep: args.keep });
      const { info } = booted;
      if (out.json) out.printJson({ board: board.id, booted: booted.elf, pty: args.keep ? booted.pty : undefined, firmware: info });
      else {
        out.print([
          `booted ${booted.elf} on ${board.name}`,
          `  firmware: board ${info.boardId}, ${info.runtime} runtime, tinyml ${info.tinymlVersion}, protocol v${info.protocolVersion}`,
          `  model sha256 ${info.modelSha256}, arena ${info.arenaBytes} B, timer ${info.timerHz} Hz`,
          ...(args.keep ? [`  serial: ${booted.pty} (QEMU keeps running; Ctrl-C to stop)`] : []),
        ].join("\n"));
      }
      if (args.keep) {
        await new Promise<void>((done) => process.once("SIGINT", () => done()));
        booted.session.kill();
      }
      return;
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
