// A firmware project compiles only the kernel files its image calls
// (src/firmware-project/kernel-selection.ts). The selection is a scan of the
// C text, so it is checked against the compiler: the scan's definitions and
// references agree with nm's symbol tables for every kernel file, and real
// builds link with exactly the selected files: every one of them is needed
// (some other object refers to a symbol it defines), none is missing (every
// reference into the kernel library is defined by a listed file), and
// taking one away is a link error.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { buildFirmware } from "../../src/firmware-project/build.js";
import { eembcBuild } from "../../src/firmware-project/eembc.js";
import type { FirmwareRequest } from "../../src/firmware-project/request.js";
import { wakewordBuild } from "../../src/firmware-project/wakeword.js";
import { kernelLibrary, scanKernelFile } from "../../src/firmware-project/kernel-selection.js";
import { loadModel } from "../../src/model/load.js";
import { requireTool } from "../cli.js";
import { modelPath } from "../fixtures.js";

const ARM = ["arm-none-eabi-gcc", "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"] as const;
/** The Cortex-M4 with the DSP extension: every variant of every kernel is compiled in. */
const M4_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function scratch(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `tinyml-kernel-selection-${name}-`));
  dirs.push(d);
  return d;
}

interface Symbols {
  defined: Set<string>;
  undefined: Set<string>;
}

/** Global symbols an object defines and the ones it leaves undefined, per nm. */
async function symbols(nm: string, object: string): Promise<Symbols> {
  const out = (await execa(nm, ["-g", object])).stdout;
  const defined = new Set<string>();
  const undef = new Set<string>();
  for (const line of out.split("\n")) {
    const m = line.trim().match(/^(?:[0-9a-f]+\s+)?([A-Za-z])\s+(\S+)$/);
    if (!m) continue;
    if (m[1] === "U") undef.add(m[2]!);
    else defined.add(m[2]!);
  }
  return { defined, undefined: undef };
}

describe("the kernel scan", () => {
  it("ignores comments, strings and prototypes, and sees calls, data and macros", () => {
    const scan = scanKernelFile([
      `#include "tml_kernels.h"`,
      `/* tml_in_comment(); */ // tml_in_line_comment()`,
      `#define TML_CALL(x) tml_from_macro(x)`,
      `size_t tml_prototype(int a);`,
      `static int helper(void) { return tml_from_static(); }`,
      `const int tml_table[2] = { 1, 2 };`,
      `static const int hidden[1] = { 0 };`,
      `typedef struct { int a; } tml_type;`,
      `tml_status tml_op(const char *s) { (void)"tml_in_string"; return tml_callee(s); }`,
    ].join("\n"));
    expect(scan.defines.sort()).toEqual(["tml_op", "tml_table"]);
    expect(scan.includes).toEqual(["tml_kernels.h"]);
    for (const seen of ["tml_from_macro", "tml_from_static", "tml_callee"]) expect(scan.mentions).toContain(seen);
    for (const unseen of ["tml_in_comment", "tml_in_line_comment", "tml_in_string", "tml_prototype"]) expect(scan.mentions).not.toContain(unseen);
  });

  it("agrees with nm on every kernel file (Cortex-M4: every variant compiled in)", async (ctx) => {
    if (!(await requireTool(...ARM))) return ctx.skip();
    const lib = kernelLibrary();
    const sources = [...lib.files.keys()].filter((f) => f.endsWith(".c"));
    const out = scratch("scan");
    await execa("arm-none-eabi-gcc", [...M4_FLAGS, "-O2", "-std=c99", `-I${lib.dir}`, "-c", ...sources.map((s) => join(lib.dir, s))], { cwd: out });
    for (const f of sources) {
      const scan = lib.files.get(f)!;
      const syms = await symbols("arm-none-eabi-nm", join(out, `${basename(f, ".c")}.o`));
      expect(scan.defines.sort(), `${f}: what it defines`).toEqual([...syms.defined].sort());
      const intoLibrary = [...syms.undefined].filter((u) => lib.definedIn.has(u));
      for (const u of intoLibrary) expect(scan.mentions, `${f} calls ${u}`).toContain(u);
    }
  });
});

const BUILDS = [
  { model: "person_detect", board: "qemu-m4", app: "inference" },
  { model: "person_detect", board: "host", app: "inference" },
  { model: "micro_speech_quantized", board: "qemu-m4", app: "inference" },
  { model: "micro_speech_quantized", board: "host", app: "inference" },
  // The frontend's Signal* kernels come from its generated frontend_model.c.
  { model: "micro_speech_quantized", board: "qemu-m4", app: "wakeword" },
  { model: "person_detect", board: "host", app: "eembc" },
] as const;

type AppParts = Partial<Pick<FirmwareRequest, "loaded" | "extraFiles" | "extraDefines" | "extraMemory" | "extraInputs">>;

