// What `--app wakeword` adds to a build: the firmware runs two models, so the
// classifier is the build's model (tml_model_*, the hash INFO reports) and
// the frontend is generated beside it under the tml_frontend prefix
// (frontend_model.c), plus the app's defines: which categories are keywords
// and the RecognizeCommands settings.

import { existsSync } from "node:fs";
import type { BoardFamily, RuntimeKind } from "../boards/board.js";
import { generateAot } from "../codegen/aot/generate.js";
import { TinymlError } from "../errors.js";
import { loadModel, type LoadedModel } from "../model/load.js";
import { packagePath } from "../paths.js";
import { isNonKeywordLabel } from "../wakeword/events.js";
import { prepareWakewordModels } from "../wakeword/pipeline.js";
import { MICRO_SPEECH_LABELS } from "../wakeword/settings.js";
import { RECOGNIZE_DEFAULTS, type RecognizeConfig } from "../wakeword/smoothing.js";
import type { BuildRequest } from "./request.js";

export const FRONTEND_PREFIX = "tml_frontend";

/**
 * TFLM's audio_preprocessor_int8.tflite (by content, wherever it lies): the
 * frontend whose classifier, micro_speech, ships in examples/models.
 */
export const MICRO_SPEECH_FRONTEND_SHA256 = "278949d197166fb8b580c0bdc94e902fb709fec0569dcf5766816b28285440e5";
export const DEFAULT_CLASSIFIER = packagePath("examples", "models", "micro_speech.tflite");

export interface WakewordBuildOptions {
  family: BoardFamily;
  runtime: RuntimeKind;
  frontend: LoadedModel;
  /** The classifier's path; default: micro_speech when the frontend is its preprocessor. */
  classifierPath?: string;
  labels?: readonly string[];
  recognize?: Partial<RecognizeConfig>;
  maxArenaBytes?: number;
}

/** The parts of a BuildRequest that make it a wake-word build. */
export type WakewordBuildParts = Pick<BuildRequest, "loaded" | "extraFiles" | "extraDefines">;

export async function wakewordBuildParts(opts: WakewordBuildOptions): Promise<WakewordBuildParts> {
  // The frontend is AOT C with its Signal* kernels; vendor projects do not take a second model yet.
  if (opts.runtime !== "aot" || (opts.family !== "host" && opts.family !== "baremetal")) {
    throw new TinymlError("TML_E_USAGE", `--app wakeword builds for host and bare-metal boards with the aot runtime (this is ${opts.family}, ${opts.runtime})`, {
      hint: "Use --board host, qemu-m4 or qemu-m7 with --runtime aot.",
    });
  }
  const classifierPath = opts.classifierPath ?? defaultClassifier(opts.frontend);
  const classifier = await loadModel(classifierPath);
  const labels = opts.labels ?? MICRO_SPEECH_LABELS;
  // Checks both models' shapes (49×40 features, one score per label) with a clear error.
  prepareWakewordModels(opts.frontend.model, classifier.model, labels);
  const frontend = generateAot(opts.frontend, { prefix: FRONTEND_PREFIX, maxArenaBytes: opts.maxArenaBytes });
  return { loaded: classifier, extraFiles: frontend.files, extraDefines: wakewordDefines(labels, opts.recognize) };
}

function defaultClassifier(frontend: LoadedModel): string {
  if (frontend.sha256 === MICRO_SPEECH_FRONTEND_SHA256 && existsSync(DEFAULT_CLASSIFIER)) return DEFAULT_CLASSIFIER;
  throw new TinymlError("TML_E_USAGE", "--app wakeword needs the classifier model: pass --classifier MODEL.tflite", {
    location: { file: frontend.path },
    hint: "Only TFLM's audio_preprocessor_int8 frontend has a default classifier (micro_speech).",
  });
}

/** The app's compile-time settings: the keyword categories as a bit mask, and the smoothing. */
export function wakewordDefines(labels: readonly string[], recognize: Partial<RecognizeConfig> = {}): Record<string, string> {
  const r = { ...RECOGNIZE_DEFAULTS, ...recognize };
  const mask = labels.reduce((m, l, i) => (isNonKeywordLabel(l) ? m : m | (1 << i)), 0);
  return {
    TML_WW_KEYWORD_MASK: `0x${mask.toString(16)}u`,
    TML_WW_AVERAGE_WINDOW_MS: String(r.averageWindowMs),
    TML_WW_DETECTION_THRESHOLD: String(r.detectionThreshold),
    TML_WW_SUPPRESSION_MS: String(r.suppressionMs),
    TML_WW_MINIMUM_COUNT: String(r.minimumCount),
    TML_RECOGNIZE_MAX_RESULTS: String(r.maxResults),
  };
}
