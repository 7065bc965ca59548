// Every arena buffer starts on this boundary: the kernels load words and
// doublewords, and TFLM aligns its tensors the same way.

export const ARENA_ALIGNMENT = 16;

export function alignUp(n: number, a = ARENA_ALIGNMENT): number {
  return Math.ceil(n / a) * a;
}
