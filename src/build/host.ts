// The host board: native executables built with the system C compiler.
// `model`, the file harness (firmware/hal/host/tml_host_main.c), reads input
// tensor files and writes output tensor files, timing each invoke.
// `firmware` is the board's app (the test protocol or the EEMBC runner) over
// the host HAL (firmware/hal/host/tml_hal_host.c): the same C the boards
// run, so `tinyml test --board host` exercises the whole device path.

import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { generateHostProject, HOST_EXECUTABLE, tflmDirRequired } from "../project/host.js";
import { boardDefines } from "../project/context.js";
import { APP_SOURCES } from "../project/manifest.js";
import { packagePath } from "../paths.js";
import { commandLine, compileHost, objectPath, type HostCompileJob } from "../toolchain/host-cc.js";
import { writeFileAtomic } from "../util/files.js";
import { plannedBudget } from "./budget.js";
import { appDefines, modelWeightBytes } from "./model-sources.js";
import type { BuildRequest, BuildResult } from "./request.js";

export async function buildHostFirmware(req: BuildRequest): Promise<BuildResult> {
  const { dir, runtime, board } = req;
  const project = generateHostProject(req.loaded, { runtime, maxArenaBytes: req.maxArenaBytes, tflmDir: req.tflmDir });
  for (const f of [...project.files, ...(req.extraFiles ?? [])]) writeFileAtomic(join(dir, f.path), f.text);
  for (const c of project.copies) {
    mkdirSync(dirname(join(dir, c.path)), { recursive: true });
    copyFileSync(c.from, join(dir, c.path));
  }
  req.progress(`generated ${project.files.length + project.copies.length} files in ${dir}`);
  const memory = { arenaBytes: project.arenaBytes, planBytes: project.plan.arenaBytes, lowerBoundBytes: project.plan.lowerBoundBytes };
  const budget = plannedBudget(board, modelWeightBytes(req.loaded), project.arenaBytes, req.extraMemory);
  const base = { board: board.id, family: board.family, runtime, app: req.app, dir, memory, budget };
  if (!project.job) throw tflmDirRequired(dir);
  const cc = process.env.CC || "cc";
  const cxx = process.env.CXX || "c++";
  if (req.dryRun) {
    const compile = [
      ...project.job.cSources.map((s) => commandLine(cc, [...project.job!.cflags, "-c", s, "-o", objectPath(s)])),
      ...project.job.cxxSources.map((s) => commandLine(cxx, [...project.job!.cxxflags, "-c", s, "-o", objectPath(s)])),
    ];
    return { ...base, ran: false, commands: compile };
  }
  req.progress(`compiling (${runtime})…`);
  const harness = { ...project.job, dir, cc, cxx };
  await compileHost(harness);
  req.progress(`linking the ${req.app} app as ${HOST_FIRMWARE}…`);
  await compileHost(firmwareJob(req, harness));
  return { ...base, ran: true, image: join(dir, HOST_EXECUTABLE), commands: [] };
}

/** The protocol (or EEMBC) app executable, next to the harness. */
export const HOST_FIRMWARE = "firmware";
/** The host board's HAL: the serial line over stdio or a tty, and the microphone from TML_MIC. */
const HOST_HAL_SOURCES = ["tml_hal_host.c", "tml_mic_host.c"];

/**
 * The app build reuses the harness's model and kernel objects (compiled
 * once, just above) and compiles only the runtime, the app and the HAL.
 */
function firmwareJob(req: BuildRequest, harness: HostCompileJob): HostCompileJob {
  const appFile = APP_SOURCES[req.app];
  if (!appFile) throw new Error(`unknown app '${req.app}'`);
  const otherApps = new Set(Object.values(APP_SOURCES).filter((f) => f !== appFile));
  const runtimeDir = packagePath("firmware", "runtime");
  const runtime = readdirSync(runtimeDir).filter((f) => /\.[ch]$/.test(f) && !otherApps.has(f)).sort();
  for (const f of runtime) copyFileSync(join(runtimeDir, f), join(req.dir, "runtime", f));
  mkdirSync(join(req.dir, "hal", "host"), { recursive: true });
  copyFileSync(packagePath("firmware", "hal", "tml_hal.h"), join(req.dir, "hal", "tml_hal.h"));
  for (const f of HOST_HAL_SOURCES) copyFileSync(packagePath("firmware", "hal", "host", f), join(req.dir, "hal", "host", f));
  const defines = { ...boardDefines(req.board, req.runtime), ...appDefines(req.loaded), ...req.extraDefines };
  const shared = [...harness.cSources, ...harness.cxxSources].filter((s) => !s.endsWith("tml_host_main.c")).map(objectPath);
  return {
    ...harness,
    cSources: [
      ...(req.extraFiles ?? []).map((f) => f.path).filter((p) => p.endsWith(".c")),
      ...runtime.filter((f) => f.endsWith(".c")).map((f) => `runtime/${f}`),
      ...HOST_HAL_SOURCES.map((f) => `hal/host/${f}`),
    ],
    cxxSources: [],
    includeDirs: [...harness.includeDirs, "hal"],
    // C99 and warning-free like every board; the app's defines as the boards get them.
    cflags: ["-std=c99", "-O2", "-Wall", "-Wextra", "-pedantic", "-Werror", ...Object.entries(defines).map(([k, v]) => `-D${k}=${v}`)],
    // The shared objects ride in front of the libraries; TFLM's are C++ and need its runtime.
    ldflags: [...shared, ...(harness.cxxSources.length > 0 ? ["-lstdc++"] : []), ...harness.ldflags],
    output: HOST_FIRMWARE,
  };
}
