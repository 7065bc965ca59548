// The host board: a native executable built with the system C compiler. The
// harness (firmware/hal/host/tml_host_main.c) reads input tensor files and
// writes output tensor files, timing each invoke.

import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { generateHostProject, HOST_EXECUTABLE, tflmDirRequired } from "../project/host.js";
import { commandLine, compileHost, objectPath } from "../toolchain/host-cc.js";
import { writeFileAtomic } from "../util/files.js";
import { modelWeightBytes } from "./model-sources.js";
import type { BuildRequest, BuildResult } from "./request.js";

export async function buildHostFirmware(req: BuildRequest): Promise<BuildResult> {
  const { dir, runtime, board } = req;
  const project = generateHostProject(req.loaded, { runtime, maxArenaBytes: req.maxArenaBytes, tflmDir: req.tflmDir });
  for (const f of project.files) writeFileAtomic(join(dir, f.path), f.text);
  for (const c of project.copies) {
    mkdirSync(dirname(join(dir, c.path)), { recursive: true });
    copyFileSync(c.from, join(dir, c.path));
  }
  req.progress(`generated ${project.files.length + project.copies.length} files in ${dir}`);
  const memory = { arenaBytes: project.arenaBytes, planBytes: project.plan.arenaBytes, lowerBoundBytes: project.plan.lowerBoundBytes };
  const budget = {
    source: "plan" as const,
    flash: { used: modelWeightBytes(req.loaded), budget: board.memory.flashBytes },
    ram: { used: project.arenaBytes, budget: board.memory.ramBytes },
    contributors: [],
  };
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
  await compileHost({ ...project.job, dir, cc, cxx });
  return { ...base, ran: true, image: join(dir, HOST_EXECUTABLE), commands: [] };
}
