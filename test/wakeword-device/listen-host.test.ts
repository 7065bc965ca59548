// The wake-word app without a host: the host board's microphone (TML_MIC, a
// WAV or raw PCM file standing in for arecord's FIFO) feeds the firmware's
// own pipeline, and the detections it prints as text lines must be the host
// reference's events: same keyword, same score, same audio time.
import { execa } from "execa";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readWav, writeWav } from "../../src/audio/wav.js";
import { loadBoard } from "../../src/boards/load.js";
import { buildFirmware } from "../../src/firmware-project/build.js";
import { firmwareImage } from "../../src/firmware-project/image.js";
import { wakewordBuild } from "../../src/firmware-project/wakeword.js";
import { loadModel } from "../../src/model/load.js";
import type { WakewordEvent } from "../../src/wakeword/events.js";
import { prepareWakewordModels, runWakeword } from "../../src/wakeword/pipeline.js";
import { requireTool } from "../cli.js";
import { fixturesDir, modelPath } from "../fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "tinyml-listen-"));
const clip = (name: string): Int16Array => readWav(`${fixturesDir}models/micro_speech_${name}_1000ms.wav`).samples;

/** 7 s: yes, no and yes again between silence and noise. */
function stream(): Int16Array {
  const parts = ["silence", "yes", "noise", "no", "silence", "yes", "silence"].map(clip);
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** Runs the firmware with TML_MIC=source until the microphone ends; its stdout (frames and text) as latin1. */
async function listen(image: string, source: string): Promise<{ stdout: string; stderr: string }> {
  const p = execa(image, [], { env: { TML_MIC: source }, stdin: "pipe", encoding: "latin1", reject: false, timeout: 60_000 });
  let out = "";
  await new Promise<void>((done) => {
    p.stdout!.on("data", (d: Buffer) => {
      out += d.toString("latin1");
      if (/wakeword: microphone ended\n/.test(out)) done();
    });
    p.on("exit", () => done());
  });
  p.stdin!.end(); // end of the serial line: the firmware exits
  const r = await p;
  return { stdout: out, stderr: String(r.stderr) };
}

function printedEvents(stdout: string): WakewordEvent[] {
  return [...stdout.matchAll(/wakeword: (\S+) score=(\d+) time_ms=(\d+)\n/g)].map((m) => ({
    keyword: m[1]!, score: Number(m[2]), timeMs: Number(m[3]), index: -1,
  }));
}

const hasCc = await requireTool("cc", "apt-get install gcc");

describe.skipIf(!hasCc)("--app wakeword listening to the host board's microphone", () => {
  let image: string;
  let expected: WakewordEvent[];
  const audio = stream();
  beforeAll(async () => {
    const board = loadBoard("host");
    const ww = await wakewordBuild({ family: "host", runtime: "aot", model: await loadModel(modelPath("micro_speech_quantized")), frontendPath: modelPath("audio_preprocessor_int8") });
    await buildFirmware({ board, runtime: "aot", app: "wakeword", dir: join(dir, "build"), dryRun: false, verbose: false, progress: () => undefined, ...ww.parts });
    image = firmwareImage(board, join(dir, "build"));
    expected = runWakeword(prepareWakewordModels(ww.frontend.model, ww.classifier.model, ww.labels), audio).events.map((e) => ({ ...e, index: -1 }));
  });

  it("prints the host reference's events for a WAV, and for the same audio as raw PCM", async () => {
    expect(expected.map((e) => e.keyword)).toEqual(["yes", "no", "yes"]);
    writeWav(join(dir, "mic.wav"), audio);
    const wav = await listen(image, join(dir, "mic.wav"));
    expect(wav.stdout).toContain("wakeword: listening\n");
    expect(printedEvents(wav.stdout)).toEqual(expected);
    writeFileSync(join(dir, "mic.raw"), new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength));
    expect(printedEvents((await listen(image, join(dir, "mic.raw"))).stdout)).toEqual(expected);
  });

  it("refuses a WAV in another format on stderr and does not listen", async () => {
    const bad = new Uint8Array(44 + 320);
    const v = new DataView(bad.buffer);
    bad.set(new TextEncoder().encode("RIFF"), 0);
    v.setUint32(4, 36 + 320, true);
    bad.set(new TextEncoder().encode("WAVEfmt "), 8);
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true);
    v.setUint16(22, 2, true); // stereo
    v.setUint32(24, 44100, true);
    v.setUint32(28, 44100 * 4, true);
    v.setUint16(32, 4, true);
    v.setUint16(34, 16, true);
    bad.set(new TextEncoder().encode("data"), 36);
    v.setUint32(40, 320, true);
    writeFileSync(join(dir, "stereo.wav"), bad);
    const p = execa(image, [], { env: { TML_MIC: join(dir, "stereo.wav") }, input: "", encoding: "latin1", reject: false, timeout: 20_000 });
    const r = await p;
    expect(String(r.stderr)).toMatch(/stereo\.wav is not 16 kHz mono 16-bit PCM \(convert: sox/);
    expect(String(r.stdout)).not.toContain("wakeword: listening");
  });
});
