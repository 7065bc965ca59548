// A vendor board's project from a loaded model: generate the model's C
// (AOT or TFLM, exactly as for the host and QEMU boards), gather the shared
// firmware with the family's HAL, and render the family's templates. The
// build command calls this, then buildVendorProject() to compile it.

import type { Board, RuntimeKind } from "../boards/board.js";
import type { GeneratedFile } from "../codegen/c-array.js";
import type { MemoryPlan } from "../codegen/plan/index.js";
import { generateModelSources } from "../build/model-sources.js";
import { TinymlError } from "../errors.js";
import type { LoadedModel } from "../model/load.js";
import { firmwareManifest } from "./manifest.js";
import { renderProject, type RenderedProject } from "./render.js";

export interface VendorProjectOptions {
  board: Board;
  loaded: LoadedModel;
  runtime: RuntimeKind;
  /** "inference" (the framed test protocol) or "eembc". */
  app: string;
  dir: string;
  maxArenaBytes?: number;
  /** Extra -D defines (e.g. TML_APP_INPUT_STAGE_BYTES). */
  defines?: Record<string, string>;
  /** Generated sources beside the model's (the wake-word app's frontend and labels). */
  extraFiles?: GeneratedFile[];
}

export interface VendorProject {
  project: RenderedProject;
  plan: MemoryPlan;
  arenaBytes: number;
}

export function generateVendorProject(opts: VendorProjectOptions): VendorProject {
  const { board, runtime } = opts;
  if (!board.runtime.supported.includes(runtime)) {
    throw new TinymlError("TML_E_USAGE", `board ${board.id} does not support the ${runtime} runtime`, {
      location: { file: board.file, detail: "runtime.supported" },
      hint: `Use --runtime ${board.runtime.supported.join(" or --runtime ")}.`,
    });
  }
  const model = generateModelSources(opts.loaded, runtime, opts.maxArenaBytes);
  const manifest = firmwareManifest({ family: board.family, runtime, app: opts.app, generated: [...model.files, ...(opts.extraFiles ?? [])], defines: opts.defines });
  const project = renderProject({
    board,
    runtime,
    app: opts.app,
    model: { path: opts.loaded.path, sha256: opts.loaded.sha256 },
    manifest,
    memory: { arenaBytes: model.arenaBytes },
    dir: opts.dir,
  });
  return { project, plan: model.plan, arenaBytes: model.arenaBytes };
}
