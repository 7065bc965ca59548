// Which variant the C dispatchers tml_conv2d_s8 and tml_depthwise_conv2d_s8
// run for given params, and the scratch bytes they ask for. The rules are
// the C ones (tml_conv2d_s8_select, tml_depthwise_conv2d_s8_select and the
// *_scratch_size functions in firmware/kernels, one file per variant as
// CMSIS-NN lays them out); this is their mirror for the memory planner, so
// the plan reserves exactly what the kernel carves.
// test/codegen/conv-variants.test.ts compiles the C functions and checks
// both agree for every conv of the shipped models and at every threshold.

import type { Conv2DParams } from "../../reference/kernels/conv2d.js";
import type { DepthwiseConv2DParams } from "../../reference/kernels/depthwise-conv2d.js";

/** tml_conv2d_s8_variant, in the enum's order. */
export const CONV2D_S8_VARIANTS = ["generic", "pointwise", "windows"] as const;
export type Conv2dS8Variant = (typeof CONV2D_S8_VARIANTS)[number];

/** The geometry and offsets the rules read: the fields of tml_conv2d_s8_params they use. */
export interface ConvWindow {
  inputH: number;
  inputW: number;
  inputC: number;
  filterH: number;
  filterW: number;
  filterInputC: number;
  outputH: number;
  outputW: number;
  outputC: number;
  strideH: number;
  strideW: number;
  dilationW: number;
  padH: number;
  padW: number;
  inputOffset: number;
}

// The kernels' compile-time constants (tml_conv2d_s8.c, tml_depthwise_conv2d_s8.c).
const CV_CHUNK = 16;
const CV_COLS = 128;
const DW_CHUNK = 32;
const DW_TRANSPOSE_MAX = 1024;
const DW_TAPS_MAX = 64;

export function conv2dWindow(p: Conv2DParams): ConvWindow {
  return {
    inputH: p.inputShape[1]!, inputW: p.inputShape[2]!, inputC: p.inputShape[3]!,
    filterH: p.filterShape[1]!, filterW: p.filterShape[2]!, filterInputC: p.filterShape[3]!,
    outputH: p.outputShape[1]!, outputW: p.outputShape[2]!, outputC: p.outputShape[3]!,
    strideH: p.strideH, strideW: p.strideW, dilationW: p.dilationW, padH: p.padH, padW: p.padW,
    inputOffset: p.inputOffset,
  };
}

/** tml_cv_cols_pixels: pixels per widened group (4, 2) or 0 when no widening variant applies. */
function colsPixels(w: ConvWindow): number {
  const off = w.inputOffset;
  const k = w.filterH * w.filterW * w.filterInputC;
  if (!(off >= -32640 && off <= 32640 && w.inputC === w.filterInputC && w.dilationW === 1)) return 0;
  if ((k >> 2) * 4 <= CV_COLS) return 4;
  if ((k >> 2) * 2 <= CV_COLS) return 2;
  return 0;
}

/** tml_conv2d_s8_select: the variant on cores with the DSP extension (others always run generic). */
export function conv2dS8Variant(w: ConvWindow): Conv2dS8Variant {
  const np = colsPixels(w);
  if (np > 0 && w.filterH === 1 && w.filterW === 1 && w.padH === 0 && w.padW === 0 &&
      (w.outputH - 1) * w.strideH < w.inputH && (w.outputW - 1) * w.strideW < w.inputW) return "pointwise";
  if (np > 0 && w.inputOffset >= -127 && w.inputOffset <= 128) return "windows";
  return "generic";
}

/**
 * The C function the AOT code calls for an int8 CONV_2D: the entry of the
 * variant tml_conv2d_s8_select picks where the DSP extension is
 * (tml_conv2d_s8_run_<variant>; on other cores every entry runs the generic
 * variant), so an image links only the variants its model runs.
 */
export function conv2dS8Entry(w: ConvWindow): string {
  return `tml_conv2d_s8_run_${conv2dS8Variant(w)}`;
}

/** tml_conv2d_s8_scratch_size. */
export function conv2dS8ScratchBytes(w: ConvWindow): number {
  if (conv2dS8Variant(w) === "generic") return 2 * CV_CHUNK * 4;
  const np = colsPixels(w);
  const k = w.filterH * w.filterW * w.filterInputC;
  return np * (k >> 2) * 8 + (3 * np + np * CV_CHUNK) * 4;
}

