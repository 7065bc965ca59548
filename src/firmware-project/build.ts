// `tinyml build`'s pipeline: one builder per board family, chosen by the
// board file's data. Every family starts from the same generated model code
// (model-sources.ts) and the same firmware/ sources.

import { join } from "node:path";
import type { Board, BoardFamily } from "../boards/board.js";
import { checkRuntimeSupport } from "../codegen/aot/runtime.js";
import { mainGraph } from "../model/graph.js";
import { TinymlError } from "../errors.js";
import { buildBaremetalFirmware, FIRMWARE_ELF } from "./baremetal.js";
import { checkBudget } from "./budget.js";
import { buildHostFirmware, HOST_FIRMWARE } from "./host.js";
import type { BuildRequest, BuildResult } from "./request.js";
import { buildVendorFirmware } from "./vendor.js";

const BUILDERS: Readonly<Record<BoardFamily, (req: BuildRequest) => Promise<BuildResult>>> = {
  host: buildHostFirmware,
  baremetal: buildBaremetalFirmware,
  "esp-idf": buildVendorFirmware,
  arduino: buildVendorFirmware,
  coralmicro: buildVendorFirmware,
};

export async function buildFirmware(req: BuildRequest): Promise<BuildResult> {
  const { board, runtime } = req;
  if (!board.runtime.supported.includes(runtime)) {
    throw new TinymlError("TML_E_USAGE", `board ${board.id} does not support the ${runtime} runtime`, {
      location: { file: board.file, detail: "runtime.supported" },
      hint: `Use --runtime ${board.runtime.supported.join(" or --runtime ")}.`,
    });
  }
  // Every op the runtime lacks is named before anything is generated.
  checkRuntimeSupport(mainGraph(req.loaded.model), runtime, req.loaded.path);
  const result = await BUILDERS[board.family](req);
  checkBudget(board, result.budget);
  return result;
}

/** The file a test runs, by board family: the host app executable or the ELF; a vendor board runs what was flashed (its build directory). */
export function firmwareImage(board: Board, dir: string): string {
  if (board.family === "host") return join(dir, HOST_FIRMWARE);
  if (board.family === "baremetal") return join(dir, FIRMWARE_ELF);
  return dir;
}

/** A board that runs what was flashed onto it (not a host process or an ELF QEMU boots). */
export function runsFlashedImage(board: Board): boolean {
  return board.flasher.driver !== "none" && board.flasher.driver !== "qemu";
}
