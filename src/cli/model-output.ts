// The .tflite files `convert` and `quantize` write: claimed before the work
// (a path tinyml cannot write, an input, or a file of the user's fails at
// once), and stamped with a "tinyml_provenance" metadata entry, the marker by
// which a later run knows the file is tinyml's to replace.

import { basename } from "node:path";
import type { Model } from "../model/ir.js";
import { tinymlVersion } from "../paths.js";
import { claimOutputFile, TINYML_MARKER } from "../util/output-file.js";

export const PROVENANCE_METADATA = "tinyml_provenance";

export function claimModelOutput(path: string, opts: { force: boolean; inputs: ReadonlyArray<{ path: string; what: string }> }): string {
  return claimOutputFile(path, { what: "output model", ...opts });
}

/** The model with tinyml's provenance entry (replacing an earlier one, so converting twice does not stack them). */
export function stampProvenance(model: Model, source: string): Model {
  const text = `${TINYML_MARKER} ${tinymlVersion} from ${basename(source)}`;
  return {
    ...model,
    metadata: [...model.metadata.filter((m) => m.name !== PROVENANCE_METADATA), { name: PROVENANCE_METADATA, data: new TextEncoder().encode(text) }],
  };
}
