// What `--app wakeword` adds to a build: the firmware runs two models, so the
// classifier is the build's model (tml_model_*, the hash INFO reports) and
// the frontend is generated beside it under the tml_frontend prefix
// (frontend_model.c), with the classifier's labels (wakeword_labels.c, for
// the event lines the app prints when it listens to a microphone) and the
// app's defines: which categories are keywords and the smoothing settings.
//
// MODEL on the command line is either model, told apart by what it takes:
// int8 features make it the classifier (the frontend defaults to the shipped
// audio_preprocessor_int8), int16 audio makes it the frontend (the
// classifier then defaults to micro_speech).

import { existsSync } from "node:fs";
import type { BoardFamily, RuntimeKind } from "../boards/board.js";
import type { GeneratedFile } from "../codegen/c-array.js";
import { cString } from "../codegen/c-syntax.js";
import { generateAot } from "../codegen/aot/generate.js";
import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import { loadModel, type LoadedModel } from "../model/load.js";
import { packagePath } from "../paths.js";
import { classifierLabels } from "../wakeword/classifier-labels.js";
import { isNonKeywordLabel } from "../wakeword/events.js";
import { checkClassifyEvery, prepareWakewordModels } from "../wakeword/pipeline.js";
import { checkFeatureScale } from "../wakeword/feature-scale.js";
import { RECOGNIZE_DEFAULTS, RecognizeCommands, type RecognizeConfig } from "../wakeword/smoothing.js";
import { modelWeightBytes } from "./model-sources.js";
import type { FirmwareRequest } from "./request.js";

export const FRONTEND_PREFIX = "tml_frontend";

/** TFLM's audio_preprocessor_int8.tflite (by content, wherever it lies). */
export const MICRO_SPEECH_FRONTEND_SHA256 = "278949d197166fb8b580c0bdc94e902fb709fec0569dcf5766816b28285440e5";
export const DEFAULT_FRONTEND = packagePath("examples", "models", "audio_preprocessor_int8.tflite");
export const DEFAULT_CLASSIFIER = packagePath("examples", "models", "micro_speech.tflite");

export interface WakewordBuildOptions {
  family: BoardFamily;
  runtime: RuntimeKind;
  /** MODEL from the command line: the classifier, or the frontend. */
  model: LoadedModel;
  /** --frontend (when MODEL is the classifier). */
  frontendPath?: string;
  /** --classifier (when MODEL is the frontend). */
  classifierPath?: string;
  /** --labels: the classifier's category names, one per line. */
  labelsPath?: string;
  recognize?: Partial<RecognizeConfig>;
  /** --classify-every: the classifier on every N-th frame (default 1). */
  classifyEvery?: number;
  maxArenaBytes?: number;
}

/** The parts of a BuildRequest that make it a wake-word build. */
export type WakewordBuildParts = Pick<FirmwareRequest, "loaded" | "extraFiles" | "extraDefines" | "extraMemory" | "extraInputs">;

export interface WakewordBuild {
  /** Spread into buildFirmware's request. */
  parts: WakewordBuildParts;
  frontend: LoadedModel;
  classifier: LoadedModel;
  labels: string[];
  recognize: RecognizeConfig;
  classifyEvery: number;
}

/** Whether a model takes int16 audio (a frontend) rather than features. */
function takesAudio(m: LoadedModel): boolean {
  const g = mainGraph(m.model);
  return g.inputs.length === 1 && g.tensors[g.inputs[0]!]!.dtype === "int16";
}

export async function wakewordModels(opts: Pick<WakewordBuildOptions, "model" | "frontendPath" | "classifierPath">): Promise<{ frontend: LoadedModel; classifier: LoadedModel }> {
  if (takesAudio(opts.model)) {
    if (opts.frontendPath !== undefined) {
      throw new TinymlError("TML_E_USAGE", `${opts.model.path} takes audio, so it is the frontend; --frontend names a second one`, {
        hint: "Give the classifier as MODEL and the frontend with --frontend (or the frontend as MODEL and the classifier with --classifier).",
      });
    }
    return { frontend: opts.model, classifier: await loadModel(opts.classifierPath ?? defaultClassifier(opts.model)) };
  }
  if (opts.classifierPath !== undefined) {
    throw new TinymlError("TML_E_USAGE", `${opts.model.path} takes features, so it is the classifier; --classifier names a second one`, {
      hint: "Give the classifier as MODEL and, if it is not the shipped audio_preprocessor_int8, the frontend with --frontend.",
    });
  }
  return { frontend: await loadModel(opts.frontendPath ?? DEFAULT_FRONTEND), classifier: opts.model };
}

