// The fine-tuning data: DIR/<keyword>/*.wav, one folder per keyword, plus
// _unknown/ or _unknown_/ (other words → class "unknown") and _background/
// or _silence_/ (noise → class "silence", and the noise mixed into other clips). Everything is checked
// before any training starts, so bad data never yields a half-trained model:
// 16 kHz mono 16-bit WAVs (readWav refuses anything else with the sox
// command that converts it), word clips of at most 1 s (the classifier's
// window), background clips of at least 1 s, enough clips per class.

import { existsSync, readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { readWav, WAV_SAMPLE_RATE } from "../audio/wav.js";
import { TinymlError } from "../errors.js";
import { CLIP_SAMPLES } from "./features.js";
import { speakerOf } from "./speakers.js";

/** Fewer clips than this per class leaves nothing to validate on and nothing to learn from. */
export const MIN_CLIPS_PER_CLASS = 5;
/** Shorter word clips hold no word; 0.1 s is below any spoken keyword. */
const MIN_WORD_SAMPLES = WAV_SAMPLE_RATE / 10;
export const SILENCE_LABEL = "silence";
export const UNKNOWN_LABEL = "unknown";
/** The non-keyword folders, in this project's spelling and the speech_commands data set's (`_silence_`, `_unknown_`). */
export const BACKGROUND_FOLDERS: readonly string[] = ["_background", "_background_noise_", "_silence", "_silence_"];
export const UNKNOWN_FOLDERS: readonly string[] = ["_unknown", "_unknown_"];

export interface Clip {
  /** DIR-relative, for messages. */
  name: string;
  samples: Int16Array;
  label: number;
  /** From _background/: any length ≥ 1 s, also a noise source. */
  background: boolean;
  /** Who spoke it, when the file name says (speakers.ts). */
  speaker?: string;
}

export interface FinetuneData {
  dir: string;
  /** "silence" and "unknown" first when present (micro_speech's order), then keywords sorted. */
  labels: string[];
  clips: Clip[];
  /** Background recordings (≥ 1 s each) to mix into clips as noise. */
  noise: Int16Array[];
}

function dataError(message: string, dir: string, hint: string, file?: string): never {
  throw new TinymlError("TML_E_INPUT_MISMATCH", message, { location: { file: file ?? dir }, hint });
}

export function wavsIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => extname(f).toLowerCase() === ".wav").sort();
}

export function readFinetuneData(dir: string): FinetuneData {
  if (!existsSync(dir)) {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `data folder not found: ${dir}`, {
      location: { file: dir },
      hint: "Give a folder with one subfolder of .wav clips per keyword, plus _background/ and/or _unknown/.",
    });
  }
  if (!statSync(dir).isDirectory()) {
    dataError(`${dir} is not a folder`, dir, "Give a folder with one subfolder of .wav clips per keyword, plus _background/ and/or _unknown/.");
  }
  const folders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const background = folders.filter((f) => BACKGROUND_FOLDERS.includes(f));
  const unknown = folders.filter((f) => UNKNOWN_FOLDERS.includes(f));
  const keywords = folders.filter((f) => !f.startsWith("_") && wavsIn(join(dir, f)).length > 0);
  const labels = [
    ...(background.length > 0 ? [SILENCE_LABEL] : []),
    ...(unknown.length > 0 ? [UNKNOWN_LABEL] : []),
    ...keywords,
  ];
  const clash = keywords.find((k) => k === SILENCE_LABEL || k === UNKNOWN_LABEL);
  if (clash) dataError(`a keyword folder is named '${clash}', which is the name of the non-keyword class`, dir, `Rename ${join(dir, clash)}; put non-keyword audio in _background/ or _unknown/.`);
  if (keywords.length === 0) {
    dataError(`no keyword folders with .wav clips in ${dir}`, dir, "Add one folder per keyword (e.g. marvin/*.wav), plus _background/ and/or _unknown/ for everything else.");
  }
  if (labels.length < 2) {
    dataError(`${dir} has one class ('${labels[0]}'): a classifier needs at least two`, dir,
      "Add _unknown/ (other words) and/or _background/ (noise, ≥ 1 s clips), or a second keyword folder.");
  }

  const clips: Clip[] = [];
  const noise: Int16Array[] = [];
  const counts = new Map<string, number>(labels.map((l) => [l, 0]));
  for (const folder of folders) {
    const isBackground = background.includes(folder);
    const label = isBackground ? SILENCE_LABEL : unknown.includes(folder) ? UNKNOWN_LABEL : folder;
    if (!counts.has(label)) continue;
    for (const f of wavsIn(join(dir, folder))) {
      const path = join(dir, folder, f);
      const name = `${folder}/${f}`;
      const { samples } = readWav(path);
      if (isBackground) {
        if (samples.length < CLIP_SAMPLES) {
          dataError(`${name} is ${ms(samples.length)} long; background clips must be at least 1 s (${CLIP_SAMPLES} samples)`, dir,
            "Record longer background audio, or pad it: sox in.wav out.wav repeat 1 trim 0 1", path);
        }
        noise.push(samples);
      } else if (samples.length > CLIP_SAMPLES || samples.length < MIN_WORD_SAMPLES) {
        dataError(`${name} is ${ms(samples.length)} long; word clips must be 0.1 s to 1 s (the classifier hears 1 s, ${CLIP_SAMPLES} samples)`, dir,
          "Trim each clip to the word: sox in.wav out.wav silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse", path);
      }
      const speaker = isBackground ? undefined : speakerOf(f);
      clips.push({ name, samples, label: labels.indexOf(label), background: isBackground, ...(speaker ? { speaker } : {}) });
      counts.set(label, counts.get(label)! + 1);
    }
  }
  const short = [...counts].filter(([, n]) => n < MIN_CLIPS_PER_CLASS);
  if (short.length > 0) {
    dataError(
      `too few clips: ${short.map(([l, n]) => `'${l}' has ${n}`).join(", ")}; fine-tuning needs at least ${MIN_CLIPS_PER_CLASS} clips per class`,
      dir, `Add clips until every class has ${MIN_CLIPS_PER_CLASS} or more (20-30 per keyword work well).`,
    );
  }
  return { dir, labels, clips, noise };
}

function ms(samples: number): string {
  return `${((samples / WAV_SAMPLE_RATE) * 1000).toFixed(0)} ms`;
}
