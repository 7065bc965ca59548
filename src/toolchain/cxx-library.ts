// Whether a C++ driver has its C++ standard library. Debian ships
// arm-none-eabi-g++ (gcc-arm-none-eabi) without libstdc++'s headers and
// archives, which are libstdc++-arm-none-eabi-newlib; without them every
// TFLM source stops at `#include <cstddef>` after the C sources have
// compiled. One preprocessor run of a two-line file (about 30 ms) tells
// before the build starts, and `tinyml doctor` runs the same check.

import { execa } from "execa";
import { CHILD_GROUP, trackChild } from "../util/lifecycle.js";
import { whichTool } from "./probe.js";

/** Debian/Ubuntu's package of libstdc++ for arm-none-eabi-g++. */
export const ARM_CXX_LIBRARY_HINT = "apt-get install libstdc++-arm-none-eabi-newlib";
/** The host's: g++ brings libstdc++'s headers. */
export const HOST_CXX_LIBRARY_HINT = "apt-get install g++ (Debian/Ubuntu), or name a C++ compiler with the CXX environment variable";

/** Headers every TFLM source includes, through its own headers. */
const PROBE_SOURCE = "#include <cstddef>\n#include <cstdint>\n";

export type CxxLibraryProbe =
  | { found: true; /** libstdc++.a as the driver resolves it, when it reports one. */ library?: string }
  | { found: false; /** The compiler's first error line, e.g. "fatal error: cstddef: No such file or directory". */ error: string };

const probes = new Map<string, Promise<CxxLibraryProbe>>();

/** Preprocesses `#include <cstddef>` with `flags` (the build's CPU and C++ flags); memoised per process. */
export function probeCxxLibrary(cxx: string, flags: readonly string[]): Promise<CxxLibraryProbe> {
  const key = JSON.stringify([whichTool(cxx) ?? cxx, flags]);
  let p = probes.get(key);
  if (!p) {
    p = runProbe(cxx, flags);
    probes.set(key, p);
  }
  return p;
}

async function runProbe(cxx: string, flags: readonly string[]): Promise<CxxLibraryProbe> {
  const r = await trackChild(execa(cxx, [...flags, "-x", "c++", "-E", "-o", "/dev/null", "-"], { input: PROBE_SOURCE, reject: false, all: true, ...CHILD_GROUP }));
  if (r.exitCode !== 0) {
    const lines = String(r.all ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
    return { found: false, error: lines.find((l) => /error/i.test(l)) ?? lines[0] ?? `${cxx} exited with ${r.exitCode ?? r.signal ?? "?"}` };
  }
  // -print-file-name echoes the bare name when the driver has no such file.
  const lib = await trackChild(execa(cxx, [...flags, "-print-file-name=libstdc++.a"], { reject: false, stdin: "ignore", ...CHILD_GROUP }));
  const library = String(lib.stdout ?? "").trim();
  return { found: true, ...(lib.exitCode === 0 && library.includes("/") ? { library } : {}) };
}
