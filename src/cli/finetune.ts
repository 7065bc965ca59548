// `tinyml finetune BASE --data DIR -o OUT`: transfer learning for a new wake
// word. Freezes the base model's feature layers, trains a new softmax head on
// the keywords in DIR (features from the device's own frontend), reports
// accuracy and a confusion matrix on a held-out split, and writes a Layers
// model directory that `tinyml quantize` and `tinyml build` take directly.

import type { LayersModel } from "@tensorflow/tfjs";
import { TinymlError, isTinymlError } from "../errors.js";
import { augment, centred, rng, splitClips } from "../finetune/augment.js";
import { readFinetuneData, type Clip } from "../finetune/dataset.js";
import { clipFeatures, DEFAULT_FRONTEND, loadFrontend } from "../finetune/features.js";
import { assemble, checkInput, embed, featureLayer, predictClasses, trainHead } from "../finetune/model.js";
import { outputDir, writeFinetuned } from "../finetune/output.js";
import { evaluate, renderConfusion } from "../finetune/report.js";
import { loadTf } from "../tfjs/backend.js";
import { fileLoadHandler } from "../tfjs/io.js";
import { tinymlVersion } from "../paths.js";
import { claimOutputDir, type ClaimedDir } from "../util/output-dir.js";
import { defineCommand } from "./command.js";
import type { Output } from "./output.js";
import { progressBar } from "./progress.js";
import { requiredOption } from "./required.js";

interface FinetuneArgs {
  base: string;
  data: string;
  output: string;
  epochs: number;
  freeze?: string;
  valSplit: number;
  seed: number;
  restarts: number;
  patience: number;
}

/** Augmented views per training clip: enough shifts and noise mixes for a 30-clip keyword. */
const AUGMENTED_VIEWS = 8;

