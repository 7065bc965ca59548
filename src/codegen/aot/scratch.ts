// Scratch buffers the AOT kernels need, as requests to the memory planner.
// Each size is what the kernel's tml_<op>_<dtype>_scratch_size() returns for
// the same params, so the planned buffer is exactly large enough.

import { numElements } from "../../model/graph.js";
import type { Graph, Op } from "../../model/ir.js";
import { signalScratchBytes } from "./emit-signal.js";

/** Bytes of scratch op `op` needs in the AOT runtime (0 for none). */
export function aotScratchBytes(g: Graph): (op: Op) => number {
  return (op) => {
    // SignalRfft's zero-padded work area and kissfft buffer (tml_signal_rfft_s16_scratch_size).
    if (op.kind !== "builtin") return signalScratchBytes(op);
    // tml_mean_s8 accumulates one int32 per output element, as TFLM's MEAN
    // requests its temp_sum scratch (reduce_common.cc PrepareMeanOrSumHelper).
    if (op.type === "MEAN" && g.tensors[op.inputs[0]!]?.dtype === "int8") {
      return 4 * numElements(g.tensors[op.outputs[0]!]!.shape);
    }
    return 0;
  };
}
