// `tinyml test --wakeword` on a real board, rehearsed without one: the
// ESP32-S3 path runs for real (the ESP-IDF project is generated, idf.py
// builds it and esptool.py flashes it through the port: recording fakes
// here), and the port is a pty with the same wake-word app compiled for the
// host sitting on its far end, as the flashed board would. The run must
// build, flash through the port it then opens, and prove the frames equal.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { buildFirmware } from "../../src/firmware-project/build.js";
import { firmwareImage } from "../../src/firmware-project/image.js";
import { wakewordBuild } from "../../src/firmware-project/wakeword.js";
import { loadModel } from "../../src/model/load.js";
import type { TestReport } from "../../src/validate/report.js";
import { wakewordView } from "./report-view.js";
import { requireTool, tinyml } from "../cli.js";
import { execa, type ResultPromise } from "execa";
import { fixturesDir, modelPath } from "../fixtures.js";
import { FAKES_BIN, readFakeLog } from "../vendor/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "tinyml-ww-rig-"));
const CLASSIFIER = modelPath("micro_speech_quantized");
const FRONTEND = modelPath("audio_preprocessor_int8");
const tools = (await requireTool("python3", "apt-get install python3")) && (await requireTool("cc", "apt-get install gcc"));

/*
 * A pty whose slave nobody holds until a client opens it, like a board's
 * /dev/ttyACM0 (tinyml's flash step refuses a port another program has
 * open): a relay owns the master and carries bytes to and from the
 * firmware's stdio. The master reads EIO while no client is attached.
 */
const RELAY = `
import os, select, subprocess, sys, time, tty
m, s = os.openpty()
tty.setraw(s)
print(os.ttyname(s), flush=True)
os.close(s)
fw = subprocess.Popen([sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
while fw.poll() is None:
    r, _, _ = select.select([m, fw.stdout], [], [], 0.05)
    if fw.stdout in r:
        data = os.read(fw.stdout.fileno(), 4096)
        if not data: break
        try: os.write(m, data)
        except OSError: pass
    if m in r:
        try: data = os.read(m, 4096)
        except OSError: time.sleep(0.02); continue
        fw.stdin.write(data)
`;

async function boardOnPty(firmware: string): Promise<{ path: string; stop: () => Promise<void> }> {
  const relay: ResultPromise = execa("python3", ["-c", RELAY, firmware], { reject: false });
  const path = await new Promise<string>((resolve) => relay.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())));
  return { path, stop: async () => { relay.kill("SIGKILL"); await relay; } };
}

describe.skipIf(!tools)("tinyml test --wakeword on a vendor board (esp32s3, rehearsed on a pty)", () => {
  let device: { path: string; stop: () => Promise<void> };
  beforeAll(async () => {
    // The "board": the same app and models, built for the host, on a pty.
    const host = loadBoard("host");
    const ww = await wakewordBuild({ family: "host", runtime: "aot", model: await loadModel(CLASSIFIER), frontendPath: FRONTEND });
    await buildFirmware({ board: host, runtime: "aot", app: "wakeword", dir: join(dir, "host"), dryRun: false, verbose: false, progress: () => undefined, ...ww.parts });
    device = await boardOnPty(firmwareImage(host, join(dir, "host")));
    // A folder-per-keyword set: one "yes", one stretch of noise.
    for (const [folder, clip] of [["yes", "yes"], ["_background", "noise"]] as const) {
      mkdirSync(join(dir, "set", folder), { recursive: true });
      copyFileSync(join(fixturesDir, "models", `micro_speech_${clip}_1000ms.wav`), join(dir, "set", folder, `${clip}.wav`));
    }
  });
  afterAll(async () => device?.stop());

  it("builds with idf.py, flashes through --port, then streams over that port with equal frames", async () => {
    const log = join(dir, "calls.jsonl");
    writeFileSync(log, "");
    const build = join(dir, "esp");
    const r = await tinyml(
      ["test", "--wakeword", join(dir, "set"), "--board", "esp32s3", "--port", device.path, CLASSIFIER, "--frontend", FRONTEND, "--build-dir", build, "--json"],
      { env: { PATH: `${FAKES_BIN}${delimiter}${process.env.PATH}`, TINYML_FAKE_LOG: log, IDF_PATH: "/opt/esp-idf" } },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const calls = readFakeLog(log).map((c) => `${c.tool} ${c.argv.join(" ")}`).filter((c) => !/ (--)?version$/.test(c));
    expect(calls).toEqual([
      "idf.py set-target esp32s3",
      "idf.py build",
      `esptool.py --chip esp32s3 -p ${device.path} -b 460800 --before default_reset --after hard_reset write_flash @flash_args`,
    ]);
    const report = wakewordView(JSON.parse(r.stdout) as TestReport);
    expect(report.where).toBe(device.path);
    expect(report.status).toBe("pass");
    expect(report.clips.map((c) => [c.name, c.mismatches.length])).toEqual([["_background/noise.wav", 0], ["yes/yes.wav", 0]]);
    expect(report.clips[1]!.deviceEvents.map((e) => e.keyword)).toEqual(report.clips[1]!.hostEvents.map((e) => e.keyword));
  });
});
