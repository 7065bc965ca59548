// Seeded data preparation: the validation split and the augmented training
// clips. Augmentation happens on audio, before the frontend, so it changes
// what the device would hear (where the word falls in the 1 s window, what
// noise is behind it), not the features directly.

import { CLIP_SAMPLES } from "./features.js";
import type { Clip, FinetuneData } from "./dataset.js";

/** mulberry32: a tiny seeded PRNG (the same one the example trainers use). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per class, a seeded `fraction` of clips (at least one, never all) validates. */
export function splitClips(clips: Clip[], labels: number, fraction: number, seed: number): { train: Clip[]; val: Clip[] } {
  const r = rng(seed);
  const train: Clip[] = [];
  const val: Clip[] = [];
  for (let c = 0; c < labels; c++) {
    const mine = clips.filter((k) => k.label === c);
    for (let i = mine.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [mine[i], mine[j]] = [mine[j]!, mine[i]!];
    }
    const n = fraction <= 0 ? 0 : Math.min(mine.length - 1, Math.max(1, Math.round(mine.length * fraction)));
    val.push(...mine.slice(0, n));
    train.push(...mine.slice(n));
  }
  return { train, val };
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
  const gain = 0.05 + r() * 0.5;
  const out = new Int16Array(CLIP_SAMPLES);
  for (let i = 0; i < CLIP_SAMPLES; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(base[i]! + gain * noise[i]!)));
  return out;
}
