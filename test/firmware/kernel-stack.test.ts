// The int8 kernels keep their buffers in caller-owned scratch (planned in the
// arena), not on the stack: the deepest call chain of every int8 entry point,
// from GCC's call-graph dump for the Cortex-M4 build, stays under 1 KB.
// (With the conv buffers on the stack CONV_2D needed 1848 bytes and
// DEPTHWISE_CONV_2D, which runs single-channel filters through CONV_2D, 3168.)
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { execa } from "execa";
import { requireTool } from "../cli.js";
import { ARM_INSTALL_HINT, STRICT_FLAGS, TARGETS, kernelSources, kernelsDir, scratchDir } from "./kernels.js";
import { readCallGraphs, stackDepth } from "./stack-depth.js";

const dir = scratchDir("kernel-stack");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bound: a few hundred bytes of spills and struct copies per frame, no buffers. */
const MAX_STACK = 1024;

it("every int8 kernel's deepest call chain on Cortex-M4 stays under 1 KB of stack", async () => {
  if (!(await requireTool("arm-none-eabi-gcc", ARM_INSTALL_HINT))) return;
  const m4 = TARGETS.find((t) => t.name.startsWith("cortex-m4"))!;
  for (const src of kernelSources()) {
    const obj = join(dir, src.split("/").pop()!.replace(/\.c$/, ".o"));
    const r = await execa(m4.compiler, [...STRICT_FLAGS, ...m4.flags, "-fcallgraph-info=su", `-I${kernelsDir}`, "-c", src, "-o", obj], { cwd: dir, reject: false });
    expect(r.stderr, src).toBe("");
  }
  const graph = readCallGraphs(readdirSync(dir).filter((f) => f.endsWith(".ci")).map((f) => join(dir, f)));
  const entries = [...graph.frames.keys()].filter((f) => /^tml_\w+_s8(_\w+)?$/.test(f) && !/_(scratch_size|select)$/.test(f));
  expect(entries).toEqual(expect.arrayContaining(["tml_conv2d_s8", "tml_depthwise_conv2d_s8", "tml_fully_connected_s8", "tml_mean_s8"]));
  const depths = entries.map((f) => ({ f, ...stackDepth(graph, f) })).sort((a, b) => b.bytes - a.bytes);
  console.log(depths.slice(0, 4).map((d) => `${d.f}: ${d.bytes} B (${d.path.map((p) => p.split(":").pop()).join(" > ")})`).join("\n"));
  for (const d of depths) expect(d.bytes, `${d.f}: ${d.path.join(" > ")}`).toBeLessThanOrEqual(MAX_STACK);
});
