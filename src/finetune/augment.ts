// Seeded data preparation: the validation split and the augmented training
// clips. Augmentation happens on audio, before the frontend, so it changes
// what the device would hear (where the word falls in the 1 s window, what
// noise is behind it), not the features directly.

import { rng, shuffle } from "../util/rng.js";
import { CLIP_SAMPLES } from "./features.js";
import type { Clip, FinetuneData } from "./dataset.js";

export { rng };

export interface Split {
  train: Clip[];
  val: Clip[];
  /** The speakers held out whole for validation; empty when the split is per clip. */
  valSpeakers: string[];
}

/** Per class, a seeded `fraction` of clips (at least one, never all) validates. */
function splitPerClip(clips: Clip[], labels: number, fraction: number, r: () => number): { train: Clip[]; val: Clip[] } {
  const train: Clip[] = [];
  const val: Clip[] = [];
  for (let c = 0; c < labels; c++) {
    const mine = shuffle(clips.filter((k) => k.label === c), r);
    const n = fraction <= 0 ? 0 : Math.min(mine.length - 1, Math.max(1, Math.round(mine.length * fraction)));
    val.push(...mine.slice(0, n));
    train.push(...mine.slice(n));
  }
  return { train, val };
}

/**
 * The validation split. When every word clip names its speaker (speakers.ts)
 * and there are at least two, whole speakers are held out, seeded, until
 * about `fraction` of the word clips validate, never taking a class's last
 * training clip; background clips are split per clip. Otherwise each class
 * is split per clip.
 */
export function splitClips(clips: Clip[], labels: number, fraction: number, seed: number): Split {
  const r = rng(seed);
  const words = clips.filter((c) => !c.background);
  const speakers = [...new Set(words.map((c) => c.speaker))];
  if (fraction <= 0 || speakers.length < 2 || speakers.some((s) => s === undefined)) return { ...splitPerClip(clips, labels, fraction, r), valSpeakers: [] };
  const held = new Set<string>();
  let heldClips = 0;
  for (const s of shuffle(speakers as string[], r)) {
    if (heldClips >= fraction * words.length || held.size === speakers.length - 1) break;
    const theirs = words.filter((c) => c.speaker === s);
    // Every class present in the words must keep a training clip.
    const leftOut = (c: number): boolean => words.every((k) => k.label !== c || k.speaker === s || held.has(k.speaker!));
    if (theirs.some((k) => leftOut(k.label))) continue;
    held.add(s);
    heldClips += theirs.length;
  }
  const bg = splitPerClip(clips.filter((c) => c.background), labels, fraction, r);
  return {
    train: [...words.filter((c) => !held.has(c.speaker!)), ...bg.train],
    val: [...words.filter((c) => held.has(c.speaker!)), ...bg.val],
    valSpeakers: [...held].sort(),
  };
}

/** A random 1 s window of a background recording. */
function noiseWindow(noise: Int16Array[], r: () => number): Int16Array {
  const src = noise[Math.floor(r() * noise.length)]!;
  const at = Math.floor(r() * (src.length - CLIP_SAMPLES + 1));
  return src.subarray(at, at + CLIP_SAMPLES);
}

/**
 * The clip as the classifier window sees it: word clips centred in 1 s (the
 * unaugmented view, used for validation and calibration); background clips
 * are their first second.
 */
export function centred(clip: Clip): Int16Array {
  if (clip.samples.length >= CLIP_SAMPLES) return clip.samples.subarray(0, CLIP_SAMPLES);
  const out = new Int16Array(CLIP_SAMPLES);
  out.set(clip.samples, Math.floor((CLIP_SAMPLES - clip.samples.length) / 2));
  return out;
}

/** Words get background noise at an SNR drawn from this range (dB). */
const SNR_DB_MIN = 0;
const SNR_DB_MAX = 20;

function rms(x: Int16Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / Math.max(1, x.length));
}

/** The noise gain that puts `noise` `snrDb` below the word in `base` (RMS over the window). */
export function noiseGainForSnr(base: Int16Array, noise: Int16Array, snrDb: number): number {
  const n = rms(noise);
  return n === 0 ? 0 : rms(base) / n / 10 ** (snrDb / 20);
}

/** How much of a word an augmented view may push out of the 1 s window. */
const OVERHANG = 0.1;

/**
 * Speed perturbation: the clip played `factor` times faster (linear
 * interpolation), which moves pitch and tempo together the way a different
 * speaker does; at most 1 s is kept (the middle).
 */
export function resample(samples: Int16Array, factor: number): Int16Array {
  const n = Math.max(1, Math.floor((samples.length - 1) / factor) + 1);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const x = i * factor;
    const k = Math.floor(x);
    const a = samples[k]!, b = samples[Math.min(k + 1, samples.length - 1)]!;
    out[i] = Math.round(a + (b - a) * (x - k));
  }
  return n <= CLIP_SAMPLES ? out : out.subarray((n - CLIP_SAMPLES) >> 1, ((n - CLIP_SAMPLES) >> 1) + CLIP_SAMPLES);
}

/**
 * One augmented view: the word at a random speed (±15%: a few voices from
 * one) and loudness (0.5–1.5×), shifted to a random offset within the window
 * (up to ±`maxShift` samples from centre, clipped to stay inside), with a
 * random window of background noise mixed in at a random level (not always:
 * clean clips stay in the mix). Background clips get a random window.
 */
export function augment(clip: Clip, data: FinetuneData, r: () => number, maxShift = CLIP_SAMPLES / 4): Int16Array {
  let base: Int16Array;
  if (clip.background) {
    const at = Math.floor(r() * (clip.samples.length - CLIP_SAMPLES + 1));
    base = clip.samples.subarray(at, at + CLIP_SAMPLES);
  } else {
    const gain = 0.5 + r();
    const word = Int16Array.from(resample(clip.samples, 0.85 + 0.3 * r()), (v) => Math.max(-32768, Math.min(32767, Math.round(v * gain))));
    base = new Int16Array(CLIP_SAMPLES);
    // A streaming classifier sees the word enter and leave its window, so a
    // view may cut up to OVERHANG of the word off either edge.
    const over = Math.floor(word.length * OVERHANG);
    const free = CLIP_SAMPLES - word.length;
    const centre = free / 2;
    const lo = Math.max(-over, centre - maxShift);
    const hi = Math.min(free + over, centre + maxShift);
    const at = Math.floor(lo + r() * (hi - lo));
    const from = Math.max(0, -at);
    base.set(word.subarray(from, Math.min(word.length, CLIP_SAMPLES - at)), at + from);
  }
  if (data.noise.length === 0 || r() < 0.3) return base;
  const noise = noiseWindow(data.noise, r);
  // Background clips take the noise at a random level; words at a random
  // SNR, so a loud recording gets as much noise as a quiet one relative to
  // its word.
  const snrDb = SNR_DB_MIN + r() * (SNR_DB_MAX - SNR_DB_MIN);
  const gain = clip.background ? 0.05 + r() * 0.5 : noiseGainForSnr(base, noise, snrDb);
  const out = new Int16Array(CLIP_SAMPLES);
  for (let i = 0; i < CLIP_SAMPLES; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(base[i]! + gain * noise[i]!)));
  return out;
}