/** The depthwise geometry: one filter "input channel", depth multiplier. */
export interface DepthwiseWindow extends Omit<ConvWindow, "filterInputC"> {
  depthMultiplier: number;
}

export function depthwiseWindow(p: DepthwiseConv2DParams): DepthwiseWindow {
  return {
    inputH: p.inputShape[1]!, inputW: p.inputShape[2]!, inputC: p.inputShape[3]!,
    filterH: p.filterShape[1]!, filterW: p.filterShape[2]!,
    outputH: p.outputShape[1]!, outputW: p.outputShape[2]!, outputC: p.outputShape[3]!,
    strideH: p.strideH, strideW: p.strideW, dilationW: p.dilationW, padH: p.padH, padW: p.padW,
    inputOffset: p.inputOffset, depthMultiplier: p.depthMultiplier,
  };
}

/**
 * Whether the AOT build runs this int8 DEPTHWISE_CONV_2D as the CONV_2D it
 * is, with its filter transposed at build time: the as_conv variant, with a
 * constant int8 filter (`filter`, the op's input 1).
 */
export function depthwiseRunsAsConv(w: DepthwiseWindow, filter: { dtype: string; data?: Uint8Array } | undefined): boolean {
  return !!filter?.data && filter.dtype === "int8" && depthwiseS8Variant(w) === "as_conv";
}

/** tml_depthwise_conv2d_s8_variant, in the enum's order. */
export const DEPTHWISE_CONV2D_S8_VARIANTS = ["pixels", "as_conv", "blocks"] as const;
export type DepthwiseConv2dS8Variant = (typeof DEPTHWISE_CONV2D_S8_VARIANTS)[number];

/** tml_depthwise_conv2d_s8_select: blocks only where the DSP extension is (elsewhere pixels). */
export function depthwiseS8Variant(w: DepthwiseWindow): DepthwiseConv2dS8Variant {
  if (depthwiseIsConv(w)) return "as_conv";
  if (depthwiseHasBlocks(w)) return "blocks";
  return "pixels";
}

/** tml_dw_is_conv: one input channel and 16 taps or more run as a CONV_2D with the filter transposed. */
function depthwiseIsConv(w: DepthwiseWindow): boolean {
  return w.inputC === 1 && w.filterH * w.filterW >= 16 && w.filterH * w.filterW * w.outputC <= DW_TRANSPOSE_MAX;
}

/** tml_dw_has_blocks: the DSP blocks of four channels apply. */
function depthwiseHasBlocks(w: DepthwiseWindow): boolean {
  const off = w.inputOffset, dm = w.depthMultiplier;
  return off >= -32640 && off <= 32640 && dm > 0 && (dm === 1 || dm % 4 === 0) &&
    w.filterH > 0 && w.filterW > 0 && w.filterH * w.filterW <= DW_TAPS_MAX;
}

/**
 * The C function the AOT code calls for an int8 DEPTHWISE_CONV_2D, all of
 * them taking (params, band_rows, tensors, scratch): the blocks entry when
 * its blocks of four cover every channel, the pixels entry, or the
 * dispatcher tml_depthwise_conv2d_s8_rows for what needs two variants (the
 * channels blocks leave) or the as_conv variant with a filter computed at
 * run time.
 */
export function depthwiseS8Entry(w: DepthwiseWindow): string {
  const variant = depthwiseS8Variant(w);
  if (variant === "blocks" && (w.depthMultiplier !== 1 || w.outputC % 4 === 0)) return "tml_depthwise_conv2d_s8_run_blocks";
  if (variant === "pixels") return "tml_depthwise_conv2d_s8_run_pixels";
  return "tml_depthwise_conv2d_s8_rows";
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** tml_depthwise_conv2d_s8_scratch_size. */
export function depthwiseS8ScratchBytes(w: DepthwiseWindow): number {
  const taps = w.filterH * w.filterW;
  const variant = depthwiseS8Variant(w);
  if (variant === "as_conv") return align8(taps * w.outputC) + conv2dS8ScratchBytes({ ...w, filterInputC: 1 });
  return Math.max(variant === "blocks" ? 3 * taps * 4 : 0, DW_CHUNK * 4);
}