/** What the CLI adds to a request for the app (wake word: the frontend; EEMBC: the benchmark's defines). */
async function appParts(app: string, loaded: FirmwareRequest["loaded"], board: FirmwareRequest["board"]): Promise<AppParts> {
  if (app === "wakeword") return (await wakewordBuild({ family: board.family, runtime: "aot", model: loaded })).parts;
  if (app === "eembc") return eembcBuild(loaded, board, { model: "vww01" }).parts;
  return {};
}

/** The symbols the listed kernel files refer to when compiled for the other kind of core (host <-> Cortex-M4 with DSP). */
async function otherCoreReferences(boardId: string, dir: string, listed: string[]): Promise<Set<string>> {
  const [cc, flags, nm] = boardId === "host" ? ["arm-none-eabi-gcc", M4_FLAGS, "arm-none-eabi-nm"] : ["cc", [], "nm"];
  const out = scratch(`other-${boardId}`);
  await execa(cc, [...flags, "-O2", "-std=c99", `-I${join(dir, "kernels")}`, "-c", ...listed.map((f) => join(dir, "kernels", f))], { cwd: out });
  const refs = new Set<string>();
  for (const f of listed) for (const u of (await symbols(nm, join(out, `${basename(f, ".c")}.o`))).undefined) refs.add(u);
  return refs;
}

describe("a firmware build links exactly the kernels it calls", () => {
  for (const { model, board: boardId, app } of BUILDS) {
    it(`${model} on ${boardId}, ${app} app`, async (ctx) => {
      // Both compilers: the files are checked for the other kind of core too.
      if (!(await requireTool("cc", "apt-get install gcc")) || !(await requireTool(...ARM))) return ctx.skip();
      const nm = boardId === "host" ? "nm" : "arm-none-eabi-nm";
      const board = loadBoard(boardId);
      const dir = join(scratch(`${model}-${boardId}`), "build");
      const loaded = await loadModel(modelPath(model));
      const r = await buildFirmware({
        board, loaded, runtime: "aot", app, dir, ...(await appParts(app, loaded, board)),
        dryRun: false, verbose: false, progress: () => undefined,
      });
      expect(r.ran).toBe(true);

      const lib = kernelLibrary();
      const kernelObjects = readdirSync(join(dir, "obj", "kernels")).filter((f) => f.endsWith(".c.o")).sort();
      const listed = readdirSync(join(dir, "kernels")).filter((f) => f.endsWith(".c")).sort();
      expect(kernelObjects.map((o) => o.slice(0, -2))).toEqual(listed);
      expect(listed.length).toBeLessThan([...lib.files.keys()].filter((f) => f.endsWith(".c")).length / 2);

      // Every object of the firmware image, from its link command.
      const link = r.commands[r.commands.length - 1]!;
      const objects = link.split(/\s+/).filter((a) => a.endsWith(".o"));
      const table = new Map<string, Symbols>();
      for (const o of objects) table.set(o, await symbols(nm, join(dir, o)));
      const referencedBy = (o: string): Set<string> => new Set([...table].filter(([k]) => k !== o).flatMap(([, s]) => [...s.undefined]));
      const definedByListed = new Set(listed.flatMap((f) => [...table.get(`obj/kernels/${f}.o`)!.defined]));
      // The scan is target-independent on purpose (one file list for every
      // board), so a file may be needed only on the other kind of core: a
      // variant entry on a core without the DSP extension calls the generic
      // variant. The same files compiled for that core say what it calls.
      const elsewhere = await otherCoreReferences(boardId, dir, listed);
      for (const f of listed) {
        const own = table.get(`obj/kernels/${f}.o`)!.defined;
        // A file may compile to nothing on a target (a DSP-only variant on the host): listed, never needed.
        if (own.size === 0) continue;
        const needed = [...own].some((s) => referencedBy(`obj/kernels/${f}.o`).has(s) || elsewhere.has(s));
        expect(needed, `${f} is linked but nothing calls it, on this core or the other`).toBe(true);
      }
      for (const [o, s] of table) {
        for (const u of s.undefined) {
          if (lib.definedIn.has(u)) expect(definedByListed.has(u), `${o} needs ${u} (${lib.definedIn.get(u)})`).toBe(true);
        }
      }

      // Without one of them, the link fails naming the missing kernel.
      const softmax = "obj/kernels/tml_softmax_s8.c.o";
      expect(objects).toContain(softmax);
      const broken = link.replace(` ${softmax}`, "").replace(/ -o (\S+)/, " -o $1.broken").replace(/-Wl,-Map=\S+/, "");
      const fail = await execa("sh", ["-c", broken], { cwd: dir, reject: false });
      expect(fail.exitCode).not.toBe(0);
      expect(fail.stderr).toMatch(/undefined reference to `tml_softmax_s8'/);
    }, 180_000);
  }
});
