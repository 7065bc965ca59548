// The Coral Dev Board Micro: an out-of-tree coralmicro CMake project,
// configured with `cmake -S . -B out` and built with `make -C out -jN`.
// The SDK (a 2.5 GB checkout with its own arm-none-eabi-gcc) is found at
// $CORALMICRO_DIR or ./coralmicro in the project, as in Google's
// coralmicro-out-of-tree-sample. Release is explicit: the SDK's toolchain
// file sets -Os only for CMAKE_BUILD_TYPE=Release, and a benchmark of an
// unoptimized build would measure nothing useful.

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { ToolCommand } from "./command.js";
import type { BuildInput, DetectContext, FirmwareImage, ToolchainDriver, ToolDetection } from "./driver.js";
import { probeTool } from "./probe.js";

export const CORALMICRO_HINT =
  "Check out the SDK with `git clone --recurse-submodules https://github.com/google-coral/coralmicro` " +
  "(about 2.5 GB) and set CORALMICRO_DIR to it, or clone it into the build directory as coralmicro/.";
export const CORALMICRO_OUT = "out";
const TOOLCHAIN_FILE = "cmake/toolchain-arm-none-eabi-gcc.cmake";

/** The coralmicro checkout a project builds against (absolute). */
export function coralmicroDir(projectDir?: string): string | null {
  const env = process.env.CORALMICRO_DIR;
  if (env) return resolve(env);
  return projectDir ? join(resolve(projectDir), "coralmicro") : null;
}

export const coralmicroDriver: ToolchainDriver = {
  id: "coralmicro",
  tool: "cmake",
  async detect(ctx: DetectContext = {}): Promise<ToolDetection> {
    const cmake = await probeTool("cmake", ["--version"]);
    const make = await probeTool("make", ["--version"]);
    const sdk = coralmicroDir(ctx.projectDir);
    const problems: string[] = [];
    if (!make) problems.push("make is not on PATH (apt-get install make)");
    if (!sdk) problems.push("CORALMICRO_DIR is not set");
    else if (!existsSync(join(sdk, TOOLCHAIN_FILE))) problems.push(`no coralmicro SDK at ${sdk} (${TOOLCHAIN_FILE} is missing)`);
    return {
      name: "coralmicro SDK (cmake + make)",
      found: cmake !== null && problems.length === 0,
      ...(cmake ? { path: cmake.path, version: cmake.version } : {}),
      hint: cmake ? CORALMICRO_HINT : `Install CMake 3.13 or newer (apt-get install cmake). ${CORALMICRO_HINT}`,
      problems,
    };
  },
  buildCommands({ project }: BuildInput): ToolCommand[] {
    const sdk = coralmicroDir(project.dir) ?? join(project.dir, "coralmicro");
    return [
      {
        argv: ["cmake", "-S", ".", "-B", CORALMICRO_OUT, "-DCMAKE_BUILD_TYPE=Release", `-DCMAKE_TOOLCHAIN_FILE=${join(sdk, TOOLCHAIN_FILE)}`, `-DCORALMICRO_DIR=${sdk}`],
        cwd: project.dir,
        env: {},
      },
      { argv: ["make", "-C", CORALMICRO_OUT, `-j${availableParallelism()}`], cwd: project.dir, env: {} },
    ];
  },
  image({ project }: BuildInput): FirmwareImage {
    const outDir = join(project.dir, CORALMICRO_OUT);
    return { elf: join(outDir, project.name), outDir };
  },
};
