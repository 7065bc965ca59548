// A wake-word classifier's category names, in output order. They come from
// (first found): a --labels file, the model's own tinyml metadata (written by
// `tinyml finetune`, carried through quantize), or, for TFLM's micro_speech
// model itself, its kCategoryLabels. The count must equal the classifier's
// outputs: a wrong list would put every event under the wrong keyword.

import { TinymlError } from "../errors.js";
import { mainGraph, numElements } from "../model/graph.js";
import type { LoadedModel } from "../model/load.js";
import { parseTinymlMetadata, readTinymlMetadata } from "../model/tinyml-metadata.js";
import { readInputFile } from "../util/files.js";
import { MICRO_SPEECH_LABELS } from "./settings.js";

/** TFLM's micro_speech_quantized.tflite (examples/models/micro_speech.tflite), by content. */
export const MICRO_SPEECH_SHA256 = "09e5e2a9dfb2d8ed78802bf18ce297bff54281a66ca18e0c23d69ca14f822a83";

export interface ClassifierLabels {
  labels: string[];
  /** Where they came from, for messages. */
  source: string;
}

/** A labels file: one name per line in output order (labels.txt as finetune writes it). */
export function readLabelsFile(path: string): string[] {
  const text = new TextDecoder().decode(readInputFile(path, "labels file"));
  const names = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  return parseTinymlMetadata({ labels: names }, path).labels!;
}

export function classifierLabels(classifier: LoadedModel, labelsFile?: string): ClassifierLabels {
  const found = labelsFile !== undefined
    ? { labels: readLabelsFile(labelsFile), source: labelsFile }
    : fromModel(classifier);
  const g = mainGraph(classifier.model);
  const outputs = g.outputs.length === 1 ? numElements(g.tensors[g.outputs[0]!]!.shape) : -1;
  if (found.labels.length !== outputs) {
    throw new TinymlError("TML_E_INPUT_MISMATCH", `${found.source} names ${found.labels.length} categories (${found.labels.join(", ")}), but the classifier has ${outputs} scores`, {
      location: { file: labelsFile ?? classifier.path },
      hint: "Give the labels the classifier was trained with, one per line in output order (tinyml finetune writes them to OUT/labels.txt).",
    });
  }
  return found;
}

function fromModel(classifier: LoadedModel): ClassifierLabels {
  const meta = readTinymlMetadata(classifier.model, classifier.path);
  if (meta.labels) return { labels: meta.labels, source: `${classifier.path}'s metadata` };
  if (classifier.sha256 === MICRO_SPEECH_SHA256) return { labels: [...MICRO_SPEECH_LABELS], source: "micro_speech's labels" };
  throw new TinymlError("TML_E_USAGE", `${classifier.path} does not say what its categories are`, {
    location: { file: classifier.path },
    hint: "Pass --labels FILE (one name per line, in output order), or quantize a model from tinyml finetune, which records them.",
  });
}
