// The vendor toolchain drivers, by the name a board file gives in
// toolchain.driver, and the build step the build command calls: run the
// driver's commands (or, with dryRun, only return them).

import { writeFileSync } from "node:fs";
import type { Board, ToolchainDriver as ToolchainDriverId } from "../boards/board.js";
import { TinymlError } from "../errors.js";
import { arduinoCliDriver } from "./arduino-cli.js";
import type { ToolCommand } from "./command.js";
import { coralmicroDriver } from "./coralmicro.js";
import type { FirmwareImage, ToolchainDriver, VendorProjectOnDisk } from "./driver.js";
import { espIdfDriver } from "./esp-idf.js";
import { runStreamed } from "./stream-run.js";

export const VENDOR_TOOLCHAINS: ReadonlyMap<ToolchainDriverId, ToolchainDriver> = new Map(
  [espIdfDriver, arduinoCliDriver, coralmicroDriver].map((d) => [d.id, d]),
);

export function vendorToolchainFor(board: Board): ToolchainDriver {
  const d = VENDOR_TOOLCHAINS.get(board.toolchain.driver);
  if (!d) {
    throw new TinymlError("TML_E_BOARD_INVALID", `'${board.toolchain.driver}' is not a vendor toolchain driver (board ${board.id})`, {
      location: { file: board.file, detail: "toolchain.driver" },
      hint: `Vendor toolchain drivers: ${[...VENDOR_TOOLCHAINS.keys()].join(", ")}.`,
    });
  }
  return d;
}

export interface VendorBuildOptions {
  board: Board;
  project: VendorProjectOnDisk;
  /** Return the commands without running anything. */
  dryRun?: boolean;
  verbose?: boolean;
  /** Defaults to <project>/build.log. */
  log?: string;
  stream?: NodeJS.WriteStream;
}

export interface VendorBuildResult {
  commands: ToolCommand[];
  image: FirmwareImage;
  log: string;
  /** False for a dry run. */
  ran: boolean;
}

/** Checks the toolchain, then runs its build commands with streamed output and a log. */
export async function buildVendorProject(opts: VendorBuildOptions): Promise<VendorBuildResult> {
  const driver = vendorToolchainFor(opts.board);
  const input = { board: opts.board, project: opts.project };
  const commands = driver.buildCommands(input);
  const image = driver.image(input);
  const log = opts.log ?? `${opts.project.dir}/build.log`;
  if (opts.dryRun) return { commands, image, log, ran: false };
  const found = await driver.detect({ board: opts.board, runtime: opts.project.runtime, projectDir: opts.project.dir });
  if (!found.found) {
    const what = found.problems.length > 0 ? found.problems.join("; ") : `'${driver.tool}' was not found on PATH`;
    throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `${found.name} cannot build for ${opts.board.id}: ${what}`, {
      location: { file: opts.project.dir, detail: "the generated project is complete; only the build did not run" },
      hint: found.hint,
    });
  }
  writeFileSync(log, ""); // one build per log: a stale failure must not be mistaken for this one
  await runStreamed(commands, { log, verbose: opts.verbose ?? false, missingHint: found.hint, ...(opts.stream ? { stream: opts.stream } : {}) });
  return { commands, image, log, ran: true };
}