export const finetuneCommand = defineCommand({
  name: "finetune",
  usage: "finetune <base>",
  describe: "Fine-tune a keyword model's head on a folder of labelled clips (transfer learning for a new wake word)",
  builder: (y) =>
    y
      .positional("base", { type: "string", demandOption: true, describe: "The base TF.js Layers model.json (e.g. examples/models/kws_base/model.json)" })
      .option("data", { type: "string", describe: "Folder: <keyword>/*.wav per keyword, _unknown/*.wav, _background/*.wav (16 kHz mono 16-bit)" })
      .option("output", { alias: "o", type: "string", describe: "The model directory to write (model.json, weights, labels.txt, calib/)" })
      .option("epochs", { type: "number", default: 40, describe: "Training epochs for the new head" })
      .option("freeze", { type: "string", describe: "Freeze layers up to and including this one (default: 'embedding', else the last Flatten/global pooling)" })
      .option("val-split", { type: "number", default: 0.2, describe: "Fraction of each class held out for validation" })
      .option("seed", { type: "number", default: 1, describe: "Seed for the split, augmentation and initial weights" })
      .option("restarts", { type: "number", default: 3, describe: "Heads trained from different seeds; the best on validation is kept" })
      .option("patience", { type: "number", default: 10, describe: "Stop a head after this many epochs without a lower validation loss (its best epoch is kept)" })
      .option("force", { type: "boolean", default: false, describe: "Write into a directory that holds files tinyml did not write (only tinyml's own are replaced)" })
      .example("$0 finetune examples/models/kws_base/model.json --data clips/ -o marvin/", "Fine-tune on clips/marvin, clips/_unknown, clips/_background")
      .example("$0 quantize marvin/model.json --calib marvin/calib -o marvin_int8.tflite", "Then quantize it on the same clips"),
  async run(argv, out) {
    const args = {
      ...argv,
      data: requiredOption(argv.data, "data", "finetune", "the folder of labelled clips (<keyword>/*.wav, _unknown/, _background/)"),
      output: requiredOption(argv.output, "output", "finetune", "the model directory to write"),
    };
    const epochs = args.epochs;
    if (!Number.isInteger(epochs) || epochs < 1) throw new TinymlError("TML_E_USAGE", `--epochs ${epochs} must be a positive integer`);
    for (const [flag, v] of [["--restarts", args.restarts], ["--patience", args.patience]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new TinymlError("TML_E_USAGE", `${flag} ${v} must be a positive integer`);
    }
    const valSplit = args.valSplit;
    if (!(valSplit >= 0 && valSplit < 1)) throw new TinymlError("TML_E_USAGE", `--val-split ${valSplit} is out of range`, { hint: "Give a fraction in [0, 1), e.g. 0.2." });
    const t0 = Date.now();
    // Claimed before any training: an output that would overwrite the data
    // (or anything of the user's) is refused now, not after minutes of work.
    const claim = await claimOutputDir(outputDir(args.output), {
      what: "model directory", kind: "finetuned-model", version: tinymlVersion, force: args.force,
      inputs: [{ path: args.data, what: "training data" }, { path: args.base, what: "base model" }],
    });
    try {
      return await finetune(args, out, claim, t0);
    } catch (e) {
      claim.abort();
      throw e;
    }
  },
});

async function finetune(args: FinetuneArgs, out: Output, claim: ClaimedDir, t0: number): Promise<void> {
  const { epochs, valSplit } = args;
  {
    const data = readFinetuneData(args.data);
    const frontend = loadFrontend(DEFAULT_FRONTEND);
    const tf = await loadTf();
    let base: LayersModel;
    try {
      base = await tf.loadLayersModel(fileLoadHandler(tf, args.base));
    } catch (e) {
      if (isTinymlError(e)) throw e.withFile(args.base);
      throw new TinymlError("TML_E_MODEL_INVALID", `TF.js cannot load ${args.base}: ${(e as Error).message}`, {
        location: { file: args.base },
        hint: "Give a TF.js Layers model.json as model.save() writes it.",
      });
    }
    const inputShape = checkInput(base, args.base);
    const feature = featureLayer(base, args.base, args.freeze);

    const { train, val, valSpeakers } = splitClips(data.clips, data.labels.length, valSplit, args.seed);
    const r = rng(args.seed + 1);
    const views: { clip: Clip; audio: Int16Array }[] = [];
    for (const clip of train) {
      views.push({ clip, audio: centred(clip) });
      for (let k = 0; k < AUGMENTED_VIEWS; k++) views.push({ clip, audio: augment(clip, data, r) });
    }
    const featBar = progressBar("computing features");
    const total = views.length + val.length;
    const feats = (audio: Int16Array[], offset: number): Float32Array[] =>
      audio.map((a, i) => { featBar.update(offset + i + 1, total); return clipFeatures(frontend, a); });
    const trainX = feats(views.map((v) => v.audio), 0);
    const valX = feats(val.map(centred), views.length);
    featBar.done();

    const emb = embed(tf, base, feature, inputShape, trainX);
    const valEmb = embed(tf, base, feature, inputShape, valX);
    const headName = base.layers.some((l) => l.name === "head") && feature.name !== "head" ? "finetuned_head" : "head";
    let bar = progressBar("training");
    let restartLabel = "";
    const trained = await trainHead(tf, emb, views.map((v) => v.clip.label), data.labels.length, headName, {
      epochs, seed: args.seed, restarts: args.restarts, patience: args.patience,
      val: { emb: valEmb, y: val.map((c) => c.label) },
      onRestart: (k, n) => { restartLabel = n > 1 ? `head ${k + 1}/${n}, ` : ""; },
      onBatch: (e, done) => bar.update(Math.min(done * 16, views.length), views.length, `${restartLabel}epoch ${e + 1}/${epochs}`),
      onEpochEnd: (_e, loss, acc) => out.debug(`  ${restartLabel}loss ${loss.toFixed(4)}, training accuracy ${(acc * 100).toFixed(1)}%`),
    });
    bar.done();
    const head = trained.head;
    const model = assemble(tf, base, feature, head, "kws_finetuned");
    const valY = val.map((c) => c.label);
    const evaluation = val.length > 0 ? evaluate(data.labels, valY, predictClasses(tf, model, inputShape, valX)) : undefined;

    // Calibration: every clip as the device would first see it (centred, no augmentation).
    const all = [...train, ...val];
    const calibX = [...trainX.filter((_, i) => i % (AUGMENTED_VIEWS + 1) === 0), ...valX];
    const dir = await writeFinetuned(tf, model, claim, {
      labels: data.labels,
      calib: { shape: inputShape, xs: calibX, ys: all.map((c) => c.label) },
    });
    const result = {
      base: args.base,
      output: dir,
      model: `${dir}/model.json`,
      labels: data.labels,
      frozenUntil: feature.name,
      clips: { train: train.length, validation: val.length, augmentedViews: views.length },
      /** Speakers held out whole for validation (file-name convention); empty when the split was per clip. */
      validationSpeakers: valSpeakers,
      classWeights: Object.fromEntries(data.labels.map((l, c) => [l, Number(trained.classWeights[c]!.toFixed(4))])),
      epochs,
      restarts: trained.restarts,
      keptRestart: trained.kept,
      validation: evaluation ?? null,
      backend: tf.getBackend(),
      seconds: (Date.now() - t0) / 1000,
    };
    if (out.json) {
      out.printJson(result);
      return;
    }
    const lines = [
      `wrote ${dir}/model.json (${data.labels.length} classes: ${data.labels.join(", ")}), frozen up to '${feature.name}'`,
      `trained on ${train.length} clips (${views.length} with augmentation), ${result.seconds.toFixed(1)} s on TF.js ${result.backend}; classes weighted ${data.labels.map((l, c) => `${l} ${trained.classWeights[c]!.toFixed(2)}`).join(", ")}`,
      ...trained.restarts.map((r, k) => `  head ${k + 1}: seed ${r.seed}, ${r.epochs} epochs (best ${r.bestEpoch})` +
        (r.valAccuracy !== null ? `, validation ${(r.valAccuracy * 100).toFixed(1)}% (loss ${r.valLoss!.toFixed(3)})` : `, training loss ${r.trainLoss.toFixed(3)}`) +
        (k === trained.kept ? "  <- kept" : "")),
    ];
    if (evaluation) {
      const who = valSpeakers.length > 0 ? `speakers ${valSpeakers.join(", ")} held out` : "clips held out per class; name files <speaker>_nohash_<n>.wav to hold out whole speakers";
      lines.push("", `Validation accuracy: ${(evaluation.accuracy * 100).toFixed(2)}% (${evaluation.samples} held-out clips: ${who})`, renderConfusion(data.labels, evaluation));
    } else {
      lines.push("", "No validation split (--val-split 0): accuracy not measured.");
    }
    lines.push("", `next: tinyml quantize ${dir}/model.json --calib ${dir}/calib -o ${dir}/model_int8.tflite`);
    out.print(lines.join("\n"));
  }
}
