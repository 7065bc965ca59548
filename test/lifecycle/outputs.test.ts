// Outputs are checked before any work starts, and nothing of the user's is
// ever deleted or replaced: an output that is (or holds, or sits inside) an
// input is refused, a directory or file tinyml did not write is refused
// without --force, and a pseudo- or read-only filesystem fails at once with
// its name — as fast as tinyml starts, not after minutes of building.
import { execa } from "execa";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyml } from "../cli.js";
import { modelPath } from "../fixtures.js";

const dirs: string[] = [];
const scratch = (p: string): string => {
  const d = mkdtempSync(join(tmpdir(), `tinyml-out-${p}-`));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Every file under dir with its content hash: what "nothing was touched" means. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p, `${rel}${e}/`);
      else out[`${rel}${e}`] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir, "");
  return out;
}

/** A folder of recordings as a user keeps them. */
function recordings(): string {
  const d = scratch("data");
  for (const k of ["marvin", "_unknown", "_background"]) {
    mkdirSync(join(d, k));
    writeFileSync(join(d, k, "take1.wav"), Buffer.from(`RIFF not really ${k}`));
  }
  writeFileSync(join(d, "notes.txt"), "recorded in the kitchen\n");
  return d;
}

const BASE = "examples/models/kws_base/model.json";

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  const value = await p;
  return { value, ms: Date.now() - t0 };
}

/**
 * The command fails with the code and message, before any work: within a
 * second of how long tinyml takes to start and load the same modules, timed
 * side by side (`--help` of the same command) so both see the same load.
 */
async function refused(args: string[], code: number, says: RegExp): Promise<void> {
  const [run, startup] = await Promise.all([timed(tinyml(args)), timed(tinyml([args[0]!, "--help"]))]);
  const r = run.value;
  expect(r.exitCode, r.stderr).toBe(code);
  expect(r.stderr).toMatch(says);
  expect(r.stderr).not.toMatch(/internal error|compiling|calibrating|building firmware/);
  expect(run.ms, `refused after ${run.ms} ms; tinyml ${args[0]} --help took ${startup.ms} ms beside it`).toBeLessThan(startup.ms + 1000);
}

describe("finetune never deletes the user's files", () => {
  it("-o equal to --data is refused, and the recordings are untouched", async () => {
    const data = recordings();
    const before = snapshot(data);
    await refused(["finetune", BASE, "--data", data, "-o", data], 2, /error\[TML_E_USAGE\]: the model directory .* is the training data/);
    expect(snapshot(data)).toEqual(before);
  });

  it("-o inside --data is refused", async () => {
    const data = recordings();
    const before = snapshot(data);
    await refused(["finetune", BASE, "--data", data, "-o", join(data, "model")], 2, /is inside the training data/);
    expect(snapshot(data)).toEqual(before);
  });

  it("-o above --data is refused", async () => {
    const parent = scratch("parent");
    const data = join(parent, "clips");
    mkdirSync(data);
    writeFileSync(join(data, "take.wav"), "x");
    await refused(["finetune", BASE, "--data", data, "-o", parent], 2, /contains the training data/);
    expect(readFileSync(join(data, "take.wav"), "utf8")).toBe("x");
  });

  it("-o on a non-empty directory tinyml did not write is refused, --force or not it keeps the user's files", async () => {
    const data = recordings();
    const out = scratch("mine");
    writeFileSync(join(out, "thesis.tex"), "\\documentclass{article}\n");
    await refused(["finetune", BASE, "--data", data, "-o", out], 2, /holds files tinyml did not write .*thesis\.tex[\s\S]*--force/);
    expect(readFileSync(join(out, "thesis.tex"), "utf8")).toBe("\\documentclass{article}\n");
  });

  it("-o on a file is refused, and the file stays", async () => {
    const data = recordings();
    const file = join(scratch("file"), "model");
    writeFileSync(file, "mine");
    await refused(["finetune", BASE, "--data", data, "-o", file], 2, /it is a file, not a directory/);
    expect(readFileSync(file, "utf8")).toBe("mine");
  });
});

