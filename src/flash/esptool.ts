// ESP32 family: esptool.py with the flash_args file `idf.py build` writes
// into build/ (bootloader, partition table and app with their offsets and
// the flash mode/size from sdkconfig), run from that directory as the IDF
// build's own closing message suggests. 460800 baud is what idf.py uses.

import { join } from "node:path";
import { requireBoardKey, type ToolDetection } from "../toolchain/driver.js";
import { PYTHON_ENV } from "../toolchain/esp-idf.js";
import { probeTool } from "../toolchain/probe.js";
import type { Flasher, FlashInput } from "./flasher.js";

export const ESPTOOL_HINT = "Install esptool (`pip install esptool`); ESP-IDF's export.sh also puts esptool.py on PATH.";
export const ESPTOOL_BAUD = 460800;

export const esptoolFlasher: Flasher = {
  id: "esptool",
  tool: "esptool.py",
  async detect(): Promise<ToolDetection> {
    const probe = await probeTool("esptool.py", ["version"]);
    return { name: "esptool.py", found: probe !== null, ...(probe ? { path: probe.path, version: probe.version } : {}), hint: ESPTOOL_HINT, problems: [] };
  },
  requiredFiles({ buildDir }) {
    return [join(buildDir, "build", "flash_args")];
  },
  commands({ board, buildDir, port }: FlashInput) {
    const chip = requireBoardKey(board, "target");
    return [
      {
        argv: ["esptool.py", "--chip", chip, "-p", port.path, "-b", String(ESPTOOL_BAUD), "--before", "default_reset", "--after", "hard_reset", "write_flash", "@flash_args"],
        cwd: join(buildDir, "build"),
        env: { ...PYTHON_ENV },
      },
    ];
  },
};
