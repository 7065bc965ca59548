// Builds the labelled wake-word test set the README's wakeword example runs:
//
//   npx tsx examples/wakeword/build-testset.ts [OUT_DIR] [--seed N] [--seconds S] [--no-synth]
//
// OUT_DIR (default examples/wakeword/testset, not committed) receives
//   silence/noise_1000ms.wav          TFLM's micro_speech clips (see clips/NOTICE.md)
//   yes/no_1000ms_padded.wav          TFLM's yes/no clips between 1 s and 1.5 s of silence
//   stream_60s.wav                    >= 60 s: the keyword clips between stretches of
//                                     silence and noise, at seeded, known offsets
//   synth/<word>_<voice>.wav          espeak-ng voices, when espeak-ng and sox are installed
//   labels.json                       [{file, keyword, start, end}] in seconds
// The same seed gives the same bytes. Keyword spans are the spoken word inside
// each 1 s clip (found from its energy), so latency is measured from the word's end.

import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readWav, writeWav } from "../../src/audio/wav.js";
import { writeFileAtomic } from "../../src/util/files.js";
import { synthesizeKeywords } from "./synthesize.js";

const CLIPS_DIR = fileURLToPath(new URL("./clips/", import.meta.url));
const RATE = 16000;
const KEYWORDS = ["yes", "no"] as const;
const FILLERS = ["silence", "noise"] as const;

export interface LabelEntry {
  file: string;
  keyword?: string;
  start?: number;
  end?: number;
}

export interface TestsetOptions {
  outDir: string;
  seed?: number;
  /** Minimum stream length. */
  seconds?: number;
  synth?: boolean;
}

export interface Testset {
  labelsFile: string;
  streamFile: string;
  streamSeconds: number;
  labels: LabelEntry[];
  /** Why synthetic clips were left out, when they were. */
  synthSkipped: string | undefined;
}

export async function buildTestset({ outDir, seed = 7, seconds = 60, synth = true }: TestsetOptions): Promise<Testset> {
  mkdirSync(outDir, { recursive: true });
  const clips = new Map<string, Int16Array>();
  const labels: LabelEntry[] = [];
  for (const name of [...KEYWORDS, ...FILLERS]) clips.set(name, readWav(join(CLIPS_DIR, `${name}_1000ms.wav`)).samples);
  for (const name of FILLERS) {
    copyFileSync(join(CLIPS_DIR, `${name}_1000ms.wav`), join(outDir, `${name}_1000ms.wav`));
    labels.push({ file: `${name}_1000ms.wav` });
  }
  // A bare 1 s clip gives the classifier exactly one look (at 990 ms), and the
  // smoothing needs 3 results over 250 ms: pad keyword clips so they can be detected.
  for (const name of KEYWORDS) {
    const file = `${name}_1000ms_padded.wav`;
    writeWav(join(outDir, file), pad(clips, clips.get(name)!));
    labels.push({ file, keyword: name, ...spanSeconds(clips.get(name)!, RATE) });
  }

  const stream = buildStream(clips, seed, seconds);
  const streamFile = join(outDir, "stream_60s.wav");
  writeWav(streamFile, stream.samples);
  labels.push(...stream.labels.map((l) => ({ file: "stream_60s.wav", ...l })));

  let synthSkipped: string | undefined = "disabled (--no-synth)";
  if (synth) {
    const outcome = await synthesizeKeywords();
    synthSkipped = "skipped" in outcome ? outcome.skipped : undefined;
    if ("clips" in outcome) {
      mkdirSync(join(outDir, "synth"), { recursive: true });
      for (const c of outcome.clips) {
        const file = `synth/${c.word}_${c.voice}.wav`;
        writeWav(join(outDir, file), pad(clips, c.samples));
        labels.push({ file, keyword: c.word, ...spanSeconds(c.samples, RATE) });
      }
    }
  }

  const labelsFile = join(outDir, "labels.json");
  writeFileAtomic(labelsFile, JSON.stringify(labels, null, 1) + "\n");
  return { labelsFile, streamFile, streamSeconds: stream.samples.length / RATE, labels, synthSkipped };
}

