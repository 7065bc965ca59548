// Bare-metal Cortex-M boards (the QEMU mps2 machines): the shared firmware,
// the board's HAL and startup, and a linker script with the real part's
// budget, compiled by arm-none-eabi-gcc into an ELF that QEMU boots.

import { mkdirSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { boardDefines } from "../project/context.js";
import { firmwareManifest } from "../project/manifest.js";
import { tflmLibrary } from "../project/tflm-tree.js";
import { packagePath } from "../paths.js";
import { TinymlError } from "../errors.js";
import { buildBaremetal } from "../toolchain/arm-gcc.js";
import { renderLinkerScript } from "../toolchain/baremetal-link.js";
import { measureImage } from "../toolchain/size.js";
import { appDefines, generateModelSources } from "./model-sources.js";
import type { BuildRequest, BuildResult } from "./request.js";

export const FIRMWARE_ELF = "firmware.elf";

export async function buildBaremetalFirmware(req: BuildRequest): Promise<BuildResult> {
  const { board, runtime, dir } = req;
  const model = generateModelSources(req.loaded, runtime, req.maxArenaBytes);
  const manifest = firmwareManifest({ family: board.family, runtime, app: req.app, generated: [...model.files, ...(req.extraFiles ?? [])] });
  // Vendor SDKs own main(); on bare metal tinyml's tml_main.c is main.
  manifest.sources.push({ dest: "runtime/tml_main.c", from: packagePath("firmware", "runtime", "tml_main.c") });
  for (const s of manifest.sources) {
    const path = join(dir, s.dest);
    mkdirSync(dirname(path), { recursive: true });
    if (s.content !== undefined) writeFileSync(path, s.content);
    else copyFileSync(s.from!, path);
  }
  const sources = manifest.sources.map((s) => s.dest).filter((p) => /\.(c|cc|cpp)$/.test(p));
  const includeDirs = [...manifest.includeDirs];
  if (runtime === "tflm") {
    if (!req.tflmDir) {
      throw new TinymlError("TML_E_TOOLCHAIN_MISSING", "the tflm runtime needs TensorFlow Lite Micro's sources to compile", {
        location: { file: dir },
        hint: "Pass --tflm-dir PATH (a tree made by TFLM's create_tflm_tree.py), or use --runtime aot. The generated sources are in the build directory.",
      });
    }
    const lib = tflmLibrary(req.tflmDir);
    sources.push(...lib.sources);
    includeDirs.push(...lib.includeDirs);
  }
  const defines = { ...boardDefines(board, runtime), ...appDefines(req.loaded), ...req.extraDefines };
  const base = {
    dir, board: board.id, family: board.family, runtime, app: req.app,
    memory: { arenaBytes: model.arenaBytes, planBytes: model.plan.arenaBytes, lowerBoundBytes: model.plan.lowerBoundBytes },
  };
  if (req.dryRun) {
    return {
      ...base, ran: false, commands: [`arm-none-eabi-gcc … ${sources.length} sources … -T link.ld -o ${FIRMWARE_ELF}`],
      budget: { source: "plan", flash: { used: 0, budget: board.memory.flashBytes }, ram: { used: model.arenaBytes, budget: board.memory.ramBytes }, contributors: [] },
    };
  }
  req.progress(`compiling ${sources.length} sources for ${board.id} (${board.cpu.core})…`);
  const image = await buildBaremetal({
    board, sources, includeDirs, defines, outDir: dir, linkerScript: renderLinkerScript(board),
    // The firmware tinyml ships must stay warning-free on every board.
    cflags: ["-Werror"], output: FIRMWARE_ELF, verbose: req.verbose,
  });
  const size = await measureImage(image.elf, board);
  return {
    ...base, image: image.elf, ran: true, commands: image.commands,
    budget: { source: "image", flash: size.flash, ram: size.ram, contributors: size.contributors },
  };
}
