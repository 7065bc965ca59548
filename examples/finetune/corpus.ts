// A synthetic speech corpus from Debian's espeak-ng: words in several voices,
// voice variants, speeds and pitches; sox resamples to 16 kHz mono 16-bit,
// trims the silence around the word and adds gain and (for some clips)
// reverb; the word is then placed at a seeded offset in a 1 s clip under
// seeded noise. Every random choice comes from a seed and sox runs without
// dither (-D), so the same packages give the same clips.
//
// Voices are split: the base model trains on TRAIN_VOICES only, and the
// fine-tuning test measures accuracy on HELDOUT_VOICES, accents and voice
// variants the base never heard.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { readWav } from "../../src/audio/wav.js";
import { CLIP_SAMPLES } from "../../src/finetune/features.js";
import { rng } from "../train/data.js";

export const TRAIN_VOICES = ["en-us+m1", "en-us+f2", "en-gb+m3", "en-gb+f1", "en-gb-x-rp+m2", "en-us-nyc+f3", "en-gb-x-gbclan+m4", "en-us+m7"];
export const HELDOUT_VOICES = ["en-gb-scotland+f4", "en-029+m5", "en-gb-x-gbcwmd+f5", "en-gb-scotland+m6", "en-029+f1"];

export interface Utterance {
  word: string;
  voice: string;
  speed: number;
  pitch: number;
  /** sox reverberance 0-100, 0 for none. */
  reverb: number;
  gainDb: number;
}

export async function requireTools(): Promise<string | undefined> {
  for (const tool of ["espeak-ng", "sox"]) {
    const r = await execa("sh", ["-c", `command -v ${tool}`], { reject: false });
    if (r.exitCode !== 0) return `${tool} not found (apt-get install ${tool})`;
  }
  return undefined;
}

/** The word's samples at 16 kHz, silence trimmed, at most 1 s. */
async function speak(u: Utterance, dir: string, n: number): Promise<Int16Array> {
  const raw = join(dir, `${n}_22k.wav`);
  const out = join(dir, `${n}.wav`);
  await execa("espeak-ng", ["-v", u.voice, "-s", String(u.speed), "-p", String(u.pitch), "-a", "100", "-w", raw, u.word]);
  const effects = ["silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%", "reverse", "vol", `${u.gainDb}dB`];
  if (u.reverb > 0) effects.push("reverb", String(u.reverb), "50", "60");
  await execa("sox", ["-D", raw, "-r", "16000", "-c", "1", "-b", "16", out, ...effects]);
  const s = readWav(out).samples;
  return s.length > CLIP_SAMPLES ? s.subarray(0, CLIP_SAMPLES) : s;
}

/** Synthesizes utterances (4 at a time); result k belongs to utterances[k]. */
export async function synthesize(utterances: Utterance[], onProgress?: (done: number) => void): Promise<Int16Array[]> {
  const dir = mkdtempSync(join(tmpdir(), "tinyml-corpus-"));
  const out: Int16Array[] = new Array<Int16Array>(utterances.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < utterances.length) {
      const k = next++;
      out[k] = await speak(utterances[k]!, dir, k);
      onProgress?.(++done);
    }
  };
  try {
    await Promise.all([worker(), worker(), worker(), worker()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Seeded utterance parameters for every word × voice, `perVoice` takes each. */
export function utterances(words: readonly string[], voices: readonly string[], perVoice: number, seed: number): Utterance[] {
  const r = rng(seed);
  const list: Utterance[] = [];
  for (const word of words) {
    for (const voice of voices) {
      for (let k = 0; k < perVoice; k++) {
        list.push({
          word, voice,
          speed: 120 + Math.floor(r() * 60),
          pitch: 30 + Math.floor(r() * 40),
          reverb: r() < 0.4 ? 20 + Math.floor(r() * 50) : 0,
          gainDb: -Math.floor(r() * 12),
        });
      }
    }
  }
  return list;
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** 1 s of seeded noise: white, or low-passed ("brown-ish") for half of them, at a random level. */
export function noiseClip(r: () => number, maxAmp = 1500): Int16Array {
  const out = new Int16Array(CLIP_SAMPLES);
  const amp = 20 + r() * maxAmp;
  const lowpass = r() < 0.5;
  let y = 0;
  for (let i = 0; i < out.length; i++) {
    const g = gauss(r);
    y = lowpass ? 0.9 * y + 0.3 * g : g;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(amp * y * 0.4)));
  }
  return out;
}

/** A 1 s clip with `word` at a seeded offset, mixed with `noise` at a seeded fraction. */
export function placeInClip(word: Int16Array, r: () => number, noise?: Int16Array): Int16Array {
  const out = new Int16Array(CLIP_SAMPLES);
  const at = Math.floor(r() * (CLIP_SAMPLES - word.length + 1));
  const mix = noise ? 0.05 + r() * 0.4 : 0;
  for (let i = 0; i < CLIP_SAMPLES; i++) {
    const w = i >= at && i < at + word.length ? word[i - at]! : 0;
    const n = noise ? noise[i]! * mix : 0;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(w + n)));
  }
  return out;
}
