// `tinyml boards`: the boards tinyml knows, with their budgets and tools.

import { loadAllBoards } from "../boards/load.js";
import type { Board } from "../boards/board.js";
import { formatBytes, renderTable } from "../util/table.js";
import { defineCommand } from "./command.js";

export const boardsCommand = defineCommand({
  name: "boards",
  usage: "boards",
  describe: "List the boards tinyml can build for",
  builder: (y) =>
    y.option("boards-dir", { type: "string", describe: "A directory of extra board JSON files (also TINYML_BOARDS_DIR)" }),
  async run(args, out) {
    const boards = loadAllBoards(args.boardsDir);
    if (out.json) {
      out.printJson({ boards: boards.map(({ file: _file, ...b }) => b) });
      return;
    }
    out.print(renderTable(
      ["id", "name", "family", "cpu", "clock", "flash", "RAM", "runtimes", "toolchain", "mic"],
      boards.map((b: Board) => [
        b.id, b.name, b.family, b.cpu.core, `${Math.round(b.cpu.clockHz / 1e6)} MHz`,
        formatBytes(b.memory.flashBytes), formatBytes(b.memory.ramBytes),
        b.runtime.supported.map((r) => (r === b.runtime.default ? `${r}*` : r)).join(","), b.toolchain.driver,
        b.microphone?.kind ?? "-",
      ]),
    ));
    out.print("\n* default runtime. Add a board: one JSON file (see boards/board.schema.json).");
  },
});
