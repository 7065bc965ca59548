// `tinyml monitor` as a user runs it: the host wake-word firmware listening
// to a recording (its detections decoded as the host reference hears them),
// a bare-metal crash on QEMU decoded to the function and line that faulted,
// and an emulator kept by `tinyml flash --keep` that the monitor attaches to
// and leaves running. Each run ends the way users end it: a signal, exit 0,
// nothing left behind.
import { execa, type ResultPromise } from "execa";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readWav, writeWav } from "../../src/audio/wav.js";
import { loadBoard } from "../../src/boards/load.js";
import { ExitCodes } from "../../src/errors.js";
import { buildFirmware } from "../../src/firmware-project/build.js";
import { wakewordBuild } from "../../src/firmware-project/wakeword.js";
import { loadModel } from "../../src/model/load.js";
import { prepareWakewordModels, runWakeword } from "../../src/wakeword/pipeline.js";
import { buildApp, haveQemu } from "../baremetal/images.js";
import { repoRoot, requireTool, tinyml } from "../cli.js";
import { fixturesDir, modelPath } from "../fixtures.js";
import { alive, descendants, waitFor } from "../lifecycle/processes.js";

const dir = mkdtempSync(join(tmpdir(), "tinyml-monitor-"));
const bin = join(repoRoot, "bin", "tinyml.js");

/** A running `tinyml …` with its stdout collected as it comes. */
function start(args: string[], env: Record<string, string> = {}): { p: ResultPromise; out: () => string; err: () => string } {
  const p = execa("node", [bin, ...args], { cwd: repoRoot, env, reject: false, stdin: "pipe", encoding: "latin1" });
  let out = "";
  let err = "";
  p.stdout!.on("data", (d: Buffer) => (out += d.toString("latin1")));
  p.stderr!.on("data", (d: Buffer) => (err += d.toString("latin1")));
  return { p, out: () => out, err: () => err };
}

/** Waits until `text()` matches, or fails with what arrived once the process is gone. */
function until(run: { p: ResultPromise; out: () => string; err: () => string }, pattern: RegExp, text = run.out): Promise<RegExpExecArray> {
  return waitFor(() => pattern.exec(text()) ?? undefined, () => (run.p.exitCode !== null && run.p.exitCode !== undefined
    ? `tinyml exited ${run.p.exitCode} before ${pattern}:\n${run.out()}\n${run.err()}` : undefined));
}

const hasCc = await requireTool("cc", "apt-get install gcc");

