// The reference interpreter as a runtime of the registry (src/runtimes.ts):
// every builtin it has a kernel for and every custom op registered with it,
// TFLM's signal-library ops (the audio frontend) included.

import { registerRuntime } from "../runtimes.js";
import { REFERENCE_CUSTOM_OPS, REFERENCE_OPS } from "./interpreter.js";
// Registers TFLM's signal-library kernels with the interpreter.
import "./kernels/signal/index.js";

registerRuntime({
  name: "reference",
  describe: "tinyml's host reference interpreter (bit-exact with TFLM)",
  builtins: REFERENCE_OPS,
  customs: REFERENCE_CUSTOM_OPS,
});
