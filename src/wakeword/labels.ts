// Labelled wake-word test sets. A set is one of:
//   DIR/labels.json or DIR/labels.csv (or the labels file itself), clips
//     named relative to the labels file;
//   DIR/<keyword>/*.wav, one folder per keyword, each clip one occurrence
//     spanning the whole clip; _background, _silence and _unknown (and
//     folders named after the model's non-keyword labels) hold non-keyword audio.
// Everything is checked before any audio is streamed, so a bad set never
// produces a report that looks complete: every clip exists, is a 16 kHz mono
// 16-bit WAV at least one frontend window long, and every keyword is one the
// model has, with ranges inside the clip and not overlapping.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { readWav, WAV_SAMPLE_RATE } from "../audio/wav.js";
import { TinymlError } from "../errors.js";
import { didYouMean } from "../util/suggest.js";
import { invalid, parseLabelsCsv, parseLabelsJson, type RawLabel } from "./label-files.js";
import { isNonKeywordLabel } from "./events.js";
// The frontend's window: audio shorter than this yields no feature frame at all.
import { WINDOW_SAMPLES } from "./settings.js";


export interface KeywordOccurrence {
  keyword: string;
  /** Seconds from the start of the clip. */
  start: number;
  end: number;
}

export interface LabelledClip {
  /** Absolute path. */
  path: string;
  /** As named in the labels (or DIR-relative for folder sets). */
  name: string;
  samples: Int16Array;
  durationS: number;
  /** Sorted by start; empty for non-keyword audio. */
  occurrences: KeywordOccurrence[];
}

export interface LabelledSet {
  /** The labels file, or the folder for folder-per-keyword sets. */
  source: string;
  clips: LabelledClip[];
}

const LABEL_FILES = ["labels.json", "labels.csv"];
const NON_KEYWORD_FOLDERS = ["_background", "_background_noise_", "_silence", "_unknown"];

/** Loads and validates a set; `modelLabels` is the classifier's label list. */
export function loadLabelledSet(path: string, modelLabels: readonly string[]): LabelledSet {
  if (!existsSync(path)) {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `labelled audio not found: ${path}`, {
      location: { file: path },
      hint: "Give a folder with labels.json / labels.csv, a labels file, or a folder of <keyword>/*.wav clips.",
    });
  }
  if (statSync(path).isDirectory()) {
    const sidecar = LABEL_FILES.map((f) => join(path, f)).find((f) => existsSync(f));
    return sidecar ? fromLabelsFile(sidecar, modelLabels) : fromFolders(path, modelLabels);
  }
  return fromLabelsFile(path, modelLabels);
}

function fromLabelsFile(labelsFile: string, modelLabels: readonly string[]): LabelledSet {
  const text = readFileSync(labelsFile, "utf8");
  const raw = extname(labelsFile).toLowerCase() === ".csv" ? parseLabelsCsv(text, labelsFile) : parseLabelsJson(text, labelsFile);
  if (raw.length === 0) throw invalid(labelsFile, "file", "lists no clips");
  const byFile = new Map<string, RawLabel[]>();
  for (const r of raw) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const base = dirname(resolve(labelsFile));
  const clips = [...byFile].map(([name, labels]) => {
    const path = resolve(base, name);
    if (!existsSync(path)) {
      throw new TinymlError("TML_E_FILE_NOT_FOUND", `labels ${labels[0]!.where} names clip '${name}', which does not exist (${path})`, {
        location: { file: labelsFile, detail: labels[0]!.where },
        hint: "Clip paths are relative to the labels file's folder. Fix the name or add the clip.",
      });
    }
    const clip = readClip(path, name);
    const occurrences: KeywordOccurrence[] = [];
    for (const l of labels) {
      if (l.keyword === undefined || isNonKeyword(l.keyword, modelLabels, labelsFile, l.where)) continue;
      occurrences.push(rangeFor(l, clip.durationS, labelsFile));
    }
    return { ...clip, occurrences: checkOverlaps(occurrences, labelsFile, name) };
  });
  return { source: labelsFile, clips };
}

