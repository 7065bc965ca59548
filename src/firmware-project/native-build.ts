// The compile plan of a family tinyml compiles itself (host, bare metal):
// the placed sources with flags by group, and the images the family links.
// Flags are per group so that what does not depend on the model (the
// kernels, the TFLM library) compiles to the same object for every model
// and comes from the object cache; per-model defines reach only the
// sources that read them.

import { basename, extname } from "node:path";
import type { CompileUnit, LinkStep, NativeBuild } from "../toolchain/native.js";
import type { FamilyProfile, SourceGroup } from "./families.js";
import type { PlacedSource } from "./layout.js";
import type { TflmLibrary } from "./tflm-tree.js";

/** tinyml's own C stays warning-free on every board. */
const OWN_C_WARNINGS = ["-Wall", "-Wextra", "-pedantic", "-Werror"];
/** Generated C++ over TFLM's headers: warnings shown, not fatal (TFLM's headers are not ours). */
const OWN_CXX_WARNINGS = ["-Wall"];

export interface NativeBuildInputs {
  dir: string;
  placed: readonly PlacedSource[];
  profile: FamilyProfile;
  /** Logical include directories of tinyml's sources (relative to the project). */
  includeDirs: readonly string[];
  defines: Readonly<Record<string, string>>;
  tflm?: TflmLibrary;
}

function defineFlags(defines: Readonly<Record<string, string>>): string[] {
  return Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);
}

function langOf(path: string): "c" | "cxx" | null {
  const ext = extname(path);
  if (ext === ".c") return "c";
  if (ext === ".cc" || ext === ".cpp" || ext === ".cxx") return "cxx";
  return null;
}

export function nativeBuild(inputs: NativeBuildInputs): NativeBuild {
  const { tflm } = inputs;
  const includes = inputs.includeDirs.map((d) => `-I${d}`);
  const groupFlags = (group: SourceGroup, lang: "c" | "cxx"): string[] => {
    const warnings = lang === "c" ? OWN_C_WARNINGS : OWN_CXX_WARNINGS;
    switch (group) {
      case "kernels":
        // No per-model or per-board define: the same object for every model of a board.
        return [...warnings, "-Ikernels"];
      case "model":
        // The TFLM runtime's glue includes TFLM's headers, with the library's own flags.
        return [...warnings, ...includes, ...(tflm && lang === "cxx" ? tflm.headerFlags : []), ...defineFlags(inputs.defines)];
      default:
        return [...warnings, ...includes, ...defineFlags(inputs.defines)];
    }
  };
  const units: Array<CompileUnit & { group: SourceGroup }> = [];
  for (const p of inputs.placed) {
    const lang = langOf(p.path);
    if (lang) units.push({ source: p.path, lang, flags: groupFlags(p.group, lang), group: p.group });
  }
  // The library compiles with TFLM's own flags only: one object per tree and board, whatever the model.
  for (const u of tflm?.units ?? []) units.push({ ...u, group: "tflm" });
  const links: LinkStep[] = inputs.profile.images.map((image) => {
    const members = units.filter((u) => image.groups.includes(u.group));
    return {
      output: image.output,
      sources: members.map((u) => u.source),
      flags: [
        ...(image.linkerScript ? ["-T", image.linkerScript] : []),
        ...(image.map ? [`-Wl,-Map=${basename(image.output, extname(image.output))}.map`] : []),
      ],
      cxx: members.some((u) => u.lang === "cxx"),
    };
  });
  return { dir: inputs.dir, units: units.map(({ group: _group, ...u }) => u), links };
}
