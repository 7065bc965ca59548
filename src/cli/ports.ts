// `tinyml ports`: USB serial ports, and which boards they could be.

import { loadAllBoards } from "../boards/load.js";
import { listSerialPorts, portsForBoard } from "../device/ports.js";
import { renderTable } from "../util/table.js";
import { defineCommand } from "./command.js";

export const portsCommand = defineCommand({
  name: "ports",
  usage: "ports",
  describe: "List USB serial ports and the boards they match (reads sysfs; no udev needed)",
  builder: (y) => y.option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" }),
  async run(args, out) {
    const boards = loadAllBoards(args.boardsDir);
    const ports = listSerialPorts().map((p) => ({
      ...p,
      boards: boards.filter((b) => portsForBoard(b, [p]).length > 0).map((b) => b.id),
    }));
    if (out.json) {
      out.printJson({ ports });
      return;
    }
    if (ports.length === 0) {
      out.print("No USB serial ports found. Plug the board in with a data-capable USB cable, then run `tinyml ports` again.");
      return;
    }
    out.print(renderTable(
      ["port", "usb id", "serial", "product", "boards"],
      ports.map((p) => [p.byId ?? p.path, p.vid ? `${p.vid}:${p.pid}` : "-", p.serialNumber ?? "-", p.product ?? "-", p.boards.join(", ") || "-"]),
    ));
  },
});
