// `tinyml evaluate MODEL --data DIR`: scores a keyword classifier on a folder
// per keyword of WAV clips, the features from the device's own frontend,
// and prints accuracy, per-class recall and the confusion matrix. It is how a
// fine-tuned model is judged on voices it never heard, before and after
// quantization, with the numbers finetune's own validation split cannot give.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { DEFAULT_FRONTEND, loadFrontend } from "../finetune/features.js";
import { readEvalSet } from "../finetune/eval-set.js";
import { evaluate, renderConfusion } from "../finetune/report.js";
import { argmax, classifierScorer } from "../finetune/scorer.js";
import { loadModel, type LoadedModel } from "../model/load.js";
import { readTinymlMetadata } from "../model/tinyml-metadata.js";
import { classifierLabels } from "../wakeword/classifier-labels.js";
import { defineCommand } from "./command.js";
import { modelArg } from "./model-arg.js";
import { progressBar } from "./progress.js";
import { requiredOption } from "./required.js";

/**
 * A Layers model that does not carry its labels (examples/models/kws_base)
 * has them in labels.txt beside it, as finetune writes them too; the model's
 * own metadata wins when it has some.
 */
function labelsBeside(loaded: LoadedModel): string | undefined {
  if (loaded.format !== "tfjs-layers" || readTinymlMetadata(loaded.model, loaded.path).labels) return undefined;
  const file = join(dirname(loaded.path), "labels.txt");
  return existsSync(file) ? file : undefined;
}

export const evaluateCommand = defineCommand({
  name: "evaluate",
  usage: "evaluate [model]",
  describe: "Score a keyword classifier on a folder per keyword of WAV clips (accuracy, per-class recall, confusion matrix)",
  builder: (y) =>
    y
      .positional("model", { type: "string", describe: "A TF.js Layers model.json (from finetune) or a .tflite classifier (int8 runs bit-exact, as the device)" })
      .option("data", { type: "string", describe: "Folder: <keyword>/*.wav per label, _background/ or _silence_/, _unknown/ or _unknown_/ (16 kHz mono 16-bit)" })
      .option("labels", { type: "string", describe: "The classifier's category names, one per line in output order (default: the model's own)" })
      .example("$0 evaluate kw/model.json --data heldout/", "Accuracy of a fine-tuned model on held-out voices")
      .example("$0 evaluate kw/kw_int8.tflite --data heldout/ --json", "The same for its int8 model, as the device computes it"),
  async run(args, out) {
    const modelPath = modelArg(args.model, "evaluate");
    const data = requiredOption(args.data, "data", "evaluate", "the folder of labelled clips (<keyword>/*.wav, _background/, _unknown/)");
    const t0 = Date.now();
    const loaded = await loadModel(modelPath);
    const { labels, source } = classifierLabels(loaded, args.labels ?? labelsBeside(loaded));
    // The model is checked before the data: a wrong model is named as such, not as a label mismatch.
    const scorer = await classifierScorer(loaded, loadFrontend(DEFAULT_FRONTEND));
    const clips = readEvalSet(data, labels);
    const bar = progressBar("scoring clips");
    const scores: number[][] = [];
    try {
      // A batch at a time, so the bar moves.
      for (let at = 0; at < clips.length; at += 16) {
        scores.push(...scorer.score(clips.slice(at, at + 16).map((c) => c.window)));
        bar.update(scores.length, clips.length);
      }
    } finally {
      bar.done();
      scorer.dispose();
    }
    const predicted = scores.map(argmax);
    const e = evaluate(labels, clips.map((c) => c.label), predicted);
    const result = {
      model: modelPath,
      data,
      engine: scorer.engine,
      labels,
      labelsFrom: source,
      ...e,
      clips: clips.map((c, i) => ({ name: c.name, actual: labels[c.label]!, predicted: labels[predicted[i]!]!, scores: scores[i]! })),
      seconds: (Date.now() - t0) / 1000,
    };
    if (out.json) {
      out.printJson(result);
      return;
    }
    const engine = { tfjs: "TF.js (float)", "reference-int8": "the bit-exact reference (int8, as the device)", "reference-float": "the reference interpreter (float)" }[scorer.engine];
    out.print([
      `${modelPath} on ${clips.length} clips in ${data}, run by ${engine}`,
      "",
      `Accuracy: ${(e.accuracy * 100).toFixed(2)}% (${predicted.filter((p, i) => p === clips[i]!.label).length}/${clips.length})`,
      renderConfusion(labels, e),
    ].join("\n"));
  },
});