function fromFolders(dir: string, modelLabels: readonly string[]): LabelledSet {
  const folders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const clips: LabelledClip[] = [];
  for (const folder of folders) {
    const nonKeyword = NON_KEYWORD_FOLDERS.includes(folder) || isNonKeyword(folder, modelLabels, dir, `folder '${folder}'`);
    const wavs = readdirSync(join(dir, folder)).filter((f) => extname(f).toLowerCase() === ".wav").sort();
    for (const f of wavs) {
      const clip = readClip(join(dir, folder, f), `${folder}/${f}`);
      const occurrences = nonKeyword ? [] : [{ keyword: folder, start: 0, end: clip.durationS }];
      clips.push({ ...clip, occurrences });
    }
  }
  if (clips.length === 0) {
    throw new TinymlError("TML_E_INPUT_MISMATCH", `no labelled audio in ${dir}: no labels.json, labels.csv or <keyword>/*.wav`, {
      location: { file: dir },
      hint: `Put clips in one folder per keyword (${modelLabels.filter((l) => !isNonKeywordLabel(l)).join(", ")}) and non-keyword audio in _background/, or add a labels.json.`,
    });
  }
  return { source: dir, clips };
}

/** True for a label the model has but that is not a keyword; throws for a label the model lacks. */
function isNonKeyword(label: string, modelLabels: readonly string[], file: string, where: string): boolean {
  if (!modelLabels.includes(label)) {
    if (isNonKeywordLabel(label)) return true;
    throw new TinymlError("TML_E_INPUT_MISMATCH", `${where}: keyword '${label}' is not one the model recognises`, {
      location: { file, detail: where },
      hint: `The model's labels are: ${modelLabels.join(", ")}.${didYouMean(label, modelLabels)}`,
    });
  }
  return isNonKeywordLabel(label);
}

function readClip(path: string, name: string): Omit<LabelledClip, "occurrences"> {
  const { samples } = readWav(path);
  if (samples.length < WINDOW_SAMPLES) {
    throw new TinymlError(
      "TML_E_INPUT_MISMATCH",
      `${name} holds ${samples.length} samples (${((samples.length / WAV_SAMPLE_RATE) * 1000).toFixed(1)} ms), shorter than one 30 ms frontend window (${WINDOW_SAMPLES} samples)`,
      { location: { file: path }, hint: "Remove the clip from the set or pad it with silence (sox in.wav out.wav pad 0 1)." },
    );
  }
  return { path, name, samples, durationS: samples.length / WAV_SAMPLE_RATE };
}

function rangeFor(l: RawLabel, durationS: number, labelsFile: string): KeywordOccurrence {
  if ((l.start === undefined) !== (l.end === undefined)) throw invalid(labelsFile, l.where, "give both start and end, or neither (whole clip)");
  const start = l.start ?? 0;
  const end = l.end ?? durationS;
  if (start < 0 || end < 0) throw invalid(labelsFile, l.where, `negative time (start ${start} s, end ${end} s)`);
  if (end <= start) throw invalid(labelsFile, l.where, `end ${end} s is not after start ${start} s`);
  // Half a sample of slack: label tools round seconds.
  if (end > durationS + 0.5 / WAV_SAMPLE_RATE) {
    throw invalid(labelsFile, l.where, `end ${end} s is past the end of '${l.file}' (${durationS.toFixed(4)} s)`);
  }
  return { keyword: l.keyword!, start, end };
}

function checkOverlaps(occ: KeywordOccurrence[], labelsFile: string, name: string): KeywordOccurrence[] {
  const sorted = [...occ].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.start < a.end) {
      throw invalid(labelsFile, `'${name}'`, `'${a.keyword}' ${a.start}-${a.end} s overlaps '${b.keyword}' ${b.start}-${b.end} s`);
    }
  }
  return sorted;
}
