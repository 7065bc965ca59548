// Layouts: the IR is NHWC (TFLite's), ONNX is NCHW. Every ONNX value lives
// in the IR under a permutation `perm` of its axes (IR dim i is ONNX axis
// perm[i]), so a Transpose in the ONNX graph, or the NCHW↔NHWC change a
// convolution needs, is a relabelling rather than an op. An op is emitted
// only where data must really move (see Converter.irIn).

export type Perm = readonly number[];

export function identity(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => i);
}

/** NCHW values as the IR's NHWC: [N, C, H, W] is stored as [N, H, W, C]. */
export const NHWC: Perm = [0, 2, 3, 1];

export function permute<T>(xs: readonly T[], perm: Perm): T[] {
  return perm.map((p) => xs[p]!);
}

export function inverse(perm: Perm): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

export function samePerm(a: Perm, b: Perm): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether transposing `shape` by `perm` keeps the element order (only size-1 dims move): a reshape then. */
export function isPureReshape(shape: readonly number[], perm: Perm): boolean {
  const order = perm.filter((p) => shape[p] !== 1);
  return order.every((p, i) => i === 0 || p > order[i - 1]!);
}

/** Row-major transpose of `values` (shape `shape`): out dim i is input dim perm[i]. */
export function transposeValues<A extends Float32Array | Float64Array>(values: A, shape: readonly number[], perm: Perm): A {
  const outShape = permute(shape, perm);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new (values.constructor as new (n: number) => A)(values.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += idx[i]! * inStrides[perm[i]!]!;
    out[o] = values[src]!;
    for (let i = outShape.length - 1; i >= 0; i--) {
      if (++idx[i]! < outShape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

/** ONNX's multidirectional (numpy) broadcast of two shapes; undefined when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}
