// Constant tensors (weights, biases) as `static const` C arrays in their own
// element type, so they stay in flash and the kernels read them in place.

import { TinymlError } from "../../errors.js";
import { typedView } from "../../model/dtype.js";
import { numElements } from "../../model/graph.js";
import type { Tensor } from "../../model/ir.js";
import { cFloat, cInt, commentText, initializerLines } from "../c-syntax.js";
import { C_TYPES } from "./emit-context.js";

function literals(t: Tensor, index: number): string[] {
  const data = t.data!;
  const n = numElements(t.shape);
  switch (t.dtype) {
    case "float32":
      return Array.from(typedView("float32", data).subarray(0, n), (x) => {
        if (Number.isNaN(x)) {
          throw new TinymlError("TML_E_MODEL_INVALID", `constant tensor ${index} holds NaN`, {
            location: { detail: `tensor ${index} '${t.name}'` },
            hint: "Re-export the model; trained weights are never NaN.",
          });
        }
        return cFloat(x);
      });
    case "int8": return Array.from(typedView("int8", data).subarray(0, n), cInt);
    case "uint8":
    case "bool": return Array.from(typedView("uint8", data).subarray(0, n), (x) => `${x}u`);
    case "int16": return Array.from(typedView("int16", data).subarray(0, n), cInt);
    case "uint16": return Array.from(typedView("uint16", data).subarray(0, n), (x) => `${x}u`);
    case "int32": return Array.from(typedView("int32", data).subarray(0, n), cInt);
    case "uint32": return Array.from(typedView("uint32", data).subarray(0, n), (x) => `${x}u`);
    case "int64": return Array.from(typedView("int64", data).subarray(0, n), (x) => `INT64_C(${x})`);
    case "uint64": return Array.from(typedView("uint64", data).subarray(0, n), (x) => `UINT64_C(${x})`);
  }
}

/** The C name of constant tensor `index`. */
export function constantName(index: number): string {
  return `tml_t${index}`;
}

export function constantArray(t: Tensor, index: number): string {
  const values = literals(t, index);
  const perLine = t.dtype === "float32" ? 6 : t.dtype === "int8" || t.dtype === "uint8" ? 16 : 8;
  const ctype = C_TYPES[t.dtype]!;
  return [
    `/* tensor ${index} '${commentText(t.name)}': ${t.dtype} [${t.shape.join(", ")}] */`,
    `static const ${ctype} ${constantName(index)}[${Math.max(1, values.length)}] = {`,
    values.length > 0 ? initializerLines(values, perLine) : "  0,",
    "};",
  ].join("\n");
}
