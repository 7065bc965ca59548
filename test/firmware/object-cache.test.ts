// The object cache behind every native build (src/toolchain/object-cache.ts):
// an object compiled once is reused by any build directory with the same
// source, headers, compiler and flags, and by none that differs in one of
// them; builds racing on an empty cache all get correct objects; a damaged
// cache entry costs a compile, never a wrong object.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { nativeToolchain, runNativeBuild, type NativeBuild } from "../../src/toolchain/native.js";
import { execa } from "execa";
import { repoRoot, requireTool } from "../cli.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function scratch(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `tinyml-object-cache-${name}-`));
  dirs.push(d);
  return d;
}

const board = loadBoard("host");
const tc = nativeToolchain(board);

/** A project with one kernel-like source and the header it includes. */
function project(name: string, header = "#define SCALE 3\n"): string {
  const dir = scratch(name);
  mkdirSync(join(dir, "k"));
  writeFileSync(join(dir, "k", "scale.h"), header);
  writeFileSync(join(dir, "k", "scale.c"), '#include "scale.h"\nint scale(int x) { return x * SCALE; }\n');
  return dir;
}

function build(dir: string, flags: string[] = ["-Ik"]): NativeBuild {
  return { dir, units: [{ source: "k/scale.c", lang: "c", flags }], links: [] };
}

async function run(dir: string, flags?: string[]): Promise<{ compiled: number; cached: number; object: Buffer }> {
  const r = await runNativeBuild(tc, build(dir, flags), { log: join(dir, "build.log"), verbose: false, board });
  return { ...r, object: readFileSync(join(dir, "obj", "k", "scale.c.o")) };
}

let saved: string | undefined;
let cache = "";
beforeEach(() => {
  saved = process.env.TINYML_CACHE_DIR;
  cache = scratch("root");
  process.env.TINYML_CACHE_DIR = cache;
});
afterEach(() => {
  if (saved === undefined) delete process.env.TINYML_CACHE_DIR;
  else process.env.TINYML_CACHE_DIR = saved;
});

describe("the object cache", () => {
  it("reuses an object in another build directory, and only for the same header, flags and compiler", async (ctx) => {
    if (!(await requireTool("cc", "apt-get install gcc"))) return ctx.skip();
    const first = await run(project("a"));
    expect([first.compiled, first.cached]).toEqual([1, 0]);
    const again = await run(project("b"));
    expect([again.compiled, again.cached]).toEqual([0, 1]);
    expect(again.object.equals(first.object)).toBe(true);

    // A header the source includes changed: compiled afresh, and the result differs.
    const header = await run(project("c", "#define SCALE 5\n"));
    expect([header.compiled, header.cached]).toEqual([1, 0]);
    expect(header.object.equals(first.object)).toBe(false);
    // Another flag: compiled afresh.
    const flags = await run(project("d"), ["-Ik", "-DEXTRA=1"]);
    expect([flags.compiled, flags.cached]).toEqual([1, 0]);
    // Both variants stay cached beside the first.
    expect((await run(project("e", "#define SCALE 5\n"))).cached).toBe(1);
    expect((await run(project("f"))).cached).toBe(1);
  });

  it("another compiler never gets the first one's object", async (ctx) => {
    if (!(await requireTool("cc", "apt-get install gcc")) || !(await requireTool("clang", "apt-get install clang"))) return ctx.skip();
    await run(project("gcc"));
    const clang = await runNativeBuild({ ...tc, cc: "clang" }, build(project("clang")), { log: join(cache, "clang.log"), verbose: false, board });
    expect([clang.compiled, clang.cached]).toEqual([1, 0]);
  });

  it("builds racing on an empty cache from separate processes all finish with the right object, and the next one hits", async (ctx) => {
    if (!(await requireTool("cc", "apt-get install gcc"))) return ctx.skip();
    // Each racer is its own tinyml process (node with tsx), as concurrent `tinyml build`s are.
    const script = [
      `import { loadBoard } from ${JSON.stringify(join(repoRoot, "src/boards/load.ts"))};`,
      `import { nativeToolchain, runNativeBuild } from ${JSON.stringify(join(repoRoot, "src/toolchain/native.ts"))};`,
      `const board = loadBoard("host"); const dir = process.argv[1];`,
      `const r = await runNativeBuild(nativeToolchain(board), { dir, units: [{ source: "k/scale.c", lang: "c", flags: ["-Ik"] }], links: [] }, { log: dir + "/build.log", verbose: false, board });`,
      `console.log(JSON.stringify(r));`,
    ].join("\n");
    const racerDirs = Array.from({ length: 4 }, (_, i) => project(`race${i}`));
    const racers = await Promise.all(racerDirs.map((dir) => execa("node", ["--import", "tsx", "--input-type=module", "-e", script, dir], { cwd: repoRoot, env: { TINYML_CACHE_DIR: cache } })));
    for (const r of racers) expect(JSON.parse(r.stdout).compiled + JSON.parse(r.stdout).cached).toBe(1);
    const objects = racerDirs.map((d) => readFileSync(join(d, "obj", "k", "scale.c.o")));
    for (const o of objects) expect(o.equals(objects[0]!)).toBe(true);
    // No temporary file is left behind, and every manifest is whole JSON.
    const files = (sub: string): string[] => readdirSync(join(cache, sub), { recursive: true, encoding: "utf8" }).filter((f) => statSync(join(cache, sub, f)).isFile());
    expect([...files("objects"), ...files("manifests")].filter((f) => f.includes(".tmp-"))).toEqual([]);
    for (const m of files("manifests")) expect(() => JSON.parse(readFileSync(join(cache, "manifests", m), "utf8"))).not.toThrow();
    const after = await run(project("after-race"));
    expect(after.cached).toBe(1);
    expect(after.object.equals(objects[0]!)).toBe(true);
  }, 60_000);

  it("a damaged manifest or a missing object costs a compile, not a failure", async (ctx) => {
    if (!(await requireTool("cc", "apt-get install gcc"))) return ctx.skip();
    const first = await run(project("whole"));
    const manifests = readdirSync(join(cache, "manifests"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
    for (const m of manifests) writeFileSync(join(cache, "manifests", m), "{ not json");
    const afterDamage = await run(project("damaged"));
    expect([afterDamage.compiled, afterDamage.cached]).toEqual([1, 0]);
    rmSync(join(cache, "objects"), { recursive: true, force: true });
    const afterLoss = await run(project("lost"));
    expect([afterLoss.compiled, afterLoss.cached]).toEqual([1, 0]);
    expect(afterLoss.object.equals(first.object)).toBe(true);
  });
});