/**
 * Alternates filler (1.5-3 s of silence and noise pieces at random gains)
 * with an unaltered yes or no clip until at least `seconds` of audio exist,
 * then ends on filler so the last keyword can still be detected.
 */
function buildStream(clips: Map<string, Int16Array>, seed: number, seconds: number): { samples: Int16Array; labels: Required<Omit<LabelEntry, "file">>[] } {
  const rand = mulberry32(seed);
  const parts: Int16Array[] = [];
  const labels: Required<Omit<LabelEntry, "file">>[] = [];
  let length = 0;
  const add = (s: Int16Array): void => {
    parts.push(s);
    length += s.length;
  };
  const filler = (): void => {
    let left = Math.round((1.5 + 1.5 * rand()) * 10) * (RATE / 10);
    while (left > 0) {
      const src = clips.get(FILLERS[Math.floor(rand() * FILLERS.length)]!)!;
      const n = Math.min(left, Math.round((0.3 + 0.7 * rand()) * 10) * (RATE / 10));
      const from = Math.floor(rand() * (src.length - n + 1));
      add(gain(src.subarray(from, from + n), 128 + Math.floor(rand() * 129)));
      left -= n;
    }
  };
  filler();
  while (length < seconds * RATE) {
    const keyword = KEYWORDS[Math.floor(rand() * KEYWORDS.length)]!;
    const clip = clips.get(keyword)!;
    labels.push({ keyword, ...spanSeconds(clip, length) });
    add(clip);
    filler();
  }
  return { samples: concat(parts), labels };
}

/** The spoken word's extent: 10 ms frames whose RMS exceeds a tenth of the loudest frame's. */
export function spanSeconds(samples: Int16Array, offset: number): { start: number; end: number } {
  const frame = RATE / 100;
  const rms: number[] = [];
  for (let at = 0; at + frame <= samples.length; at += frame) {
    let e = 0;
    for (let i = at; i < at + frame; i++) e += samples[i]! * samples[i]!;
    rms.push(Math.sqrt(e / frame));
  }
  const threshold = Math.max(...rms) / 10;
  const first = rms.findIndex((r) => r > threshold);
  const last = rms.length - 1 - [...rms].reverse().findIndex((r) => r > threshold);
  const sec = (n: number): number => Math.round((n / RATE) * 1000) / 1000;
  return { start: sec(offset + first * frame), end: sec(offset + (last + 1) * frame) };
}

/** Integer gain g/256 with rounding, as a fixed-point DSP would apply it. */
function gain(s: Int16Array, g: number): Int16Array {
  return Int16Array.from(s, (v) => (v * g + 128) >> 8);
}

/**
 * 1 s of room silence before a word and 1.5 s after: the classifier needs 49
 * frames of context and the smoothing a few results before it reports the word.
 */
function pad(clips: Map<string, Int16Array>, word: Int16Array): Int16Array {
  const silence = clips.get("silence")!;
  return concat([tile(silence, RATE), word, tile(silence, 1.5 * RATE)]);
}

function tile(s: Int16Array, n: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => s[i % s.length]!);
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same stream everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const positional = argv.filter((a, i) => !a.startsWith("--") && !["--seed", "--seconds"].includes(argv[i - 1] ?? ""));
  const outDir = resolve(positional[0] ?? fileURLToPath(new URL("./testset/", import.meta.url)));
  const t = await buildTestset({
    outDir,
    seed: Number(flag("--seed") ?? 7),
    seconds: Number(flag("--seconds") ?? 60),
    synth: !argv.includes("--no-synth"),
  });
  const keywords = t.labels.filter((l) => l.keyword).length;
  console.log(`wrote ${t.labelsFile}: ${t.labels.length} labels (${keywords} keywords), stream ${t.streamSeconds.toFixed(1)} s`);
  if (t.synthSkipped) console.log(`synthetic clips: ${t.synthSkipped}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
  });
}