describe.skipIf(!hasCc)("tinyml monitor on the host board", () => {
  const clip = (name: string): Int16Array => readWav(`${fixturesDir}models/micro_speech_${name}_1000ms.wav`).samples;
  const parts = ["silence", "yes", "noise", "no", "silence"].map(clip);
  const audio = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (audio.set(p, at), at + p.length), 0);
  let expected: string[];
  beforeAll(async () => {
    const board = loadBoard("host");
    const ww = await wakewordBuild({ family: "host", runtime: "aot", model: await loadModel(modelPath("micro_speech_quantized")), frontendPath: modelPath("audio_preprocessor_int8") });
    await buildFirmware({ board, runtime: "aot", app: "wakeword", dir: join(dir, "host"), dryRun: false, verbose: false, progress: () => undefined, ...ww.parts });
    expected = runWakeword(prepareWakewordModels(ww.frontend.model, ww.classifier.model, ww.labels), audio).events
      .map((e) => `  -> keyword '${e.keyword}' at ${(e.timeMs / 1000).toFixed(3)} s, score ${e.score} of 255`);
    writeWav(join(dir, "mic.wav"), audio);
  });

  it("runs the firmware, decodes the host reference's detections, and ends on SIGTERM with exit 0", async () => {
    expect(expected).toHaveLength(2);
    const run = start(["monitor", "--board", "host", "--build-dir", join(dir, "host")], { TML_MIC: join(dir, "mic.wav") });
    await until(run, /wakeword: microphone ended\n/);
    expect(run.err()).toMatch(/^monitoring Host \(native executable\) on host process \d+\n/);
    expect(run.out().split("\n").filter((l) => l.startsWith("  -> "))).toEqual(expected);
    // Each decoding follows the line it decodes.
    expect(run.out()).toMatch(/wakeword: yes score=\d+ time_ms=\d+\n  -> keyword 'yes'/);
    const firmware = descendants(run.p.pid!).filter((c) => c.command.endsWith("/firmware"));
    expect(firmware).toHaveLength(1);
    run.p.kill("SIGTERM");
    const r = await run.p;
    expect(r.exitCode).toBe(0);
    expect(alive(firmware[0]!.pid)).toBe(false);
  });

  it("refuses --json and a build directory without firmware", async () => {
    const json = await tinyml(["monitor", "--board", "host", "--build-dir", join(dir, "host"), "--json"]);
    expect(json.exitCode).toBe(ExitCodes.usage);
    expect(json.stderr).toMatch(/no JSON document to give/);
    const none = await tinyml(["monitor", "--board", "host", "--build-dir", join(dir, "nothing")]);
    expect(none.exitCode).toBe(ExitCodes.input);
    expect(none.stderr).toMatch(/no firmware for host at .*nothing.*\n.*hint: Build it: `tinyml build --board host MODEL/s);
    expect(none.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe("tinyml monitor on an emulated board", () => {
  let ready = false;
  beforeAll(async () => {
    ready = await haveQemu();
  });

  it("names the function and source line a bare-metal fault happened in", async (ctx) => {
    if (!ready) return ctx.skip();
    const image = await buildApp(loadBoard("qemu-m4"), "monitor_fault_app.c", join(dir, "fault"));
    const r = await tinyml(["monitor", "--board", "qemu-m4", "--build-dir", join(dir, "fault")]);
    expect(r.stdout).toContain("sensor: reading the status register\n");
    // The bus fault escalates to HardFault (BusFault is not enabled): HFSR says so.
    expect(r.stdout).toMatch(/\*\*\* tinyml: HardFault at pc=0x[0-9a-f]{8} lr=0x[0-9a-f]{8} cfsr=0x[0-9a-f]{8} hfsr=0x40000000/);
    expect(r.stdout).toMatch(/  -> HardFault \(CFSR 0x[0-9a-f]{8}: .*precise data bus error; escalated from a configurable fault\)\n/);
    expect(r.stdout).toMatch(/  -> pc 0x[0-9a-f]{8} in read_sensor_register at .*monitor_fault_app\.c:13$/m);
    expect(r.stdout).toMatch(/  -> lr 0x[0-9a-f]{8} in main at .*monitor_fault_app\.c:21$/m);
    // The device stopping on its own is not a normal end: exit code and cause on stderr.
    expect(r.exitCode).toBe(ExitCodes.infra);
    expect(r.stderr).toMatch(/qemu-m4 stopped: QEMU exited \(code 250: the firmware faulted\)/);
    expect(image.elf).toBe(join(dir, "fault", "firmware.elf"));
  });

  it("attaches to the emulator flash --keep runs and leaves it running", async (ctx) => {
    if (!ready) return ctx.skip();
    const b = await tinyml(["build", "--board", "qemu-m4", modelPath("hello_world_int8"), "--build-dir", join(dir, "kept")]);
    expect(b.exitCode, b.stderr).toBe(0);
    const keep = start(["flash", "--board", "qemu-m4", "--build-dir", join(dir, "kept"), "--keep"]);
    const port = (await until(keep, /serial: (\S+) \(the emulator keeps running/))[1]!;
    const qemu = descendants(keep.p.pid!).filter((c) => c.command.includes("qemu-system-arm"));
    expect(qemu).toHaveLength(1);
    const mon = start(["monitor", "--board", "qemu-m4", "--build-dir", join(dir, "kept")]);
    await until(mon, /monitoring .* on (\S+) \(kept by tinyml flash --keep\)\n/, mon.err);
    expect(mon.err()).toContain(port);
    mon.p.kill("SIGTERM");
    expect((await mon.p).exitCode).toBe(0);
    expect(alive(qemu[0]!.pid)).toBe(true);
    keep.p.kill("SIGTERM");
    expect((await keep.p).exitCode).toBe(0);
    expect(alive(qemu[0]!.pid)).toBe(false);
  });
});
