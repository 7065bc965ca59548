// The options `tinyml build --app wakeword` and `tinyml test --wakeword`
// share: which models and labels, and the posterior smoothing the firmware
// is compiled with (the host reference must smooth the same way).

import type { Argv } from "yargs";
import type { RecognizeConfig } from "../wakeword/smoothing.js";

export function withWakewordOptions<T>(y: Argv<T>) {
  return y
    .option("frontend", { type: "string", describe: "Wake word: the audio frontend when MODEL is the classifier (default: the shipped audio_preprocessor_int8)" })
    .option("classifier", { type: "string", describe: "Wake word: the classifier when MODEL is the frontend (default: micro_speech)" })
    .option("labels", { type: "string", describe: "Wake word: the classifier's category names, one per line (default: the model's own, from tinyml finetune)" })
    .option("threshold", { type: "number", describe: "Wake word: detection threshold on the averaged score, 0..255 (default 200)" })
    .option("average-window-ms", { type: "number", describe: "Wake word: score averaging window (default 1000)" })
    .option("suppression-ms", { type: "number", describe: "Wake word: no repeat detection of a keyword within this time (default 1500)" })
    .option("minimum-count", { type: "number", describe: "Wake word: results needed in the window to decide (default 3)" })
    .option("classify-every", { type: "number", describe: "Wake word: run the classifier on every N-th 20 ms frame, for a board too slow for every one (default 1)" });
}

export interface WakewordArgs {
  frontend?: string;
  classifier?: string;
  labels?: string;
  threshold?: number;
  averageWindowMs?: number;
  suppressionMs?: number;
  minimumCount?: number;
  classifyEvery?: number;
}

/** The smoothing settings given on the command line (the rest keep TFLM's defaults; RecognizeCommands checks ranges). */
export function recognizeArgs(a: WakewordArgs): Partial<RecognizeConfig> {
  return {
    ...(a.threshold !== undefined ? { detectionThreshold: a.threshold } : {}),
    ...(a.averageWindowMs !== undefined ? { averageWindowMs: a.averageWindowMs } : {}),
    ...(a.suppressionMs !== undefined ? { suppressionMs: a.suppressionMs } : {}),
    ...(a.minimumCount !== undefined ? { minimumCount: a.minimumCount } : {}),
  };
}

/** Any wake-word option given, for commands that must refuse them without --app wakeword / --wakeword. */
export function givenWakewordOption(a: WakewordArgs): string | undefined {
  const names: [keyof WakewordArgs, string][] = [
    ["frontend", "--frontend"], ["classifier", "--classifier"], ["labels", "--labels"], ["threshold", "--threshold"],
    ["averageWindowMs", "--average-window-ms"], ["suppressionMs", "--suppression-ms"], ["minimumCount", "--minimum-count"], ["classifyEvery", "--classify-every"],
  ];
  return names.find(([k]) => a[k] !== undefined)?.[1];
}
