// A labelled clip set to score a classifier on (`tinyml evaluate`): the
// fine-tuning layout, DIR/<keyword>/*.wav plus _background/ or _silence_/ and
// _unknown/ or _unknown_/, read against the classifier's own label list.
// Each folder must map to one of the model's labels, so a clip is never
// scored against a class the model cannot output; every clip becomes one
// 1 s classifier window as finetune's validation sees it (words centred,
// background audio its first second).

import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { readWav, WAV_SAMPLE_RATE } from "../audio/wav.js";
import { TinymlError } from "../errors.js";
import { didYouMean } from "../util/suggest.js";
import { centred } from "./augment.js";
import { BACKGROUND_FOLDERS, UNKNOWN_FOLDERS, wavsIn } from "./dataset.js";
import { CLIP_SAMPLES } from "./features.js";

export interface EvalClip {
  /** DIR-relative, for messages and per-clip results. */
  name: string;
  /** Index in the model's labels. */
  label: number;
  /** The 1 s window the classifier hears. */
  window: Int16Array;
}

const LAYOUT_HINT = "Give a folder with one subfolder of .wav clips per keyword (named as the model's labels), plus _background/ (or _silence_/) and _unknown/ (or _unknown_/).";

/** The model label a non-keyword folder's audio belongs to: by meaning, whatever the model calls it. */
function nonKeywordLabel(folder: string, labels: readonly string[]): number | undefined {
  const kind = BACKGROUND_FOLDERS.includes(folder) ? /^_?(silence|background|background_noise|noise)_?$/i
    : UNKNOWN_FOLDERS.includes(folder) ? /^_?unknown_?$/i : undefined;
  if (!kind) return undefined;
  const i = labels.findIndex((l) => kind.test(l));
  return i < 0 ? -1 : i;
}

function mismatch(message: string, file: string, hint: string): never {
  throw new TinymlError("TML_E_INPUT_MISMATCH", message, { location: { file }, hint });
}

export function readEvalSet(dir: string, labels: readonly string[]): EvalClip[] {
  if (!existsSync(dir)) throw new TinymlError("TML_E_FILE_NOT_FOUND", `data folder not found: ${dir}`, { location: { file: dir }, hint: LAYOUT_HINT });
  if (!statSync(dir).isDirectory()) mismatch(`${dir} is not a folder`, dir, LAYOUT_HINT);
  const folders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const clips: EvalClip[] = [];
  for (const folder of folders) {
    const wavs = wavsIn(join(dir, folder));
    if (wavs.length === 0) continue;
    let label = nonKeywordLabel(folder, labels);
    if (label === -1) {
      mismatch(`folder '${folder}' holds non-keyword audio, but the model has no such class (its labels: ${labels.join(", ")})`, join(dir, folder),
        "Remove the folder, or evaluate a model trained with that class (tinyml finetune adds 'silence' for _background/ and 'unknown' for _unknown/).");
    }
    if (label === undefined) {
      label = labels.indexOf(folder);
      if (label < 0) {
        const accepted = [...BACKGROUND_FOLDERS, ...UNKNOWN_FOLDERS].join(", ");
        mismatch(`folder '${folder}' is not one of the model's labels (${labels.join(", ")})`, join(dir, folder),
          `Name keyword folders after the model's labels and non-keyword folders ${accepted}.${didYouMean(folder, [...labels, ...BACKGROUND_FOLDERS, ...UNKNOWN_FOLDERS])}`);
      }
    }
    const background = BACKGROUND_FOLDERS.includes(folder);
    for (const f of wavs) {
      const path = join(dir, folder, f);
      const name = `${folder}/${f}`;
      const { samples } = readWav(path);
      if (!background && samples.length > CLIP_SAMPLES) {
        mismatch(`${name} is ${((samples.length / WAV_SAMPLE_RATE) * 1000).toFixed(0)} ms long; word clips must be at most 1 s (the classifier hears 1 s, ${CLIP_SAMPLES} samples)`, path,
          "Trim each clip to the word: sox in.wav out.wav silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse");
      }
      clips.push({ name, label, window: centred({ name, samples, label, background }) });
    }
  }
  if (clips.length === 0) mismatch(`no .wav clips in any subfolder of ${dir}`, dir, LAYOUT_HINT);
  return clips;
}