describe("outputs are probed before any work", () => {
  it("build -o /proc/x fails at once, naming the pseudo-filesystem", async () => {
    await refused(["build", modelPath("hello_world_int8"), "-o", "/proc/x"], 2, /error\[TML_E_OUTPUT_UNWRITABLE\]: cannot write the build directory \/proc\/x: \/proc is the kernel's proc pseudo-filesystem/);
  });

  it("quantize -o into /sys fails before calibrating", async () => {
    await refused(["quantize", modelPath("hello_world_float"), "--calib", "random", "-o", "/sys/x.tflite"], 2, /\/sys is the kernel's sysfs pseudo-filesystem/);
  });

  it("quantize and convert refuse to overwrite their own input", async () => {
    const dir = scratch("self");
    const model = join(dir, "m.tflite");
    writeFileSync(model, readFileSync(modelPath("hello_world_float")));
    const before = snapshot(dir);
    await refused(["quantize", model, "--calib", "random", "-o", model], 2, /the output model .* is the model .*: writing it would destroy an input/);
    await refused(["convert", model, "-o", model], 2, /writing it would destroy an input/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a report over a file tinyml did not write is refused; one it wrote is replaced", async () => {
    const dir = scratch("report");
    const mine = join(dir, "index.html");
    writeFileSync(mine, "<html>my page</html>");
    await refused(["test", modelPath("hello_world_int8"), "--random", "1", "--report", mine, "--build-dir", join(dir, "b")], 2, /exists and was not written by tinyml/);
    expect(readFileSync(mine, "utf8")).toBe("<html>my page</html>");
  });

  it("build into a directory of the user's: refused, then with --force beside the user's files", async () => {
    const out = scratch("force");
    writeFileSync(join(out, "README.txt"), "my notes\n");
    await refused(["build", modelPath("hello_world_int8"), "-o", out], 2, /holds files tinyml did not write .*README\.txt/);
    const r = await tinyml(["build", modelPath("hello_world_int8"), "-o", out, "--force"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(join(out, "README.txt"), "utf8")).toBe("my notes\n");
    const record = JSON.parse(readFileSync(join(out, ".tinyml-output.json"), "utf8")) as { entries: string[] };
    expect(record.entries).toContain("firmware");
    expect(record.entries).not.toContain("README.txt");
    // The next build replaces only tinyml's own entries (still with --force: the user's file is there).
    const again = await tinyml(["build", modelPath("hello_world_int8"), "-o", out, "--force"]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(readFileSync(join(out, "README.txt"), "utf8")).toBe("my notes\n");
  });
});

describe("read-only filesystems are named as such", () => {
  let ro = "";
  beforeAll(async () => {
    // A read-only mount needs root (CI runs as root); elsewhere the tests say why they skip.
    if (process.getuid?.() !== 0) return;
    ro = scratch("ro");
    const r = await execa("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro], { reject: false });
    if (r.exitCode !== 0) {
      if (process.env.CI === "true") throw new Error(`cannot mount a read-only tmpfs for the test: ${r.stderr}`);
      ro = "";
    }
  });
  afterAll(async () => {
    if (ro) await execa("umount", [ro], { reject: false });
  });

  it("build -o on a read-only filesystem fails at once", async (ctx) => {
    if (!ro) return ctx.skip();
    await refused(["build", modelPath("hello_world_int8"), "-o", join(ro, "out")], 2, new RegExp(`cannot write the build directory ${ro}/out: ${ro} is mounted read-only`));
    expect(existsSync(join(ro, "out"))).toBe(false);
  });

  it("test --report on a read-only filesystem fails before building", async (ctx) => {
    if (!ro) return ctx.skip();
    await refused(["test", modelPath("hello_world_int8"), "--random", "1", "--report", join(ro, "r.html"), "--build-dir", join(scratch("b"), "b")], 2, /is mounted read-only/);
  });
});
