// The WAV reader: TFLM's clips read to the same samples as the golden raw
// PCM; chunk walking (LIST, odd sizes, extensible fmt); and every bad input
// of issue 7 refused with TML_E_* naming the file and the sox fix.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { encodeWav, parseWav, readWav, writeWav } from "../../src/audio/wav.js";
import { TinymlError } from "../../src/errors.js";
import { requireTool } from "../cli.js";
import { fixturesDir } from "../fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "tinyml-wav-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  out.set(Buffer.from(id, "latin1"));
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

function riff(chunks: Uint8Array[], sizeDelta = 0): Uint8Array {
  const body = Buffer.concat([Buffer.from("WAVE"), ...chunks]);
  const out = Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), body]);
  out.writeUInt32LE(body.length + sizeDelta, 4);
  return new Uint8Array(out);
}

function fmt({ tag = 1, channels = 1, rate = 16000, bits = 16, extensibleSub }: { tag?: number; channels?: number; rate?: number; bits?: number; extensibleSub?: number }): Uint8Array {
  const b = Buffer.alloc(extensibleSub === undefined ? 16 : 40);
  const align = (channels * bits) / 8;
  b.writeUInt16LE(extensibleSub === undefined ? tag : 0xfffe, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE(rate * align, 8);
  b.writeUInt16LE(align, 12);
  b.writeUInt16LE(bits, 14);
  if (extensibleSub !== undefined) {
    b.writeUInt16LE(22, 16);
    b.writeUInt16LE(bits, 18);
    b.writeUInt32LE(channels === 1 ? 4 : 3, 20);
    b.writeUInt16LE(extensibleSub, 24); // GUID 0000xxxx-0000-0010-8000-00aa00389b71
    Buffer.from("000000001000800000aa00389b71", "hex").copy(b, 26);
  }
  return new Uint8Array(b);
}

const pcm = (values: number[]): Uint8Array => new Uint8Array(Int16Array.from(values).buffer);

function refusal(bytes: Uint8Array, name: string): TinymlError {
  try {
    parseWav(bytes, name);
  } catch (e) {
    if (e instanceof TinymlError) return e;
    throw e;
  }
  throw new Error(`${name} was accepted`);
}

describe("reading", () => {
  it.each(["yes_1000ms", "no_1000ms", "silence_1000ms", "noise_1000ms", "yes_30ms", "no_30ms"])("micro_speech_%s.wav equals the golden raw PCM", (clip) => {
    const { samples, format } = readWav(`${fixturesDir}models/micro_speech_${clip}.wav`);
    const raw = readFileSync(`${fixturesDir}golden/inputs/micro_speech_${clip}.pcm16.bin`);
    expect(format).toMatchObject({ formatTag: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 });
    expect(Buffer.from(samples.buffer)).toEqual(raw);
  });

  it("round-trips what it writes", () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    const path = join(dir, "rt.wav");
    writeWav(path, samples);
    expect(readFileSync(path).length).toBe(44 + 12);
    expect(Array.from(readWav(path).samples)).toEqual(Array.from(samples));
  });

  it("skips LIST and odd-sized chunks, honouring the pad byte", () => {
    const bytes = riff([chunk("LIST", new Uint8Array(Buffer.from("INFOISFT\x03\x00\x00\x00ab\x00"))), chunk("fmt ", fmt({})), chunk("junk", new Uint8Array(3)), chunk("data", pcm([5, -6, 7]))]);
    expect(Array.from(parseWav(bytes, "list.wav").samples)).toEqual([5, -6, 7]);
  });

  it("accepts WAVE_FORMAT_EXTENSIBLE holding 16 kHz mono 16-bit PCM", () => {
    const bytes = riff([chunk("fmt ", fmt({ extensibleSub: 1 })), chunk("data", pcm([1, 2]))]);
    const wav = parseWav(bytes, "ext.wav");
    expect(wav.format.extensible).toBe(true);
    expect(Array.from(wav.samples)).toEqual([1, 2]);
  });

  it("ignores bytes after the RIFF chunk", () => {
    const bytes = Buffer.concat([encodeWav(Int16Array.from([3, 4])), Buffer.from("trailing")]);
    expect(Array.from(parseWav(new Uint8Array(bytes), "tail.wav").samples)).toEqual([3, 4]);
  });
});

// fmt() builds a bare fmt body; wrap it as the 'fmt ' chunk.
const f = (o: Parameters<typeof fmt>[0]): Uint8Array => chunk("fmt ", fmt(o));
const good = encodeWav(Int16Array.from({ length: 480 }, (_, i) => i));

