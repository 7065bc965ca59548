// What `tinyml test --wakeword DIR MODEL` adds to a test run: both models of
// the wake-word firmware (MODEL is the classifier or the frontend, see
// src/firmware-project/wakeword.ts), the labelled set (sharded by clip with
// --shard), and the firmware parts the build needs. The run itself is the
// same as every test mode's (src/validate/runner.ts).

import { resolve } from "node:path";
import type { FirmwareRequest } from "../firmware-project/request.js";
import { wakewordBuild } from "../firmware-project/wakeword.js";
import type { LoadedModel } from "../model/load.js";
import { shardCases, type Shard } from "../validate/inputs.js";
import type { WakewordMode } from "../validate/wakeword-runner.js";
import { loadLabelledSet } from "../wakeword/labels.js";
import { recognizeArgs, type WakewordArgs } from "./wakeword-options.js";

export interface WakewordTestPlan {
  mode: WakewordMode;
  /** Spread into the firmware request: the classifier is the firmware's model, the frontend rides beside it. */
  firmware: Pick<FirmwareRequest, "loaded" | "extraFiles" | "extraDefines" | "extraMemory" | "extraInputs">;
  /** The labelled set's directory (an input the build may not overwrite). */
  setDir: string;
}

export async function wakewordTestPlan(args: WakewordArgs & { wakeword: string }, model: LoadedModel, family: Parameters<typeof wakewordBuild>[0]["family"], shard?: Shard): Promise<WakewordTestPlan> {
  const ww = await wakewordBuild({
    family, runtime: "aot", model,
    frontendPath: args.frontend, classifierPath: args.classifier, labelsPath: args.labels, recognize: recognizeArgs(args), classifyEvery: args.classifyEvery,
  });
  const setDir = resolve(args.wakeword);
  // Labels are checked against the classifier's categories before anything runs.
  const set = loadLabelledSet(setDir, ww.labels);
  const clips = shard ? shardCases(set.clips, shard) : set.clips;
  return {
    mode: { kind: "wakeword", frontend: ww.frontend, classifier: ww.classifier, set: { ...set, clips }, labels: ww.labels, recognize: ww.recognize, classifyEvery: ww.classifyEvery },
    firmware: { ...ww.parts, extraInputs: [...(ww.parts.extraInputs ?? []), setDir] },
    setDir,
  };
}