export async function wakewordBuild(opts: WakewordBuildOptions): Promise<WakewordBuild> {
  // The frontend is AOT C with its Signal* kernels, and both models share one kernel set.
  if (opts.runtime !== "aot") {
    throw new TinymlError("TML_E_USAGE", `--app wakeword builds with the aot runtime (not ${opts.runtime}): the frontend's Signal* kernels are tinyml's C`, {
      hint: "Use --runtime aot (every board supports it).",
    });
  }
  const { frontend, classifier } = await wakewordModels(opts);
  const { labels } = classifierLabels(classifier, opts.labelsPath);
  // Checks both models' shapes (49×40 features, one score per label) with a clear error.
  prepareWakewordModels(frontend.model, classifier.model, labels);
  if (frontend.sha256 === MICRO_SPEECH_FRONTEND_SHA256) checkFeatureScale(classifier);
  const recognize = new RecognizeCommands(labels.length, opts.recognize).config;
  const classifyEvery = checkClassifyEvery(opts.classifyEvery ?? 1);
  const generated = generateAot(frontend, { prefix: FRONTEND_PREFIX, maxArenaBytes: opts.maxArenaBytes });
  return {
    parts: {
      loaded: classifier,
      extraFiles: [...generated.files, labelsSource(labels)],
      extraDefines: wakewordDefines(labels, recognize, classifyEvery),
      extraMemory: { what: "frontend", weightBytes: modelWeightBytes(frontend), arenaBytes: generated.plan.arenaBytes },
      extraInputs: [frontend.path],
    },
    frontend, classifier, labels, recognize: { ...recognize }, classifyEvery,
  };
}

function defaultClassifier(frontend: LoadedModel): string {
  if (frontend.sha256 === MICRO_SPEECH_FRONTEND_SHA256 && existsSync(DEFAULT_CLASSIFIER)) return DEFAULT_CLASSIFIER;
  throw new TinymlError("TML_E_USAGE", "--app wakeword needs the classifier model: pass --classifier MODEL.tflite", {
    location: { file: frontend.path },
    hint: "Only TFLM's audio_preprocessor_int8 frontend has a default classifier (micro_speech).",
  });
}

/** wakeword_labels.c: the names the app prints in its event lines. */
export function labelsSource(labels: readonly string[]): GeneratedFile {
  const text = [
    "/* Generated by tinyml: the wake-word classifier's categories, in output order. */",
    "#include <stddef.h>",
    "",
    "extern const char *const tml_ww_labels[];",
    "extern const size_t tml_ww_label_count;",
    "",
    `const char *const tml_ww_labels[] = {${labels.map(cString).join(", ")}};`,
    `const size_t tml_ww_label_count = ${labels.length}u;`,
    "",
  ].join("\n");
  return { path: "wakeword_labels.c", text };
}

/** The app's compile-time settings: the keyword categories as a bit mask, and the smoothing. */
export function wakewordDefines(labels: readonly string[], recognize: Partial<RecognizeConfig> = {}, classifyEvery = 1): Record<string, string> {
  const r = { ...RECOGNIZE_DEFAULTS, ...recognize };
  if (labels.length > 32) {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `the wake-word app takes at most 32 categories (a 32-bit keyword mask); this classifier has ${labels.length}`, {
      hint: "Fine-tune a head for the keywords you need (tinyml finetune) rather than deploying a many-class base model.",
    });
  }
  const mask = labels.reduce((m, l, i) => (isNonKeywordLabel(l) ? m : m | (1 << i)), 0);
  return {
    TML_WW_KEYWORD_MASK: `0x${(mask >>> 0).toString(16)}u`,
    TML_WW_AVERAGE_WINDOW_MS: String(r.averageWindowMs),
    TML_WW_DETECTION_THRESHOLD: String(r.detectionThreshold),
    TML_WW_SUPPRESSION_MS: String(r.suppressionMs),
    TML_WW_MINIMUM_COUNT: String(r.minimumCount),
    TML_WW_CLASSIFY_EVERY: String(classifyEvery),
    TML_RECOGNIZE_MAX_RESULTS: String(r.maxResults),
    // The smoothing keeps a score per category per queued result.
    TML_RECOGNIZE_MAX_CATEGORIES: String(Math.max(12, labels.length)),
  };
}
