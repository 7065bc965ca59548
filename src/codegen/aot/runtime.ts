// The AOT generator as a runtime of the registry (src/runtimes.ts): the ops
// it has an emitter for. Importing this module also registers the reference
// interpreter, so support errors can name every runtime that runs an op.

import "../../reference/runtime.js";
import { registerRuntime } from "../../runtimes.js";
import { AOT_CUSTOM_OPS, AOT_OPS } from "./emitters.js";

registerRuntime({
  name: "aot",
  describe: "tinyml's ahead-of-time C (no interpreter)",
  builtins: AOT_OPS,
  customs: AOT_CUSTOM_OPS,
});
