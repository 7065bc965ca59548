// The fine-tuning test's data: "marvin", a word the base model never heard
// (examples/finetune/train-base.ts), plus other words and noise, all in
// voices the base never heard either (HELDOUT_VOICES). The voices are split
// again: the fine-tuning folder uses FINETUNE_VOICES, and accuracy is
// measured on EVAL_VOICES, which neither the base nor the new head saw.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HELDOUT_VOICES, noiseClip, synthesize, utterances } from "../../examples/finetune/corpus.js";
import { rng } from "../../examples/train/data.js";
import { spanSeconds } from "../../examples/wakeword/build-testset.js";
import { writeWav } from "../../src/audio/wav.js";
import { centred } from "../../src/finetune/augment.js";
import { CLIP_SAMPLES } from "../../src/finetune/features.js";

export const KEYWORD = "marvin";
export const FINETUNE_VOICES = HELDOUT_VOICES.slice(0, 3);
export const EVAL_VOICES = HELDOUT_VOICES.slice(3);
/** Other words for _unknown: some the base knows, some it does not. */
const UNKNOWN_WORDS = ["sheila", "visual", "forward", "house", "happy", "bird", "learn", "wow", "backward", "tree"];

export interface EvalClip {
  label: "silence" | "unknown" | typeof KEYWORD;
  /** 1 s, the word centred. */
  audio: Int16Array;
}

function background(r: () => number): Int16Array {
  const out = new Int16Array(2 * CLIP_SAMPLES);
  out.set(noiseClip(r, 2500), 0);
  out.set(noiseClip(r, 2500), CLIP_SAMPLES);
  return out;
}

/** DIR/marvin (30 clips), DIR/_unknown (20), DIR/_background (6 × 2 s). */
export async function writeFinetuneFolder(dir: string): Promise<void> {
  const kw = utterances([KEYWORD], FINETUNE_VOICES, 10, 500);
  const unk = utterances(UNKNOWN_WORDS, FINETUNE_VOICES, 1, 501).filter((_, i) => i % 3 !== 2);
  const audio = await synthesize([...kw, ...unk]);
  const r = rng(502);
  // Word clips are named <voice>_nohash_<n>.wav (Speech Commands' convention), so
  // finetune validates on a voice it did not train on.
  const speaker = (u: { voice: string }): string => u.voice.replace(/[^A-Za-z0-9]+/g, "-");
  const named = (list: readonly { voice: string }[]) => (_: Int16Array, i: number): string => `${speaker(list[i]!)}_nohash_${String(i).padStart(2, "0")}.wav`;
  for (const [folder, clips, name] of [
    [KEYWORD, audio.slice(0, kw.length), named(kw)],
    ["_unknown", audio.slice(kw.length), named(unk)],
    ["_background", [0, 1, 2, 3, 4, 5].map(() => background(r)), (_: Int16Array, i: number) => `${String(i).padStart(2, "0")}.wav`],
  ] as const) {
    mkdirSync(join(dir, folder), { recursive: true });
    clips.forEach((c, i) => writeWav(join(dir, folder, name(c, i)), c));
  }
}

/** The evaluation set in EVAL_VOICES: 20 marvin, 20 other words, 10 noise. */
export async function evalClips(): Promise<EvalClip[]> {
  const kw = utterances([KEYWORD], EVAL_VOICES, 10, 600);
  const unk = utterances(UNKNOWN_WORDS, EVAL_VOICES, 1, 601);
  const audio = await synthesize([...kw, ...unk]);
  const r = rng(602);
  const word = (a: Int16Array, label: EvalClip["label"]): EvalClip => ({ label, audio: centred({ name: "", samples: a, label: 0, background: false }) });
  return [
    ...audio.slice(0, kw.length).map((a) => word(a, KEYWORD)),
    ...audio.slice(kw.length).map((a) => word(a, "unknown")),
    ...Array.from({ length: 10 }, () => ({ label: "silence" as const, audio: noiseClip(r, 2500) })),
  ];
}

/**
 * DIR/stream.wav and DIR/labels.json: the evaluation voices' first `keywords`
 * "marvin" clips and `others` other words, alternating, each between
 * 1 s of noise, with every "marvin" span labelled (found from its energy).
 */
export function writeKeywordStream(dir: string, clips: readonly EvalClip[], keywords = 6, others = 4): { seconds: number; occurrences: number } {
  const kw = clips.filter((c) => c.label === KEYWORD).slice(0, keywords);
  const unk = clips.filter((c) => c.label === "unknown").slice(0, others);
  const r = rng(603);
  const parts: Int16Array[] = [];
  const labels: { file: string; keyword: string; start: number; end: number }[] = [];
  let at = 0;
  const add = (s: Int16Array): void => {
    parts.push(s);
    at += s.length;
  };
  add(noiseClip(r, 1500));
  for (let i = 0; i < Math.max(kw.length, unk.length); i++) {
    for (const c of [kw[i], unk[i]]) {
      if (!c) continue;
      if (c.label === KEYWORD) labels.push({ file: "stream.wav", keyword: KEYWORD, ...spanSeconds(c.audio, at) });
      add(c.audio);
      add(noiseClip(r, 1500));
    }
  }
  const samples = new Int16Array(at);
  parts.reduce((o, p) => (samples.set(p, o), o + p.length), 0);
  mkdirSync(dir, { recursive: true });
  writeWav(join(dir, "stream.wav"), samples);
  writeFileSync(join(dir, "labels.json"), `${JSON.stringify(labels, null, 2)}\n`);
  return { seconds: at / CLIP_SAMPLES, occurrences: labels.length };
}
