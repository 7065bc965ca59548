// The streamed micro_speech pipeline of golden/micro_speech_pipeline.json:
// a clip cut into 480-sample windows every 320 samples, all run through ONE
// prepared frontend (its noise estimate carries over), 40 int8 features a frame.

import { readFileSync } from "node:fs";
import { fixturesDir } from "../fixtures.js";

export interface PipelineClip {
  clip: string;
  pcm16: string;
  frames: number[][];
  scores?: number[];
  label?: string;
}

export interface PipelineGolden {
  window: number;
  stride: number;
  labels: string[];
  clips: PipelineClip[];
}

export function loadPipelineGolden(): PipelineGolden {
  return JSON.parse(readFileSync(`${fixturesDir}golden/micro_speech_pipeline.json`, "utf8")) as PipelineGolden;
}

/** The clip's samples as int16 windows (copies), window by window. */
export function clipWindows(g: PipelineGolden, clip: PipelineClip): Int16Array[] {
  const bytes = readFileSync(`${fixturesDir}golden/${clip.pcm16}`);
  const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: Int16Array[] = [];
  for (let start = 0; start + g.window <= pcm.length; start += g.stride) out.push(pcm.slice(start, start + g.window));
  return out;
}
