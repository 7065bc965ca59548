// Labelled sets in all three forms, and every bad-label case of issue 7
// refused with the file, the place in it and what to do.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeWav } from "../../src/audio/wav.js";
import { TinymlError } from "../../src/errors.js";
import { loadLabelledSet } from "../../src/wakeword/labels.js";
import { MICRO_SPEECH_LABELS } from "../../src/wakeword/settings.js";
import { fixturesDir } from "../fixtures.js";

const root = mkdtempSync(join(tmpdir(), "tinyml-labels-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh folder with yes.wav, no.wav, noise.wav (1 s each) and the given files. */
function setDir(files: Record<string, string> = {}): string {
  const dir = join(root, `set${n++}`);
  mkdirSync(dir);
  for (const w of ["yes", "no", "noise"]) copyFileSync(`${fixturesDir}models/micro_speech_${w}_1000ms.wav`, join(dir, `${w}.wav`));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function refusal(path: string): TinymlError {
  try {
    loadLabelledSet(path, MICRO_SPEECH_LABELS);
  } catch (e) {
    if (e instanceof TinymlError) return e;
    throw e;
  }
  throw new Error("accepted");
}

describe("formats", () => {
  it("labels.json as a list, with whole-clip and non-keyword entries", () => {
    const dir = setDir({
      "labels.json": JSON.stringify([{ file: "yes.wav", keyword: "yes", start: 0.4, end: 0.8 }, { file: "no.wav", keyword: "no" }, { file: "noise.wav" }]),
    });
    const set = loadLabelledSet(dir, MICRO_SPEECH_LABELS);
    expect(set.source).toBe(join(dir, "labels.json"));
    expect(set.clips.map((c) => [c.name, c.samples.length, c.occurrences])).toEqual([
      ["yes.wav", 16000, [{ keyword: "yes", start: 0.4, end: 0.8 }]],
      ["no.wav", 16000, [{ keyword: "no", start: 0, end: 1 }]],
      ["noise.wav", 16000, []],
    ]);
  });

  it("labels.json as per-file lists (sorted by start; 'silence' is non-keyword)", () => {
    const dir = setDir({
      "labels.json": JSON.stringify({ "yes.wav": [{ keyword: "yes", start: 0.6, end: 0.9 }, { keyword: "no", start: 0.1, end: 0.3 }], "noise.wav": [], "no.wav": [{ keyword: "silence" }] }),
    });
    const set = loadLabelledSet(join(dir, "labels.json"), MICRO_SPEECH_LABELS);
    expect(set.clips.map((c) => c.occurrences.map((o) => o.keyword))).toEqual([["no", "yes"], [], []]);
  });

  it("labels.csv with a header, quoted fields and empty times", () => {
    const dir = setDir({ "labels.csv": 'file,keyword,start,end\r\n"yes.wav",yes,0.25,0.75\nno.wav,no,,\nnoise.wav,,,\n' });
    const set = loadLabelledSet(dir, MICRO_SPEECH_LABELS);
    expect(set.clips.map((c) => c.occurrences)).toEqual([[{ keyword: "yes", start: 0.25, end: 0.75 }], [{ keyword: "no", start: 0, end: 1 }], []]);
  });

  it("folder per keyword, with _background and _silence as non-keyword audio", () => {
    const dir = join(root, "folders");
    for (const [folder, clip] of [["yes", "yes"], ["no", "no"], ["_background", "noise"], ["_silence", "silence"]]) {
      mkdirSync(join(dir, folder!), { recursive: true });
      copyFileSync(`${fixturesDir}models/micro_speech_${clip}_1000ms.wav`, join(dir, folder!, `${clip}.wav`));
    }
    const set = loadLabelledSet(dir, MICRO_SPEECH_LABELS);
    expect(set.clips.map((c) => [c.name, c.occurrences.map((o) => o.keyword)])).toEqual([
      ["_background/noise.wav", []],
      ["_silence/silence.wav", []],
      ["no/no.wav", ["no"]],
      ["yes/yes.wav", ["yes"]],
    ]);
  });
});

describe.each([
  ["a missing clip", { "labels.json": JSON.stringify([{ file: "yes.wav", keyword: "yes" }, { file: "clips/maybe.wav", keyword: "yes" }]) }, "TML_E_FILE_NOT_FOUND", /entry 1 names clip 'clips\/maybe.wav', which does not exist/],
  ["a keyword the model lacks", { "labels.csv": "file,keyword,start,end\nyes.wav,yess,0,1\n" }, "TML_E_INPUT_MISMATCH", /line 2: keyword 'yess' is not one the model recognises/],
  ["overlapping ranges", { "labels.json": JSON.stringify({ "yes.wav": [{ keyword: "yes", start: 0.1, end: 0.5 }, { keyword: "no", start: 0.4, end: 0.7 }] }) }, "TML_E_INPUT_MISMATCH", /'yes' 0.1-0.5 s overlaps 'no' 0.4-0.7 s/],
  ["a negative start", { "labels.json": JSON.stringify([{ file: "yes.wav", keyword: "yes", start: -0.1, end: 0.5 }]) }, "TML_E_INPUT_MISMATCH", /entry 0: negative time/],
  ["end before start", { "labels.json": JSON.stringify([{ file: "yes.wav", keyword: "yes", start: 0.5, end: 0.2 }]) }, "TML_E_INPUT_MISMATCH", /end 0.2 s is not after start 0.5 s/],
  ["a range past the clip", { "labels.json": JSON.stringify([{ file: "yes.wav", keyword: "yes", start: 0.5, end: 1.5 }]) }, "TML_E_INPUT_MISMATCH", /end 1.5 s is past the end of 'yes.wav' \(1.0000 s\)/],
  ["only a start", { "labels.json": JSON.stringify([{ file: "yes.wav", keyword: "yes", start: 0.5 }]) }, "TML_E_INPUT_MISMATCH", /give both start and end/],
  ["a wrong CSV header", { "labels.csv": "clip,label\nyes.wav,yes\n" }, "TML_E_INPUT_MISMATCH", /the header must be 'file,keyword,start,end'/],
  ["a non-numeric time", { "labels.csv": "file,keyword,start,end\nyes.wav,yes,abc,1\n" }, "TML_E_INPUT_MISMATCH", /line 2: 'start' must be a number of seconds/],
  ["broken JSON", { "labels.json": "[{" }, "TML_E_INPUT_MISMATCH", /not valid JSON/],
  ["an empty list", { "labels.json": "[]" }, "TML_E_INPUT_MISMATCH", /lists no clips/],
] as const)("refuses %s", (_name, files, code, message) => {
  it("naming the labels file and the entry", () => {
    const dir = setDir(files);
    const e = refusal(dir);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.location?.file).toMatch(/labels\.(json|csv)$/);
    expect(e.hint).toBeTruthy();
  });
});

it("suggests the model's keyword for a misspelt one", () => {
  const e = refusal(setDir({ "labels.csv": "file,keyword,start,end\nyes.wav,yess,0,1\n" }));
  expect(e.hint).toContain("The model's labels are: silence, unknown, yes, no. Did you mean 'yes'?");
});

it("refuses audio shorter than one 480-sample window", () => {
  const dir = setDir({ "labels.json": JSON.stringify([{ file: "short.wav", keyword: "yes" }]) });
  writeWav(join(dir, "short.wav"), new Int16Array(479));
  const e = refusal(dir);
  expect(e.code).toBe("TML_E_INPUT_MISMATCH");
  expect(e.message).toBe("short.wav holds 479 samples (29.9 ms), shorter than one 30 ms frontend window (480 samples)");
});

it("refuses a keyword folder the model does not have, and an empty folder", () => {
  const dir = join(root, "badfolders");
  mkdirSync(join(dir, "maybe"), { recursive: true });
  copyFileSync(`${fixturesDir}models/micro_speech_yes_1000ms.wav`, join(dir, "maybe", "a.wav"));
  expect(refusal(dir).message).toMatch(/folder 'maybe': keyword 'maybe' is not one the model recognises/);
  const empty = join(root, "empty");
  mkdirSync(empty);
  expect(refusal(empty).message).toMatch(/no labelled audio in .*: no labels.json, labels.csv or <keyword>\/\*.wav/);
  expect(refusal(join(root, "absent")).code).toBe("TML_E_FILE_NOT_FOUND");
});

it("refuses a clip that is not 16 kHz mono, naming the clip", () => {
  const dir = setDir({ "labels.json": JSON.stringify([{ file: "cd.wav", keyword: "yes" }]) });
  writeWav(join(dir, "cd.wav"), new Int16Array(1000), 44100);
  const e = refusal(dir);
  expect(e.message).toContain("cd.wav is 44100 Hz");
  expect(e.location?.file).toBe(join(dir, "cd.wav"));
});
