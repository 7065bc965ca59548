// The daily flow from a project file, as a new user runs it in a fresh
// directory: `tinyml init MODEL`, then `tinyml build`, `tinyml test` and
// `tinyml monitor` with no model or board on the command line; an
// environment (`-e listen`) switches the same project to the wake-word app.
import { execa } from "execa";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readWav, writeWav } from "../../src/audio/wav.js";
import { repoRoot, requireTool, tinyml } from "../cli.js";
import { fixturesDir, modelPath } from "../fixtures.js";
import { waitFor } from "../lifecycle/processes.js";

const hasCc = await requireTool("cc", "apt-get install gcc");

describe.skipIf(!hasCc)("a project driven from tinyml.yaml", () => {
  it("inits, builds, tests and monitors with nothing but the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyml-workflow-"));
    mkdirSync(join(dir, "models"));
    copyFileSync(modelPath("micro_speech_quantized"), join(dir, "models", "kws.tflite"));
    const run = (args: string[], env?: Record<string, string>) => tinyml(args, { cwd: dir, ...(env ? { env } : {}) });

    const init = await run(["init", "models/kws.tflite", "--board", "host"]);
    expect(init.exitCode, init.stderr).toBe(0);
    const yaml = readFileSync(join(dir, "tinyml.yaml"), "utf8");
    expect(yaml).toMatch(/^# yaml-language-server: \$schema=.*tinyml\.schema\.json\n/);
    expect(yaml).toMatch(/^model: models\/kws\.tflite$/m);
    expect(yaml).toMatch(/^board: host\b/m);
    // init never replaces the user's file.
    const again = await run(["init", "models/kws.tflite"]);
    expect(again.exitCode).toBe(2);
    expect(readFileSync(join(dir, "tinyml.yaml"), "utf8")).toBe(yaml);
    appendFileSync(join(dir, "tinyml.yaml"), "environments:\n  listen:\n    app: wakeword\n    build-dir: build/listen\n");

    const build = await run(["build"]);
    expect(build.exitCode, build.stderr).toBe(0);
    expect(existsSync(join(dir, "build", "firmware", "firmware")), `${build.stdout}\n${build.stderr}`).toBe(true);

    const test = await run(["test", "--no-build", "--json"]);
    expect(test.exitCode, test.stderr).toBe(0);
    const report = JSON.parse(test.stdout) as { status: string; boards: Array<{ id: string; cases: unknown[] }> };
    expect(report.status).toBe("pass");
    expect(report.boards.map((b) => [b.id, b.cases.length])).toEqual([["host", 10]]); // random: 10 from init's template

    const listen = await run(["build", "-e", "listen"]);
    expect(listen.exitCode, listen.stderr).toBe(0);
    expect(listen.stdout).toMatch(/wakeword app/);

    const clip = readWav(`${fixturesDir}models/micro_speech_yes_1000ms.wav`).samples;
    const audio = new Int16Array(clip.length * 3);
    audio.set(clip, clip.length);
    writeWav(join(dir, "mic.wav"), audio);
    const mon = execa("node", [join(repoRoot, "bin", "tinyml.js"), "monitor", "-e", "listen"], {
      cwd: dir, env: { TML_MIC: join(dir, "mic.wav") }, reject: false, stdin: "pipe", encoding: "latin1",
    });
    let out = "";
    mon.stdout!.on("data", (d: Buffer) => (out += d.toString("latin1")));
    await waitFor(() => (/wakeword: microphone ended\n/.test(out) ? true : undefined), () => (mon.exitCode != null ? `monitor exited ${mon.exitCode}: ${out}` : undefined));
    expect(out).toMatch(/^wakeword: yes score=\d+ time_ms=\d+\n  -> keyword 'yes' at \d\.\d{3} s, score \d+ of 255$/m);
    mon.kill("SIGTERM");
    expect((await mon).exitCode).toBe(0);
  });
});
