// The float reference: the original Layers model run by TensorFlow.js, to
// check what tinyml's conversion computes against what the model's authors
// ran. Inputs and outputs are flat float32 arrays, one per model input/output,
// with the batch dim of 1 implied.

import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { loadTf, type Tf } from "./backend.js";
import { fileLoadHandler } from "./io.js";

export interface TfjsFloatModel {
  /** Input shapes without the batch dim. */
  inputShapes: number[][];
  /** Runs a batch: samples[k][i] is input i of sample k; returns outputs[k][o]. */
  predict(samples: Float32Array[][]): Float32Array[][];
  dispose(): void;
}

function wrap(tf: Tf, model: LayersModel): TfjsFloatModel {
  const inputShapes = model.inputs.map((t) => t.shape.slice(1).map((d) => d ?? 1));
  return {
    inputShapes,
    predict(samples) {
      return tf.tidy(() => {
        const xs = inputShapes.map((shape, i) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const buf = new Float32Array(samples.length * n);
          samples.forEach((s, k) => buf.set(s[i]!, k * n));
          return tf.tensor(buf, [samples.length, ...shape], "float32");
        });
        const y = model.predict(xs.length === 1 ? xs[0]! : xs);
        const ys: Tensor[] = Array.isArray(y) ? y : [y];
        const flat = ys.map((t) => t.dataSync() as Float32Array);
        return samples.map((_, k) =>
          flat.map((d) => {
            const n = d.length / samples.length;
            return d.slice(k * n, (k + 1) * n);
          }),
        );
      });
    },
    dispose: () => model.dispose(),
  };
}

/** Loads a model.json (shards beside it) into TF.js for float inference. */
export async function loadTfjsFloatModel(modelPath: string): Promise<TfjsFloatModel> {
  const tf = await loadTf();
  return wrap(tf, await tf.loadLayersModel(fileLoadHandler(tf, modelPath)));
}
