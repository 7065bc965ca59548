// Which AOT ops may run in place, and how far (codegen/plan/overlap.ts).
// Each rule follows from the order in which the C kernel reads and writes:
//
//  - Windowed ops (CONV_2D in every variant, DEPTHWISE_CONV_2D as_conv and
//    pixels, AVERAGE_POOL_2D, MAX_POOL_2D) visit output pixels in raster
//    order. At any moment at most four consecutive pixels are in flight (the
//    widened groups of four or two, generic's pairs, one pixel otherwise),
//    every earlier pixel is finished and no later one is touched. So pixel
//    p's writes are safe if they end below the first byte any pixel from
//    p - 3 on still reads. The bound is the smallest such gap over p.
//  - DEPTHWISE_CONV_2D's blocks variant (cores with the DSP extension) runs
//    four channels at a time over the whole output, so it writes every pixel
//    before it has read them all. Run in place, it goes in bands of
//    depthwiseBandRows() output rows (tml_depthwise_conv2d_s8_rows): a
//    whole band is in flight. The plan is the same for every target, so the
//    rule is the band's wherever blocks would run.
//  - Elementwise int8 ops with an input of the output's shape read element
//    i before writing element i, in increasing i: the output may start at
//    the input's first byte (or lower).
// A wrong rule is a wrong output, which the bit-exact e2e tests on host and
// QEMU catch (test/codegen/in-place.test.ts checks the rules themselves).

import { numElements } from "../../model/graph.js";
import type { BuiltinOp, Graph, Op } from "../../model/ir.js";
import { prepareContext } from "./prepare-context.js";
import type { OverlapRule } from "../plan/index.js";
import { conv2d } from "../../reference/kernels/conv2d.js";
import { depthwiseConv2d, type DepthwiseConv2DParams } from "../../reference/kernels/depthwise-conv2d.js";
import { averagePool2d, maxPool2d } from "../../reference/kernels/pooling.js";
import { depthwiseS8Variant, depthwiseWindow } from "./conv-variants.js";

/** Pixels a kernel may have in flight at once (see above). */
export const PIXELS_IN_FLIGHT = 4;

/** Pixels a band of the depthwise blocks variant holds at least: fewer makes re-widening its filter per band cost more than the compute. */
const BAND_MIN_PIXELS = 8;

/** Output rows per band when the depthwise blocks variant runs in place. */
export function depthwiseBandRows(outputW: number): number {
  return Math.max(1, Math.ceil(BAND_MIN_PIXELS / Math.max(1, outputW)));
}

export interface RasterGeometry {
  batches: number;
  inputH: number;
  inputW: number;
  inputC: number;
  outputH: number;
  outputW: number;
  outputC: number;
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padH: number;
  padW: number;
}

/** The first valid tap index along one axis (tml_tap_range's fy0), or -1 when none is inside. */
function firstTap(origin: number, dilation: number, size: number, taps: number): number {
  for (let t = 0; t < taps; t++) {
    const at = origin + t * dilation;
    if (at >= 0 && at < size) return t;
  }
  return -1;
}

/**
 * How many bytes above the input's start an int8 raster kernel's output may
 * begin: min over pixels p of (first byte read by pixels >= p - 3) - (end of
 * p's output). Infinity when no pixel reads anything.
 */
export function rasterMaxShift(w: RasterGeometry, inFlight = PIXELS_IN_FLIGHT): number {
  const total = w.batches * w.outputH * w.outputW;
  const firstRead = new Float64Array(total);
  let p = 0;
  for (let b = 0; b < w.batches; b++) {
    for (let oy = 0; oy < w.outputH; oy++) {
      const iy0 = oy * w.strideH - w.padH;
      const fy = firstTap(iy0, w.dilationH, w.inputH, w.filterH);
      for (let ox = 0; ox < w.outputW; ox++, p++) {
        const ix0 = ox * w.strideW - w.padW;
        const fx = firstTap(ix0, w.dilationW, w.inputW, w.filterW);
        firstRead[p] = fy < 0 || fx < 0 ? Infinity
          : ((b * w.inputH + iy0 + fy * w.dilationH) * w.inputW + ix0 + fx * w.dilationW) * w.inputC;
      }
    }
  }
  // suffix[k] = the first byte read by any pixel from k on.
  const suffix = new Float64Array(total + 1).fill(Infinity);
  for (let k = total - 1; k >= 0; k--) suffix[k] = Math.min(firstRead[k]!, suffix[k + 1]!);
  let shift = Infinity;
  for (let q = 0; q < total; q++) {
    shift = Math.min(shift, suffix[Math.max(0, q - (inFlight - 1))]! - (q + 1) * w.outputC);
  }
  return shift;
}

