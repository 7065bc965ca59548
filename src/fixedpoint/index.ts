// TFLite's integer arithmetic, shared by quantize, the reference interpreter
// and the C code generator so the three can never disagree.
export * from "./multiplier.js";
export * from "./rounding.js";
export * from "./int16.js";
export * from "./activation.js";
export {
  expOnNegativeValues,
  fixedLogistic,
  fixedOne,
  fixedTanh,
  getReciprocal,
  oneMinusXOverOnePlusXForXIn01,
  oneOverOnePlusXForXIn01,
  rescale,
  roundingHalfSum,
} from "./gemmlowp.js";
