// tensorflow/lite/kernels/padding.h: output size and the (top/left) padding
// TFLite derives from SAME/VALID, stride and dilation.

import type { Padding } from "../model/ops.js";

export interface PaddingValues {
  width: number;
  height: number;
  widthOffset: number;
  heightOffset: number;
}

function effectiveFilterSize(filterSize: number, dilation: number): number {
  return (filterSize - 1) * dilation + 1;
}

/** ComputeOutSize (GetWindowedOutputSize in TensorFlow). */
export function computeOutSize(padding: Padding, imageSize: number, filterSize: number, stride: number, dilation = 1): number {
  const eff = effectiveFilterSize(filterSize, dilation);
  return padding === "SAME" ? Math.trunc((imageSize + stride - 1) / stride) : Math.max(0, Math.trunc((imageSize + stride - eff) / stride));
}

/** ComputePaddingWithOffset: total padding split with the odd pixel at the end. */
function paddingWithOffset(stride: number, dilation: number, inSize: number, filterSize: number, outSize: number): [number, number] {
  const total = Math.max(0, (outSize - 1) * stride + effectiveFilterSize(filterSize, dilation) - inSize);
  return [Math.trunc(total / 2), total % 2];
}

/** ComputePaddingHeightWidth, returning the output size it implies too. */
export function computePaddingHeightWidth(
  strideH: number,
  strideW: number,
  dilationH: number,
  dilationW: number,
  inH: number,
  inW: number,
  filterH: number,
  filterW: number,
  padding: Padding,
): { padding: PaddingValues; outH: number; outW: number } {
  const outW = computeOutSize(padding, inW, filterW, strideW, dilationW);
  const outH = computeOutSize(padding, inH, filterH, strideH, dilationH);
  const [height, heightOffset] = paddingWithOffset(strideH, dilationH, inH, filterH, outH);
  const [width, widthOffset] = paddingWithOffset(strideW, dilationW, inW, filterW, outW);
  return { padding: { width, height, widthOffset, heightOffset }, outH, outW };
}
