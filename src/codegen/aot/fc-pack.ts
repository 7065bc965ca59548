// FULLY_CONNECTED int8 weights packed at build time for
// tml_fully_connected_s8_packed (firmware/kernels): the AOT generator knows
// the weights, so it stores the rows four at a time interleaved, in the
// order the kernel's SXTB16/SMLAD loop reads them, and folds
// input_offset * (the row's weight sum) into the int32 bias, so the kernel
// multiplies plain int8 values. The layout is documented next to the
// kernel's declaration in tml_kernels.h.

/** Rows [4g, 4g+R) as R words per chunk of four columns, then R bytes per remaining column. */
export function packFcWeights(weights: Int8Array, outputDepth: number, depth: number): Int8Array {
  if (weights.length < outputDepth * depth) throw new Error(`FULLY_CONNECTED weights hold ${weights.length} values, not ${outputDepth} x ${depth}`);
  const packed = new Int8Array(outputDepth * depth);
  const chunks = depth >> 2;
  let k = 0;
  for (let g = 0; g < outputDepth; g += 4) {
    const rows = Math.min(4, outputDepth - g);
    for (let c = 0; c < chunks; c++) {
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < 4; j++) packed[k++] = weights[(g + r) * depth + 4 * c + j]!;
      }
    }
    for (let d = chunks * 4; d < depth; d++) {
      for (let r = 0; r < rows; r++) packed[k++] = weights[(g + r) * depth + d]!;
    }
  }
  return packed;
}

/** bias[oc] + inputOffset * sum_d w[oc][d], modulo 2^32 as TFLM's int32 accumulator wraps. */
export function foldFcBias(weights: Int8Array, bias: Int32Array | undefined, outputDepth: number, depth: number, inputOffset: number): Int32Array {
  const folded = new Int32Array(outputDepth);
  for (let oc = 0; oc < outputDepth; oc++) {
    let sum = 0;
    for (let d = 0; d < depth; d++) sum += weights[oc * depth + d]!;
    // |sum| <= 128 * depth stays exact in a double; Math.imul wraps the product.
    folded[oc] = ((bias ? bias[oc]! : 0) + Math.imul(inputOffset, sum)) | 0;
  }
  return folded;
}
