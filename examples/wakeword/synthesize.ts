// Extra "yes"/"no" clips in other voices from Debian's espeak-ng, converted to
// 16 kHz mono 16-bit with sox. Fixed voice, speed, pitch and amplitude, and
// sox without dither (-D), so the same packages give the same bytes. When
// either tool is missing this returns why, and the test set is built without
// synthetic clips.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { readWav } from "../../src/audio/wav.js";

export const SYNTH_VOICES = ["en-us", "en-gb", "en-gb-scotland"] as const;
export const SYNTH_WORDS = ["yes", "no"] as const;
const ESPEAK_FLAGS = ["-s", "140", "-p", "50", "-a", "100"];

export interface SynthClip {
  word: (typeof SYNTH_WORDS)[number];
  voice: string;
  samples: Int16Array;
}

export type SynthOutcome = { clips: SynthClip[] } | { skipped: string };

export async function synthesizeKeywords(): Promise<SynthOutcome> {
  for (const [tool, pkg] of [["espeak-ng", "espeak-ng"], ["sox", "sox"]] as const) {
    const r = await execa("sh", ["-c", `command -v ${tool}`], { reject: false });
    if (r.exitCode !== 0) return { skipped: `${tool} not found (apt-get install ${pkg}): no synthetic clips` };
  }
  const dir = mkdtempSync(join(tmpdir(), "tinyml-synth-"));
  try {
    const clips: SynthClip[] = [];
    for (const voice of SYNTH_VOICES) {
      for (const word of SYNTH_WORDS) {
        const raw = join(dir, `${word}_${voice}_22k.wav`);
        const out = join(dir, `${word}_${voice}.wav`);
        await execa("espeak-ng", ["-v", voice, ...ESPEAK_FLAGS, "-w", raw, word]);
        await execa("sox", ["-D", raw, "-r", "16000", "-c", "1", "-b", "16", out]);
        clips.push({ word, voice, samples: readWav(out).samples });
      }
    }
    return { clips };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
