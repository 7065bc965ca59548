// `tinyml test --board host`: the protocol app as a native process. The
// golden cases pass bit-exactly; stale firmware, a wrong expected value and
// a killed device each end with the exit code and message a rig relies on;
// shards partition the cases; a hardware map runs its boards in parallel.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { loadModel } from "../../src/model/load.js";
import { mainGraph } from "../../src/model/graph.js";
import { modelBaseName } from "../../src/codegen/aot/generate.js";
import { referenceExpectations } from "../../src/validate/expected.js";
import { casesFromFiles } from "../../src/validate/inputs.js";
import { statusExitCode } from "../../src/validate/report.js";
import { runTest } from "../../src/validate/runner.js";
import { findFirmware } from "../../src/session/firmware.js";
import { requireTool, tinyml } from "../cli.js";
import { expectAllGoldenPass, goldenCases, goldenInputs, modelPath, scratch, testJson } from "./helpers.js";

const haveCc = (): Promise<boolean> => requireTool("cc", "apt-get install gcc");

describe("tinyml test --board host", () => {
  for (const model of ["hello_world_int8", "micro_speech_quantized", "person_detect"]) {
    it(`passes every golden case of ${model} bit-exactly, with latency`, async (ctx) => {
      if (!(await haveCc())) return ctx.skip();
      const run = await testJson(["--board", "host", modelPath(model), "--inputs", goldenInputs, "--build-dir", scratch(`host-${model}`)]);
      expectAllGoldenPass(run, model, { instructions: false });
      expect(run.report.boards[0]!.latency!.clockHz).toBe(1e9);
    });
  }

  describe("with one prebuilt hello_world_int8 firmware", () => {
    let dir = "";
    beforeAll(async () => {
      if (!(await haveCc())) return;
      dir = scratch("host-prebuilt");
      const r = await tinyml(["build", "--board", "host", modelPath("hello_world_int8"), "-o", dir]);
      if (r.exitCode !== 0) throw new Error(r.stderr);
    });

    it("fails (exit 1) on stale firmware, naming both model hashes and how to rebuild", async (ctx) => {
      if (!dir) return ctx.skip();
      const run = await testJson(["--board", "host", "--no-build", "--build-dir", dir, modelPath("micro_speech_quantized"), "--random", "2"]);
      expect(run.exitCode).toBe(1);
      const check = run.report.boards[0]!.checks.find((c) => c.name === "model hash")!;
      expect(check.status).toBe("fail");
      const built = (await loadModel(modelPath("hello_world_int8"))).sha256;
      const given = (await loadModel(modelPath("micro_speech_quantized"))).sha256;
      expect(check.message).toContain(built);
      expect(check.message).toContain(given);
      expect(check.message).toContain("tinyml build --board host");
      expect(run.report.boards[0]!.cases).toEqual([]);
    });

    it("fails a case whose expected output differs, naming output, element, expected and actual", async (ctx) => {
      if (!dir) return ctx.skip();
      const loaded = await loadModel(modelPath("hello_world_int8"));
      const cases = await casesFromFiles([goldenInputs], mainGraph(loaded.model), modelBaseName(loaded.path));
      const honest = referenceExpectations(loaded);
      // The reference, with one value of one case corrupted: the device must be caught disagreeing.
      const corrupted = {
        outputs: (c: (typeof cases)[number]) => {
          const out = honest.outputs(c).map((b) => b.slice());
          if (c.name === "hello_world_int8.zeros") out[0]![0] = (out[0]![0]! + 1) & 0xff;
          return out;
        },
        floatOutputs: () => undefined,
      };
      const withSession = { ...corrupted, session: () => ({ outputs: corrupted.outputs, reset: () => undefined }) };
      const board = loadBoard("host");
      const report = await runTest([{ id: "host", board, firmware: findFirmware(board, dir, { app: "inference", rebuild: "n/a" }) }], {
        kind: "inference", loaded, cases, expect: withSession, runs: 1, warmup: 0, profile: false,
      }, { session: {}, model: { path: loaded.path, sha256: loaded.sha256, format: loaded.format } });
      expect(statusExitCode(report.status)).toBe(1);
      const failed = report.boards[0]!.cases.filter((c) => c.status === "fail");
      expect(failed.map((c) => c.name)).toEqual(["hello_world_int8.zeros"]);
      const actual = honest.outputs(cases.find((c) => c.name === "hello_world_int8.zeros")!)[0]!;
      const actualValue = new Int8Array(actual.buffer, actual.byteOffset, 1)[0]!;
      const expectedValue = ((actualValue + 1 + 128) & 0xff) - 128;
      expect(failed[0]!.outputs[0]!.firstMismatch).toEqual({ element: 0, expected: expectedValue, actual: actualValue });
      expect(failed[0]!.error!.message).toContain(`output 0 '`);
      expect(failed[0]!.error!.message).toContain(`element 0: expected ${expectedValue}, got ${actualValue}`);
    });

    it("splits cases with --shard 1/2 and 2/2: every case exactly once", async (ctx) => {
      if (!dir) return ctx.skip();
      const names = await Promise.all(["1/2", "2/2"].map(async (s) => {
        const run = await testJson(["--board", "host", "--no-build", "--build-dir", dir, modelPath("hello_world_int8"), "--inputs", goldenInputs, "--shard", s]);
        expect(run.exitCode, run.stderr).toBe(0);
        expect(run.report.shard).toBe(s);
        return run.report.boards[0]!.cases.map((c) => c.name);
      }));
      const all = goldenCases("hello_world_int8").sort();
      expect([...names[0]!, ...names[1]!].sort()).toEqual(all);
      expect(names[0]!.filter((n) => names[1]!.includes(n))).toEqual([]);
      expect(Math.abs(names[0]!.length - names[1]!.length)).toBeLessThanOrEqual(1);
    });

    it("runs every board of a hardware map in parallel", async (ctx) => {
      if (!dir) return ctx.skip();
      const map = join(scratch("rig"), "rig.yaml");
      writeFileSync(map, [
        "# two host 'boards', twister style",
        "- id: bench-a",
        "  platform: host",
        "  connected: true",
        "  product: native",
        "  runner: none",
        "- id: bench-b",
        "  platform: host",
        "  connected: true",
        "- id: bench-c   # unplugged today",
        "  platform: host",
        "  connected: false",
        "",
      ].join("\n"));
      const run = await testJson(["--hardware-map", map, "--no-build", "--build-dir", dir, modelPath("hello_world_int8"), "--random", "40", "--runs", "20"]);
      expect(run.exitCode, run.stderr).toBe(0);
      const boards = run.report.boards;
      expect(boards.map((b) => b.id)).toEqual(["bench-a", "bench-b"]);
      expect(boards.every((b) => b.status === "pass" && b.cases.length === 40)).toBe(true);
      const span = boards.map((b) => [Date.parse(b.startedAt!), Date.parse(b.startedAt!) + b.durationMs] as const);
      expect(span[0]![0] < span[1]![1] && span[1]![0] < span[0]![1]).toBe(true);
      expect(boards[0]!.port).not.toBe(boards[1]!.port);
    });
  });

  it("ends with exit 5 within the timeout when the device is killed mid-run", async (ctx) => {
    if (!(await haveCc())) return ctx.skip();
    const dir = scratch("host-killed");
    const pidfile = join(dir, "device.pid");
    const started = Date.now();
    const running = testJson(["--board", "host", "--build-dir", dir, modelPath("person_detect"), "--random", "50", "--runs", "20"], { TML_HOST_PIDFILE: pidfile });
    while (!existsSync(pidfile)) {
      if (Date.now() - started > 60_000) throw new Error("the device never started");
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 500));
    const killedAt = Date.now();
    process.kill(Number(readFileSync(pidfile, "utf8").trim()), "SIGKILL");
    const run = await running;
    expect(run.exitCode).toBe(5);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    const b = run.report.boards[0]!;
    expect(b.status).toBe("infra");
    expect(b.error!.message).toMatch(/killed by SIGKILL|closed/);
  });
});