describe.each([
  ["44.1 kHz", riff([f({ rate: 44100 }), chunk("data", pcm([1]))]), "TML_E_INPUT_MISMATCH", /is 44100 Hz; the audio frontend needs 16000 Hz mono 16-bit PCM/],
  ["48 kHz stereo", riff([f({ rate: 48000, channels: 2 }), chunk("data", pcm([1, 2]))]), "TML_E_INPUT_MISMATCH", /is stereo, 48000 Hz/],
  ["8 kHz", riff([f({ rate: 8000 }), chunk("data", pcm([1]))]), "TML_E_INPUT_MISMATCH", /is 8000 Hz/],
  ["8-bit", riff([f({ bits: 8 }), chunk("data", new Uint8Array([128, 129]))]), "TML_E_INPUT_MISMATCH", /is 8-bit PCM/],
  ["float", riff([f({ tag: 3, bits: 32 }), chunk("data", new Uint8Array(8))]), "TML_E_INPUT_MISMATCH", /is IEEE float/],
  ["extensible float", riff([chunk("fmt ", fmt({ bits: 32, extensibleSub: 3 })), chunk("data", new Uint8Array(8))]), "TML_E_INPUT_MISMATCH", /is IEEE float/],
  ["µ-law", riff([f({ tag: 7, bits: 8 }), chunk("data", new Uint8Array(2))]), "TML_E_INPUT_MISMATCH", /µ-law/],
  ["truncated data", good.subarray(0, good.length - 100), "TML_E_INPUT_MISMATCH", /truncated: the RIFF header announces 1004 bytes but the file has 904/],
  ["data chunk past RIFF end", riff([f({}), chunk("data", pcm([1, 2]))], -2), "TML_E_INPUT_MISMATCH", /chunk 'data' announces 4 bytes but only 2 remain/],
  ["half a sample", riff([f({}), chunk("data", new Uint8Array(3))]), "TML_E_INPUT_MISMATCH", /not a whole number of 2-byte samples/],
  ["no fmt", riff([chunk("data", pcm([1]))]), "TML_E_INPUT_MISMATCH", /no 'fmt ' chunk/],
  ["no data", riff([f({})]), "TML_E_INPUT_MISMATCH", /no 'data' chunk/],
  ["short fmt", riff([chunk("fmt ", new Uint8Array(12)), chunk("data", pcm([1]))]), "TML_E_INPUT_MISMATCH", /'fmt ' chunk is 12 bytes/],
  ["bad block align", riff([chunk("fmt ", fmt({}).map((v, i) => (i === 12 ? 4 : v))), chunk("data", pcm([1]))]), "TML_E_INPUT_MISMATCH", /block align 4/],
  ["not a WAV", new Uint8Array(Buffer.from("ID3\x04 this is an mp3")), "TML_E_FORMAT_UNKNOWN", /not a RIFF\/WAVE file/],
  ["RIFX", new Uint8Array(Buffer.from("RIFX\0\0\0\x04WAVE")), "TML_E_FORMAT_UNKNOWN", /a RIFX file/],
  ["empty", new Uint8Array(0), "TML_E_FORMAT_UNKNOWN", /not a RIFF\/WAVE file/],
] as const)("refuses %s", (_name, bytes, code, message) => {
  it("with a clear error naming the file and the sox command", () => {
    const e = refusal(bytes, "clips/in.wav");
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message).toContain("clips/in.wav");
    expect(e.location?.file).toBe("clips/in.wav");
    expect(e.hint).toContain("sox clips/in.wav -r 16000 -c 1 -b 16 clips/in_16k_mono.wav");
  });
});

it("never reads past the buffer: every truncation of a valid file is refused with a TinymlError", () => {
  const bytes = riff([chunk("LIST", new Uint8Array(5)), f({}), chunk("data", pcm([1, 2, 3]))]);
  for (let n = 0; n < bytes.length; n++) {
    const cut = bytes.slice(0, n);
    expect(() => parseWav(cut, "cut.wav")).toThrow(TinymlError);
  }
});

it("refuses a real 44.1 kHz stereo file that sox wrote, and accepts its sox conversion", async () => {
  if (!(await requireTool("sox", "apt-get install sox"))) return;
  const src = join(dir, "cd.wav");
  await execa("sox", ["-n", "-r", "44100", "-c", "2", "-b", "16", src, "synth", "0.1", "sine", "440"]);
  const e = refusal(new Uint8Array(readFileSync(src)), src);
  expect(e.message).toMatch(/is stereo, 44100 Hz/);
  const out = join(dir, "cd_16k_mono.wav");
  const hint = e.hint!.slice(e.hint!.indexOf("sox "));
  expect(hint).toBe(`sox ${src} -r 16000 -c 1 -b 16 ${out}`);
  await execa("sh", ["-c", hint]);
  expect(readWav(out).samples.length).toBe(1600);
});

it("reading a missing file is TML_E_FILE_NOT_FOUND", () => {
  expect(() => readWav(join(dir, "nope.wav"))).toThrow(expect.objectContaining({ code: "TML_E_FILE_NOT_FOUND" }));
});
