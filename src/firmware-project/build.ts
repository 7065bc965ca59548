// The firmware-project stage: one data path for every board family.
//
//   plan      generate the model's C (AOT or TFLM) and the planned budget
//   manifest  the generated files, firmware sources, include dirs, defines
//   write     place the sources per the family's layout and render its
//             templates, into a staging directory beside the output
//   compile   tinyml's native driver (host cc, arm-none-eabi-gcc) in the
//             staging directory, or, for vendor families, the vendor's tool
//             in the published project (its own incremental build dir)
//   measure   the image against the board's budget (bare metal: the linked
//             ELF; others: the plan), then publish the staging directory
//
// Families differ only by the data in families.ts.

import { join } from "node:path";
import type { Board } from "../boards/board.js";
import "../codegen/aot/runtime.js";
import { checkRuntimeSupport } from "../runtimes.js";
import { TinymlError, isTinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import { tinymlVersion } from "../paths.js";
import { formatCommand, type ToolCommand } from "../toolchain/command.js";
import { nativeCommands, nativeToolchain, runNativeBuild } from "../toolchain/native.js";
import { measureImage } from "../toolchain/size.js";
import { buildVendorProject } from "../toolchain/vendor-drivers.js";
import { interruptedBy } from "../util/lifecycle.js";
import { claimOutputDir, type ClaimedDir } from "../util/output-dir.js";
import { writeFileAtomic } from "../util/files.js";
import { checkBudget, plannedBudget, type Budget } from "./budget.js";
import { boardDefines, projectContext, type NativeCommandsContext, type ProjectContext } from "./context.js";
import { FAMILIES, HOST_HARNESS, PROJECT_NAME, type FamilyProfile } from "./families.js";
import { placeSources, type Placement } from "./layout.js";
import { firmwareManifest, type ProjectManifest } from "./manifest.js";
import { appDefines, generateModelSources, modelWeightBytes, type ModelSources } from "./model-sources.js";
import { nativeBuild } from "./native-build.js";
import { renderFamilyTemplates, renderTemplate } from "./render.js";
import type { FirmwareRequest, FirmwareResult } from "./request.js";
import { checkTreeOps, readTflmTree, tflmLibrary, type TflmLibrary } from "./tflm-tree.js";
import { cString } from "../codegen/c-syntax.js";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** Everything known before a byte is written: what the project holds and what it will cost. */
export interface FirmwarePlan {
  profile: FamilyProfile;
  model: ModelSources;
  manifest: ProjectManifest;
  tflm?: TflmLibrary;
  budget: Budget;
  memory: FirmwareResult["memory"];
}

export function checkBoardRuntime(req: Pick<FirmwareRequest, "board" | "runtime" | "loaded">): void {
  const { board, runtime } = req;
  if (!board.runtime.supported.includes(runtime)) {
    throw new TinymlError("TML_E_USAGE", `board ${board.id} does not support the ${runtime} runtime`, {
      location: { file: board.file, detail: "runtime.supported" },
      hint: `Use --runtime ${board.runtime.supported.join(" or --runtime ")}.`,
    });
  }
  // Every op the runtime lacks is named before anything is generated.
  checkRuntimeSupport(mainGraph(req.loaded.model), runtime, req.loaded.path);
}

function tflmRequired(dir: string): TinymlError {
  return new TinymlError("TML_E_TOOLCHAIN_MISSING", "the tflm runtime needs TensorFlow Lite Micro's sources to compile", {
    location: { file: dir },
    hint: "Pass --tflm-dir PATH (a tree made by TFLM's create_tflm_tree.py), or use --runtime aot.",
  });
}

/** The plan of a build: generated model code, manifest and planned budget. Writes nothing. */
export function planFirmware(req: FirmwareRequest): FirmwarePlan {
  checkBoardRuntime(req);
  const { board, runtime } = req;
  const profile = FAMILIES[board.family];
  const model = generateModelSources(req.loaded, runtime, { maxArenaBytes: req.maxArenaBytes, arenaBytes: req.arenaBytes });
  // A native build compiles TFLM from the user's tree; vendor families get it from their package manager.
  const tflm = runtime === "tflm" && profile.compiler === "native" && req.tflmDir ? tflmLibrary(readTflmTree(req.tflmDir), board) : undefined;
  if (tflm && model.resolver) checkTreeOps(tflm.tree, model.resolver.requires, req.loaded.path);
  const manifest = firmwareManifest({
    family: board.family, profile, runtime, app: req.app, generated: model.files, extraFiles: req.extraFiles,
    defines: {
      ...boardDefines(board, runtime), ...appDefines(req.loaded), ...req.extraDefines,
      // INFO names the TFLM it runs: kernels and the tree's commit (or content digest).
      ...(tflm ? { TML_RUNTIME_NAME: cString(tflm.runtimeName) } : {}),
      ...(runtime === "tflm" ? { ...profile.tflmDefines, ...(req.tflmPreserveAll ? { TML_TFLM_PRESERVE_ALL: "1" } : {}) } : {}),
    },
    ...(tflm?.ownTime ? { tflmTime: true } : {}),
  });
  return {
    profile, model, manifest, ...(tflm ? { tflm } : {}),
    budget: plannedBudget(board, modelWeightBytes(req.loaded), model.arenaBytes, req.extraMemory),
    memory: { arenaBytes: model.arenaBytes, planBytes: model.plan.arenaBytes, lowerBoundBytes: model.plan.lowerBoundBytes },
  };
}

interface WrittenProject {
  placement: Placement;
  context: ProjectContext;
  /** Files rendered from the family's templates, relative to the project, sorted. */
  rendered: string[];
  /** The native compile plan (host, bare metal). */
  native?: ReturnType<typeof nativeBuild>;
}

/** Places the sources and renders the family's templates into `root`. */
function writeProject(req: FirmwareRequest, plan: FirmwarePlan, root: string, shownDir: string): WrittenProject {
  const { board } = req;
  const placement = placeSources(plan.manifest, plan.profile.layout);
  let native: WrittenProject["native"];
  let nativeContext: NativeCommandsContext | undefined;
  if (plan.profile.compiler === "native") {
    if (req.runtime === "tflm" && !plan.tflm) throw tflmRequired(shownDir);
    native = nativeBuild({
      dir: root, placed: placement.placed, profile: plan.profile, includeDirs: plan.manifest.includeDirs,
      defines: plan.manifest.defines, ...(plan.tflm ? { tflm: plan.tflm } : {}),
    });
    const cmds = nativeCommands(nativeToolchain(board), native);
    nativeContext = {
      compiles: cmds.compiles.map((c) => ({ object: c.object, source: c.source, command: formatArgv(c) })),
      links: cmds.links.map((l, i) => ({ output: native!.links[i]!.output, objects: native!.links[i]!.sources.map((s) => cmds.compiles.find((c) => c.source === s)!.object), command: formatArgv(l) })),
      outputs: native.links.map((l) => l.output),
    };
  }
  for (const p of placement.placed) {
    const dest = join(root, p.path);
    if (p.content !== undefined) writeFileAtomic(dest, p.content);
    else {
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(p.from!, dest);
    }
  }
  const context = projectContext({
    board, runtime: req.runtime, app: req.app, model: { path: req.loaded.path, sha256: req.loaded.sha256 },
    manifest: plan.manifest, memory: { arenaBytes: plan.model.arenaBytes }, ...(nativeContext ? { native: nativeContext } : {}),
  }, placement);
  const rendered = renderFamilyTemplates(board.family, context);
  for (const t of rendered) writeFileAtomic(join(root, t.path), t.text);
  return { placement, context, rendered: rendered.map((t) => t.path).sort(), ...(native ? { native } : {}) };
}

function formatArgv(cmd: ToolCommand): string {
  return formatCommand({ ...cmd, cwd: "." }).replace(/^cd \. && /, "");
}

/** What the ownership record of a build directory says about the firmware in it. */
export interface FirmwareRecordDetails {
  board: string;
  family: string;
  runtime: string;
  app: string;
  modelSha256: string;
  /** The image tests and flashers use, relative to the directory (native families). */
  image?: string;
  dryRun: boolean;
}

function claimFor(req: FirmwareRequest, plan: FirmwarePlan): Promise<ClaimedDir> {
  return claimOutputDir(req.dir, {
    what: "build directory", kind: "firmware-project", version: tinymlVersion, force: req.force ?? false,
    inputs: [{ path: req.loaded.path, what: "model" }, ...(req.extraInputs ?? []).map((p) => ({ path: p, what: "input" })), ...(req.tflmDir ? [{ path: req.tflmDir, what: "TFLM tree" }] : [])],
    carryOver: plan.profile.vendorState, userEntries: plan.profile.userEntries,
    onWait: (pid) => req.progress(`waiting for another tinyml run (pid ${pid}) to finish with ${req.dir}…`),
  });
}

export async function buildFirmware(req: FirmwareRequest): Promise<FirmwareResult> {
  const plan = planFirmware(req);
  const claim = await claimFor(req, plan);
  try {
    const result = await buildInClaim(req, plan, claim);
    claim.finish();
    return result;
  } catch (e) {
    // A build that failed in the compiler or the budget check keeps its
    // project beside the output for a look; the previous output stays
    // intact. An interrupted one (its compilers were stopped) keeps nothing.
    const failed = !interruptedBy() && isTinymlError(e) && (e.code === "TML_E_TOOLCHAIN_FAILED" || e.code === "TML_E_BUDGET_EXCEEDED");
    const kept = claim.abort({ keepFailed: failed });
    throw isTinymlError(e) ? e.relocated(claim.staging, kept ?? claim.dir) : e;
  }
}

/** A generated project on disk, as the vendor tests and `--dry-run` see it. */
export interface GeneratedProject {
  dir: string;
  family: string;
  /** Files rendered from templates, relative to dir, sorted. */
  rendered: string[];
  /** Source files placed from the manifest, relative to dir, sorted. */
  sources: string[];
  /** What the templates saw. */
  context: ProjectContext;
  plan: FirmwarePlan;
}

/** Writes (publishes) a board's project without compiling it: what a dry run leaves. */
export async function generateFirmwareProject(req: Omit<FirmwareRequest, "dryRun">): Promise<GeneratedProject> {
  const full: FirmwareRequest = { ...req, dryRun: true };
  const plan = planFirmware(full);
  const claim = await claimFor(full, plan);
  try {
    const written = writeProject(full, plan, claim.staging, claim.dir);
    claim.publish({ ...recordDetails(full, plan.profile, true) });
    claim.finish();
    return { dir: claim.dir, family: req.board.family, rendered: written.rendered, sources: written.placement.placed.map((p) => p.path).sort(), context: written.context, plan };
  } catch (e) {
    claim.abort();
    throw e;
  }
}

function recordDetails(req: FirmwareRequest, profile: FamilyProfile, dryRun: boolean): FirmwareRecordDetails {
  const image = primaryImage(profile);
  return { board: req.board.id, family: req.board.family, runtime: req.runtime, app: req.app, modelSha256: req.loaded.sha256, ...(image ? { image } : {}), dryRun };
}

function primaryImage(profile: FamilyProfile): string | undefined {
  return profile.images.find((i) => i.primary)?.output;
}

async function buildInClaim(req: FirmwareRequest, plan: FirmwarePlan, claim: ClaimedDir): Promise<FirmwareResult> {
  const { board, runtime } = req;
  const { profile } = plan;
  const dir = claim.dir;
  const written = writeProject(req, plan, claim.staging, dir);
  req.progress(`generated ${written.placement.placed.length} sources for ${board.name} in ${dir}`);
  const image = primaryImage(profile);
  const details = (dryRun: boolean): FirmwareRecordDetails => recordDetails(req, profile, dryRun);
  const base = { board: board.id, family: board.family, runtime, app: req.app, dir, memory: plan.memory };

  if (profile.compiler === "native") {
    const tc = nativeToolchain(board);
    const native = written.native!;
    const shown = nativeCommands(tc, { ...native, dir });
    const commands = [...shown.compiles, ...shown.links].map(formatCommand);
    if (req.dryRun) {
      checkBudget(board, plan.budget);
      claim.publish({ ...details(true) });
      return { ...base, ran: false, commands, budget: plan.budget };
    }
    req.progress(`compiling ${native.units.length} sources for ${board.id} (${board.cpu.core})…`);
    const counts = await runNativeBuild(tc, native, {
      log: join(claim.staging, "build.log"), verbose: req.verbose, board, ...(req.onCompile ? { onCompile: req.onCompile } : {}),
    });
    const budget = tc.regions ? await measuredBudget(join(claim.staging, image!), board) : plan.budget;
    checkBudget(board, budget);
    claim.publish({ ...details(false) });
    const harness = profile.images.find((i) => i.output === HOST_HARNESS);
    return { ...base, ran: true, image: join(dir, image!), ...(harness ? { harness: join(dir, harness.output) } : {}), commands, budget, compiled: counts };
  }

  // Vendor families: the project is published first, so the vendor's tool
  // builds where its own cache (CMake's absolute paths) expects to be.
  checkBudget(board, plan.budget);
  claim.publish({ ...details(req.dryRun) });
  const project = { dir, name: PROJECT_NAME, runtime, defines: vendorDefines(plan) };
  const built = await buildVendorProject({ board, project, dryRun: req.dryRun, verbose: req.verbose });
  return {
    ...base, ...(built.ran ? { image: built.image.elf } : {}), ran: built.ran,
    commands: built.commands.map(formatCommand),
    // The vendor's binutils are not on this machine's PATH by default, so the
    // budget comes from the plan: the model's weights and the arena.
    budget: plan.budget,
  };
}

function vendorDefines(plan: FirmwarePlan): Array<{ name: string; value: string }> {
  return Object.entries(plan.manifest.defines).map(([name, value]) => ({ name, value }));
}

async function measuredBudget(elf: string, board: Board): Promise<Budget> {
  const size = await measureImage(elf, board);
  return { source: "image", flash: size.flash, ram: size.ram, contributors: size.contributors };
}

/**
 * The bare-metal linker script for a board on its own (for images that are
 * not a model's firmware: the HAL and kernel test apps).
 */
export function linkerScriptFor(board: Board, runtime: FirmwareRequest["runtime"] = "aot"): string {
  const context = projectContext({
    board, runtime, app: "inference", model: { path: "(none)", sha256: "0".repeat(64) },
    manifest: { sources: [], includeDirs: [], defines: {} }, memory: { arenaBytes: 0 },
  }, { placed: [], listRoot: ".", sourceRoot: ".", flat: false });
  return renderTemplate("baremetal", "link.ld", context);
}
