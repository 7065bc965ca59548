// arduino-cli: `arduino-cli compile --fqbn <fqbn> --output-dir out <sketch>`.
// A sketch cannot carry -D flags, so the project's defines travel as
// compiler.c/cpp.extra_flags build properties, which the mbed core's
// platform.txt reserves for exactly this. arduino-cli splits a property on
// spaces and strips one pair of surrounding quotes from a token, so a flag
// whose value holds quotes (-DTML_BOARD_ID="nano33ble") is wrapped in one
// more pair, as `arduino-cli compile --help` shows for build.extra_flags.

import { join } from "node:path";
import type { Board } from "../boards/board.js";
import type { ToolCommand } from "./command.js";
import { requireBoardKey, type BuildInput, type DetectContext, type FirmwareImage, type ToolchainDriver, type ToolDetection } from "./driver.js";
import { probeTool, queryTool } from "./probe.js";

export const ARDUINO_CLI_HINT = "Install arduino-cli (https://arduino.github.io/arduino-cli/latest/installation/) and put it on PATH.";
export const TFLM_LIBRARY = "Arduino_TensorFlowLite";
export const TFLM_LIBRARY_HINT =
  "Install the TFLM library: git clone https://github.com/tensorflow/tflite-micro-arduino-examples " +
  "\"$(arduino-cli config get directories.user)/libraries/Arduino_TensorFlowLite\"";

/** The build directory arduino-cli copies the image to, relative to the project. */
export const ARDUINO_OUT = "out";

/** "arduino:mbed_nano" from "arduino:mbed_nano:nano33ble": what `core install` takes. */
export function corePlatform(fqbn: string): string {
  return fqbn.split(":").slice(0, 2).join(":");
}

export function arduinoFlag(name: string, value: string): string {
  const flag = `-D${name}=${value}`;
  return /["' ]/.test(flag) ? `"${flag}"` : flag;
}

export function extraFlagsProperties(defines: Array<{ name: string; value: string }>): string[] {
  const flags = defines.map((d) => arduinoFlag(d.name, d.value)).join(" ");
  return ["--build-property", `compiler.c.extra_flags=${flags}`, "--build-property", `compiler.cpp.extra_flags=${flags}`];
}

async function missingPieces(board: Board | undefined, runtime: string | undefined): Promise<string[]> {
  const problems: string[] = [];
  if (board?.toolchain.fqbn) {
    const platform = corePlatform(board.toolchain.fqbn);
    const cores = await queryTool("arduino-cli", ["core", "list"]);
    if (cores === null || !cores.split("\n").some((l) => l.split(/\s+/)[0] === platform)) {
      problems.push(`the ${platform} core is not installed: run \`arduino-cli core install ${platform}\``);
    }
  }
  if (runtime === "tflm") {
    const libs = await queryTool("arduino-cli", ["lib", "list"]);
    if (libs === null || !libs.split("\n").some((l) => l.split(/\s+/)[0] === TFLM_LIBRARY)) {
      problems.push(`the ${TFLM_LIBRARY} library is not installed. ${TFLM_LIBRARY_HINT}`);
    }
  }
  return problems;
}

export const arduinoCliDriver: ToolchainDriver = {
  id: "arduino-cli",
  tool: "arduino-cli",
  async detect(ctx: DetectContext = {}): Promise<ToolDetection> {
    const probe = await probeTool("arduino-cli", ["version"]);
    const problems = probe ? await missingPieces(ctx.board, ctx.runtime) : [];
    return {
      name: "arduino-cli",
      found: probe !== null && problems.length === 0,
      ...(probe ? { path: probe.path, version: probe.version } : {}),
      hint: ARDUINO_CLI_HINT,
      problems,
    };
  },
  buildCommands({ board, project }: BuildInput): ToolCommand[] {
    const fqbn = requireBoardKey(board, "fqbn");
    return [
      {
        argv: ["arduino-cli", "compile", "--fqbn", fqbn, "--output-dir", ARDUINO_OUT, ...extraFlagsProperties(project.defines), project.name],
        cwd: project.dir,
        env: {},
      },
    ];
  },
  image({ project }: BuildInput): FirmwareImage {
    const outDir = join(project.dir, ARDUINO_OUT);
    return { elf: join(outDir, `${project.name}.ino.elf`), outDir };
  },
};
