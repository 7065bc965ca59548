// Arduino boards: `arduino-cli upload`. --input-dir names the directory
// `arduino-cli compile --output-dir` filled, so the image flashed is the one
// tinyml built and measured, not whatever sits in arduino-cli's cache.

import { join } from "node:path";
import { PROJECT_NAME } from "../firmware-project/families.js";
import { ARDUINO_CLI_HINT, ARDUINO_OUT } from "../toolchain/arduino-cli.js";
import { requireBoardKey, type ToolDetection } from "../toolchain/driver.js";
import { probeTool } from "../toolchain/probe.js";
import type { Flasher, FlashInput } from "./flasher.js";

export const arduinoCliUploader: Flasher = {
  id: "arduino-cli",
  tool: "arduino-cli",
  async detect(): Promise<ToolDetection> {
    const probe = await probeTool("arduino-cli", ["version"]);
    return { name: "arduino-cli upload", found: probe !== null, ...(probe ? { path: probe.path, version: probe.version } : {}), hint: ARDUINO_CLI_HINT, problems: [] };
  },
  requiredFiles({ buildDir }) {
    return [join(buildDir, ARDUINO_OUT, `${PROJECT_NAME}.ino.bin`)];
  },
  commands({ board, buildDir, port }: FlashInput) {
    const fqbn = requireBoardKey(board, "fqbn");
    return [
      {
        argv: ["arduino-cli", "upload", "-p", port.path, "--fqbn", fqbn, "--input-dir", ARDUINO_OUT, PROJECT_NAME],
        cwd: buildDir,
        env: {},
      },
    ];
  },
};