const ELEMENTWISE: ReadonlySet<string> = new Set(["ADD", "SUB", "MUL", "RELU", "RELU6", "LOGISTIC", "TANH", "HARD_SWISH", "QUANTIZE"]);

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return numElements(a) === numElements(b) && a.length === b.length && a.every((d, i) => d === b[i]);
}


interface WindowParams {
  inputShape: number[];
  outputShape: number[];
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
}

function raster(p: WindowParams, filterH: number, filterW: number, dilationH: number, dilationW: number): RasterGeometry {
  return {
    batches: p.inputShape[0]!, inputH: p.inputShape[1]!, inputW: p.inputShape[2]!, inputC: p.inputShape[3]!,
    outputH: p.outputShape[1]!, outputW: p.outputShape[2]!, outputC: p.outputShape[3]!,
    filterH, filterW, strideH: p.strideH, strideW: p.strideW, dilationH, dilationW, padH: p.padH, padW: p.padW,
  };
}

/**
 * The band rows for a depthwise blocks op the plan put `shift` bytes above
 * its input: the most rows whose rule still allows that shift. The plan
 * was made with the smallest bands; where it left room, larger bands re-widen
 * the filter less often.
 */
export function depthwiseBandRowsFor(p: DepthwiseConv2DParams, shift: number): number {
  const w = raster(p, p.filterShape[1]!, p.filterShape[2]!, p.dilationH, p.dilationW);
  const least = depthwiseBandRows(w.outputW);
  for (let rows = w.outputH - 1; rows > least; rows--) {
    if (rasterMaxShift(w, Math.max(PIXELS_IN_FLIGHT, rows * w.outputW)) >= shift) return rows;
  }
  return least;
}

/** Whether this int8 DEPTHWISE_CONV_2D takes the blocks variant where the DSP extension is. */
export function depthwiseRunsBlocks(p: DepthwiseConv2DParams): boolean {
  return depthwiseS8Variant(depthwiseWindow(p)) === "blocks";
}

/** The raster geometry of a windowed int8 op that may run in place and the pixels it keeps in flight, or undefined. */
function rasterOf(g: Graph, op: BuiltinOp, opIndex: number): { w: RasterGeometry; inFlight: number } | undefined {
  if (op.type === "CONV_2D") {
    const p = conv2d.prepare(prepareContext(g, op, opIndex));
    return { w: raster(p, p.filterShape[1]!, p.filterShape[2]!, p.dilationH, p.dilationW), inFlight: PIXELS_IN_FLIGHT };
  }
  if (op.type === "DEPTHWISE_CONV_2D") {
    const p = depthwiseConv2d.prepare(prepareContext(g, op, opIndex));
    const w = raster(p, p.filterShape[1]!, p.filterShape[2]!, p.dilationH, p.dilationW);
    const band = depthwiseRunsBlocks(p) ? depthwiseBandRows(w.outputW) * w.outputW : 0;
    return { w, inFlight: Math.max(PIXELS_IN_FLIGHT, band) };
  }
  if (op.type === "AVERAGE_POOL_2D" || op.type === "MAX_POOL_2D") {
    const kernel = op.type === "AVERAGE_POOL_2D" ? averagePool2d : maxPool2d;
    const p = kernel.prepare(prepareContext(g, op as never, opIndex));
    return { w: raster(p, p.filterH, p.filterW, 1, 1), inFlight: PIXELS_IN_FLIGHT };
  }
  return undefined;
}

/** The in-place rules of the AOT kernels, for the memory planner. */
export function aotOverlapRules(g: Graph): (op: Op, opIndex: number) => OverlapRule[] {
  return (op, opIndex) => {
    if (op.kind !== "builtin") return [];
    const out = g.tensors[op.outputs[0] ?? -1];
    if (!out || out.dtype !== "int8" || op.outputs.length !== 1) return [];
    if (ELEMENTWISE.has(op.type)) {
      return op.inputs
        .filter((t, k) => t >= 0 && op.inputs.indexOf(t) === k)
        .filter((t) => g.tensors[t]!.dtype === "int8" && !g.tensors[t]!.data && sameShape(g.tensors[t]!.shape, out.shape))
        .map((t) => ({ input: t, output: op.outputs[0]!, maxShift: 0 }));
    }
    const src = g.tensors[op.inputs[0] ?? -1];
    if (!src || src.dtype !== "int8" || src.data) return [];
    const r = rasterOf(g, op, opIndex);
    if (!r || r.w.batches * r.w.outputH * r.w.outputW === 0) return [];
    const shift = rasterMaxShift(r.w, r.inFlight);
    return Number.isFinite(shift) ? [{ input: op.inputs[0]!, output: op.outputs[0]!, maxShift: shift }] : [];
  };
}
