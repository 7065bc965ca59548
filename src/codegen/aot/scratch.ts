// Scratch buffers the AOT kernels need, as requests to the memory planner.
// Each size is what the kernel's tml_<op>_<dtype>_scratch_size() returns for
// the same params, so the planned buffer is exactly large enough and the
// arena (and with it the RAM budget) counts every byte a kernel touches.

import { numElements } from "../../model/graph.js";
import type { BuiltinOp, Graph, Op } from "../../model/ir.js";
import { prepareContext } from "./prepare-context.js";
import { conv2d } from "../../reference/kernels/conv2d.js";
import { depthwiseConv2d } from "../../reference/kernels/depthwise-conv2d.js";
import { conv2dS8ScratchBytes, conv2dWindow, depthwiseRunsAsConv, depthwiseS8ScratchBytes, depthwiseWindow } from "./conv-variants.js";
import { signalScratchBytes } from "./emit-signal.js";

/** Bytes of scratch op `op` needs in the AOT runtime (0 for none). */
export function aotScratchBytes(g: Graph): (op: Op, opIndex: number) => number {
  return (op, opIndex) => {
    // SignalRfft's zero-padded work area and kissfft buffer (tml_signal_rfft_s16_scratch_size).
    if (op.kind !== "builtin") return signalScratchBytes(op);
    if (g.tensors[op.inputs[0]!]?.dtype !== "int8") return 0;
    // tml_mean_s8 accumulates one int32 per output element, as TFLM's MEAN
    // requests its temp_sum scratch (reduce_common.cc PrepareMeanOrSumHelper).
    if (op.type === "MEAN") return 4 * numElements(g.tensors[op.outputs[0]!]!.shape);
    // The conv kernels' widened windows, filter tables and accumulators
    // (tml_conv2d_s8_scratch_size, tml_depthwise_conv2d_s8_scratch_size),
    // from the same prepare values the emitters write into their params.
    if (op.type === "CONV_2D") return conv2dS8ScratchBytes(conv2dWindow(conv2d.prepare(prepareContext(g, op, opIndex))));
    if (op.type === "DEPTHWISE_CONV_2D") {
      const p = depthwiseConv2d.prepare(prepareContext(g, op, opIndex));
      // Run as CONV_2D with the filter transposed at build time (emit-window.ts): only the conv's scratch.
      const w = depthwiseWindow(p);
      if (depthwiseRunsAsConv(w, g.tensors[op.inputs[1] ?? -1])) return conv2dS8ScratchBytes({ ...w, filterInputC: 1 });
      return depthwiseS8ScratchBytes(w);
    }
    return 0;
  };
}
