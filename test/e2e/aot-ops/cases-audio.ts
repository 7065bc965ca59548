// The audio preprocessor's builtin ops, cut out of the real model: the
// spectrum re-packing (CAST, STRIDED_SLICE, CONCATENATION with constant
// operands, CAST) between SignalEnergy and SignalFilterBank, and the int32
// feature scaling tail (CAST, MUL, ADD, DIV, ADD, MINIMUM, MAXIMUM, CAST)
// after SignalFilterBankLog. Its Signal* custom ops are not AOT ops yet.

import type { Graph, Op } from "../../../src/model/ir.js";
import type { InputSpec, OpCase } from "./builder.js";

/** The ops [first, last] of `g` as a graph: free non-constant inputs become graph inputs. */
function cut(g: Graph, first: number, last: number): Graph {
  const ops = g.ops.slice(first, last + 1);
  const produced = new Set(ops.flatMap((op) => op.outputs));
  const used = [...new Set(ops.flatMap((op) => [...op.inputs, ...op.outputs]).filter((t) => t >= 0))].sort((a, b) => a - b);
  const index = new Map(used.map((t, k) => [t, k]));
  const remap = (op: Op): Op => ({ ...op, inputs: op.inputs.map((t) => (t < 0 ? t : index.get(t)!)), outputs: op.outputs.map((t) => index.get(t)!) });
  const inputs = used.filter((t) => !produced.has(t) && !g.tensors[t]!.data);
  return {
    name: "main",
    tensors: used.map((t) => g.tensors[t]!),
    inputs: inputs.map((t) => index.get(t)!),
    outputs: ops[ops.length - 1]!.outputs.map((t) => index.get(t)!),
    ops: ops.map(remap),
  };
}

export function audioPreprocessorCases(g: Graph): OpCase[] {
  const repack = cut(g, 5, 8);
  const tail = cut(g, 14, 21);
  // Energies are uint32 of any size; the log filterbank emits int16 in [0, ~1800].
  const repackSpecs: InputSpec[] = [{ lo: 0, hi: 4294967295 }];
  const tailSpecs: InputSpec[] = [{ lo: -200, hi: 4000 }];
  return [
    { name: "audio_preprocessor_int8 ops 5-8 (CAST, STRIDED_SLICE, CONCATENATION, CAST)", op: "audio_preprocessor", variant: "uint32/int32", graph: repack, inputSpecs: repackSpecs },
    { name: "audio_preprocessor_int8 ops 14-21 (CAST, MUL, ADD, DIV, ADD, MINIMUM, MAXIMUM, CAST)", op: "audio_preprocessor", variant: "int16/int32", graph: tail, inputSpecs: tailSpecs },
  ];
}
