// `tinyml test --bisect` on a deliberately perturbed kernel build: the host
// firmware is relinked with one kernel call wrapped (ld --wrap) so that it
// flips one bit of its output, and bisect must name that op — its index,
// type, the element and both values — while every op before it is equal.
// The same firmware unperturbed bisects clean.
import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { mainGraph } from "../../src/model/graph.js";
import { opTypeName } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import type { TestReport } from "../../src/validate/report.js";
import { requireTool, tinyml } from "../cli.js";
import { modelPath } from "../fixtures.js";

const MODEL = modelPath("micro_speech_quantized");

/** The kernel function model.c calls for op `index`, and how many arguments it takes. */
function kernelCallOf(modelC: string, index: number): { fn: string; args: number } {
  const block = modelC.split(`/* op ${index}: `)[1]!.split("/* op ")[0]!;
  const m = /status = (tml_\w+)\(([^;]*)\);/.exec(block)!;
  return { fn: m[1]!, args: m[2]!.split(",").length };
}

describe("--bisect names the first op a perturbed kernel build gets wrong", () => {
  let dir = "";
  let ready = false;
  beforeAll(async () => {
    ready = await requireTool("cc", "apt-get install gcc");
    if (!ready) return;
    dir = join(mkdtempSync(join(tmpdir(), "tinyml-bisect-")), "host");
    const r = await tinyml(["build", MODEL, "-o", dir]);
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it("an unperturbed build: every op equals the reference", async (ctx) => {
    if (!ready) return ctx.skip();
    const r = await tinyml(["test", MODEL, "--no-build", "--build-dir", dir, "--random", "1", "--bisect", "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const run = (JSON.parse(r.stdout) as TestReport).boards[0]!;
    expect(run.bisect).toEqual({ case: "random-1-0", checkedOps: mainGraph((await loadModel(MODEL)).model).ops.length });
  });

  it("a kernel that flips one output bit: its op is named, with the element and both values", async (ctx) => {
    if (!ready) return ctx.skip();
    const g = mainGraph((await loadModel(MODEL)).model);
    const target = g.ops.findIndex((op) => opTypeName(op) === "FULLY_CONNECTED");
    const call = kernelCallOf(readFileSync(join(dir, "model.c"), "utf8"), target);
    // The kernels write their output through their last argument (tml_kernels.h).
    const params = Array.from({ length: call.args }, (_, i) => `void *a${i}`).join(", ");
    const names = Array.from({ length: call.args }, (_, i) => `a${i}`).join(", ");
    writeFileSync(join(dir, "perturb.c"), [
      `int __real_${call.fn}(${params});`,
      `int __wrap_${call.fn}(${params}) {`,
      `  int status = __real_${call.fn}(${names});`,
      `  ((signed char *)a${call.args - 1})[1] ^= 1;`,
      "  return status;",
      "}",
      "",
    ].join("\n"));
    await execa("cc", ["-O2", "-c", "perturb.c", "-o", "obj/perturb.o"], { cwd: dir });
    // The firmware's own link line from the generated Makefile, plus the wrapper.
    const makefile = readFileSync(join(dir, "Makefile"), "utf8");
    const link = /^firmware:.*\n\t(.*)$/m.exec(makefile)![1]!;
    await execa("sh", ["-c", `${link} obj/perturb.o -Wl,--wrap=${call.fn}`], { cwd: dir });

    const r = await tinyml(["test", MODEL, "--no-build", "--build-dir", dir, "--random", "1", "--bisect", "--json"]);
    expect(r.exitCode, r.stderr).toBe(1);
    const run = (JSON.parse(r.stdout) as TestReport).boards[0]!;
    const d = run.bisect!.divergence!;
    expect(d.op).toBe(target);
    expect(d.type).toBe("FULLY_CONNECTED");
    expect(d.tensor).toBe(g.ops[target]!.outputs[0]);
    expect(d.element).toBe(1);
    expect(d.actual).toBe((((d.expected & 0xff) ^ 1) << 24) >> 24);
    expect(d.mismatches).toBe(1);
    expect(run.bisect!.checkedOps).toBe(target + 1);
    // The op's parameters as the reference prepared them (what the kernel was given).
    expect(d.params).toMatchObject({ outputOffset: expect.any(Number) });
    const text = await tinyml(["test", MODEL, "--no-build", "--build-dir", dir, "--random", "1", "--bisect"]);
    expect(text.stdout).toMatch(new RegExp(`bisect \\(random-1-0\\): op ${target} FULLY_CONNECTED is the first to differ: .*element 1: expected -?\\d+, got -?\\d+ \\(1 of \\d+ elements differ\\)`));
  });
});
