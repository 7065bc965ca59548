// The whole coverage matrix as groups of cases, one host build per group.

import { loadModel } from "../../../src/model/load.js";
import { mainGraph } from "../../../src/model/graph.js";
import { modelPath } from "../../fixtures.js";
import { Rng, type OpCase } from "./builder.js";
import { audioPreprocessorCases } from "./cases-audio.js";
import { castCases, concatenationCases, meanCases, padCases, reshapeCases, stridedSliceCases, transposeCases } from "./cases-data.js";
import { binaryCases, quantizeCases, unaryCases } from "./cases-elementwise.js";
import { convCases, depthwiseCases, fullyConnectedCases, poolCases } from "./cases-window.js";

export async function coverageCases(seed: number): Promise<OpCase[][]> {
  const rng = new Rng(seed);
  const audio = mainGraph((await loadModel(modelPath("audio_preprocessor_int8"))).model);
  return [
    [...convCases(rng, 10), ...depthwiseCases(rng, 8), ...fullyConnectedCases(rng, 8), ...poolCases(rng, 12)],
    [...unaryCases(rng), ...quantizeCases(rng), ...reshapeCases(rng)],
    binaryCases(rng),
    [
      ...meanCases(rng), ...padCases(rng), ...concatenationCases(rng), ...stridedSliceCases(rng), ...transposeCases(rng),
      ...castCases(rng), ...audioPreprocessorCases(audio),
    ],
  ];
}

