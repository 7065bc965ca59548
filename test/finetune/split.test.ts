// The fine-tuning data split and weighting, without TF.js: whole speakers
// held out when file names name them, class weights that balance the
// classes, and noise mixed at the SNR asked for.
import { describe, expect, it } from "vitest";
import { noiseGainForSnr, splitClips } from "../../src/finetune/augment.js";
import type { Clip } from "../../src/finetune/dataset.js";
import { balancedClassWeights } from "../../src/finetune/model.js";
import { speakerOf } from "../../src/finetune/speakers.js";

const clip = (name: string, label: number, background = false): Clip => {
  const speaker = background ? undefined : speakerOf(name);
  return { name, samples: new Int16Array(8000), label, background, ...(speaker ? { speaker } : {}) };
};

describe("speakerOf", () => {
  it("reads Speech Commands' <speaker>_nohash_<n>.wav and <speaker>__<anything>.wav", () => {
    expect(speakerOf("marvin/0a7c2a8d_nohash_1.wav")).toBe("0a7c2a8d");
    expect(speakerOf("marvin/en-us__take3.wav")).toBe("en-us");
    expect(speakerOf("marvin/07.wav")).toBeUndefined();
    expect(speakerOf("marvin/a_b.wav")).toBeUndefined();
  });
});

describe("splitClips", () => {
  // 3 speakers x (10 keyword + 4 unknown) clips, and 6 background clips.
  const speakers = ["ann", "bob", "cy"];
  const clips = [
    ...speakers.flatMap((s) => Array.from({ length: 10 }, (_, i) => clip(`kw/${s}_nohash_${i}.wav`, 2))),
    ...speakers.flatMap((s) => Array.from({ length: 4 }, (_, i) => clip(`_unknown/${s}_nohash_${i}.wav`, 1))),
    ...Array.from({ length: 6 }, (_, i) => clip(`_background/${i}.wav`, 0, true)),
  ];

  it("holds out whole speakers when every word clip names one", () => {
    const { train, val, valSpeakers } = splitClips(clips, 3, 0.2, 1);
    expect(valSpeakers).toHaveLength(1);
    const held = valSpeakers[0]!;
    expect(val.filter((c) => !c.background).every((c) => c.speaker === held)).toBe(true);
    expect(train.some((c) => c.speaker === held)).toBe(false);
    // Background is split per clip, and every class keeps training clips.
    expect(val.filter((c) => c.background).length).toBe(1);
    for (const c of [0, 1, 2]) expect(train.some((k) => k.label === c)).toBe(true);
    expect(train.length + val.length).toBe(clips.length);
  });

  it("never takes a class's last training speaker", () => {
    // Only ann says the keyword: she cannot be held out, whatever the seed.
    const onlyAnn = clips.filter((c) => c.label !== 2 || c.speaker === "ann");
    for (const seed of [1, 2, 3, 4, 5]) {
      const { valSpeakers, train } = splitClips(onlyAnn, 3, 0.5, seed);
      expect(valSpeakers).not.toContain("ann");
      expect(train.some((k) => k.label === 2)).toBe(true);
    }
  });

  it("splits per clip when a word clip has no speaker", () => {
    const mixed = [...clips, clip("kw/extra.wav", 2)];
    const { val, valSpeakers } = splitClips(mixed, 3, 0.2, 1);
    expect(valSpeakers).toEqual([]);
    expect(new Set(val.filter((c) => c.label === 2).map((c) => c.speaker)).size).toBeGreaterThan(1);
  });
});

describe("balancedClassWeights", () => {
  it("gives each class the same total weight", () => {
    const y = [...Array(30).fill(2), ...Array(10).fill(1), ...Array(5).fill(0)];
    const w = balancedClassWeights(y, 3);
    // 45 / (3 x 30), 45 / (3 x 10), 45 / (3 x 5)
    expect(w).toEqual([3, 1.5, 0.5]);
    expect(30 * w[2]!).toBeCloseTo(5 * w[0]!, 12);
  });
});

describe("noiseGainForSnr", () => {
  it("scales the noise to the SNR over the window", () => {
    const word = Int16Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin(i / 7)));
    const noise = Int16Array.from({ length: 16000 }, (_, i) => ((i * 7919) % 2001) - 1000);
    const rms = (x: ArrayLike<number>): number => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0) / x.length);
    for (const snr of [0, 10, 20]) {
      const g = noiseGainForSnr(word, noise, snr);
      expect(20 * Math.log10(rms(word) / (g * rms(noise)))).toBeCloseTo(snr, 6);
    }
  });
});
