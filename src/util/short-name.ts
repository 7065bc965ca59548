// Short names for tensors in tables meant to fit a terminal. TensorFlow's
// converter names a fused tensor after every op it absorbed
// ("MobilenetV1/MobilenetV1/Conv2d_1_depthwise/Relu6;MobilenetV1/…/BiasAdd;…",
// 200+ characters); the first name is the op the tensor comes from, and its
// last path segments say which layer it is ("Relu6" alone says nothing, so
// the segment before it is kept, cut if it must be). The full name stays in
// --json and in the HTML page's tooltips.

/** At most `max` characters: the trailing path segments of the first `;`-joined name, "…" where cut. */
export function shortTensorName(name: string, max = 32): string {
  const first = name.split(";")[0] ?? name;
  if (first.length <= max) return first;
  const parts = first.split("/");
  let kept = parts[parts.length - 1]!;
  if (kept.length + 2 > max) return `${kept.slice(0, max - 1)}…`;
  let i = parts.length - 2;
  for (; i >= 0; i--) {
    const next = `${parts[i]}/${kept}`;
    if (next.length + 2 > max) break;
    kept = next;
  }
  // The layer's own segment did not fit whole: keep as much of it as fits.
  if (i === parts.length - 2 && i >= 0) {
    const room = max - 2 - kept.length - 2;
    if (room >= 4) kept = `${parts[i]!.slice(0, room)}…/${kept}`;
  }
  return `…/${kept}`;
}
