// The host board end to end: `tinyml build --board host` compiles a native
// executable; on every golden case it must print exactly TFLM's outputs and
// exactly the reference interpreter's.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { typedView } from "../../src/model/dtype.js";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import { requireTool, tinyml } from "../cli.js";
import { goldenInput, loadGolden, modelPath, fixturesDir, type SharedModel } from "../fixtures.js";

const MODELS: SharedModel[] = ["hello_world_int8", "micro_speech_quantized", "person_detect", "hello_world_float"];

interface BuildResult {
  image?: string;
  harness?: string;
  memory: { arenaBytes: number; lowerBoundBytes: number };
}

async function build(model: string, extra: string[] = [], env?: Record<string, string>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "tinyml-host-"));
  return tinyml(["build", "--board", "host", model, "-o", dir, "--json", ...extra], env ? { env } : {});
}

describe("host board, aot runtime", () => {
  it.each(MODELS)("%s: golden outputs exactly, equal to the reference", async (name) => {
    if (!(await requireTool("cc", "apt-get install gcc"))) return;
    const r = await build(modelPath(name));
    expect(r.stderr).not.toContain("error");
    expect(r.exitCode).toBe(0);
    const built = JSON.parse(r.stdout) as BuildResult;
    const golden = loadGolden(name);
    const interp = prepareReference((await loadModel(modelPath(name))).model);
    const times: number[] = [];
    for (const c of golden.cases) {
      const out = mkdtempSync(join(tmpdir(), "tinyml-out-"));
      const inputs = c.inputs.map((p) => `${fixturesDir}golden/${p}`);
      const run = await execa(built.harness!, ["-n", "5", "-o", out, ...inputs]);
      times.push(...(JSON.parse(run.stdout) as { invoke_ns: number[] }).invoke_ns);
      const reference = interp.invoke(c.inputs.map((p) => goldenInput(p)));
      c.outputs.forEach((o, k) => {
        const bytes = new Uint8Array(readFileSync(join(out, `${k}.bin`)));
        const values = Array.from(typedView(o.type === "float32" ? "float32" : "int8", bytes));
        // Golden floats are printed to 9 significant digits: exactly one float32 each.
        expect(values).toEqual(o.type === "float32" ? o.values.map(Math.fround) : o.values);
        expect(bytes).toEqual(new Uint8Array(reference[k]!.buffer, reference[k]!.byteOffset, reference[k]!.byteLength));
      });
    }
    times.sort((a, b) => a - b);
    console.log(`${name}: arena ${built.memory.arenaBytes} B, median invoke ${(times[times.length >> 1]! / 1000).toFixed(1)} µs over ${times.length}`);
  });

  it("reports a missing compiler with the command line and build directory", async () => {
    // A PATH holding only node: no cc anywhere.
    const bin = mkdtempSync(join(tmpdir(), "tinyml-nocc-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const r = await build(modelPath("hello_world_int8"), [], { PATH: bin });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain("error[TML_E_TOOLCHAIN_MISSING]: the host C compiler 'cc' was not found");
    expect(r.stderr).toMatch(/at: \/\S+tinyml-host-\S+: command: cc .*-std=c99/);
    expect(r.stderr).toContain("apt-get install gcc");
  });

  it("reports a failing compiler with its own message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyml-badcc-"));
    const cc = join(dir, "badcc");
    writeFileSync(cc, "#!/bin/sh\necho 'badcc: error: the compiler is broken' >&2\nexit 1\n");
    chmodSync(cc, 0o755);
    const r = await build(modelPath("hello_world_int8"), [], { ...process.env, CC: cc } as Record<string, string>);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain("error[TML_E_TOOLCHAIN_FAILED]");
    expect(r.stderr).toContain("badcc: error: the compiler is broken");
    expect(r.stderr).toContain("command: ");
    // The failed project is kept beside the output for a look, with its log.
    expect(r.stderr).toMatch(/at: \/\S+tinyml-host-\S+\.failed\/build\.log: command: /);
    expect(r.stderr).toMatch(/hint: Run the command in \/\S+\.failed to reproduce it/);
  });

  it("refuses an arena over --max-arena before compiling", async () => {
    const r = await build(modelPath("micro_speech_quantized"), ["--max-arena", "4096"]);
    expect(r.exitCode).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "TML_E_BUDGET_EXCEEDED" } });
  });

  it("names every op the runtime lacks", async () => {
    const r = await build(`${fixturesDir}unsupported/vendor_ops.tflite`);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain("error[TML_E_OP_UNSUPPORTED]: the aot runtime cannot run 2 ops");
    expect(r.stderr).toContain("op 3 CUSTOM:VendorRfft: supported by no tinyml runtime");
    expect(r.stderr).toContain("op 13 CUSTOM:VendorLog: supported by no tinyml runtime");
  });

  it("shows the memory plan in inspect", async () => {
    const r = await tinyml(["inspect", modelPath("person_detect"), "--json"]);
    // Op 3 (3x3 stride-2 DEPTHWISE_CONV_2D run in place, 384 B below its
    // 36864 B input) with its 128 B of scratch (see test/codegen/aot.test.ts)
    // is the peak, and the plan meets the lower bound.
    expect(JSON.parse(r.stdout).memory).toEqual({ arenaBytes: 37376, lowerBoundBytes: 37376 });
  });
});
