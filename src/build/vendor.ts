// Vendor boards (ESP-IDF, arduino-cli, coralmicro CMake): render the vendor
// project and run the vendor's own build, or print its commands (--dry-run).

import { generateVendorProject } from "../project/vendor.js";
import { formatCommand } from "../toolchain/command.js";
import { buildVendorProject } from "../toolchain/vendor-drivers.js";
import { boardDefines } from "../project/context.js";
import { plannedBudget } from "./budget.js";
import { appDefines, modelWeightBytes } from "./model-sources.js";
import type { BuildRequest, BuildResult } from "./request.js";

export async function buildVendorFirmware(req: BuildRequest): Promise<BuildResult> {
  const { board, runtime, dir } = req;
  const generated = generateVendorProject({
    board, loaded: req.loaded, runtime, app: req.app, dir, maxArenaBytes: req.maxArenaBytes, extraFiles: req.extraFiles,
    defines: { ...boardDefines(board, runtime), ...appDefines(req.loaded), ...req.extraDefines },
  });
  req.progress(`generated a ${board.family} project in ${dir} (${generated.project.rendered.length + generated.project.sources.length} files)`);
  const built = await buildVendorProject({ board, project: generated.project, dryRun: req.dryRun, verbose: req.verbose });
  return {
    board: board.id, family: board.family, runtime, app: req.app, dir,
    ...(built.ran ? { image: built.image.elf } : {}),
    ran: built.ran,
    commands: built.commands.map(formatCommand),
    memory: { arenaBytes: generated.arenaBytes, planBytes: generated.plan.arenaBytes, lowerBoundBytes: generated.plan.lowerBoundBytes },
    // The vendor's binutils are not on this machine's PATH by default, so the
    // budget comes from the plan: the model's weights and the arena.
    budget: plannedBudget(board, modelWeightBytes(req.loaded), generated.arenaBytes, req.extraMemory),
  };
}
