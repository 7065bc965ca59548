// Single-op int8 cases for the in-place test: the seeded coverage cases of
// the ops the AOT kernels may run in place, plus depthwise convolutions wide
// enough for the blocks variant (4 channels or more, depth multiplier 1 or
// a multiple of 4) and tall enough to run in several bands of rows.

import { GraphBuilder, quant, Rng, type OpCase } from "../aot-ops/builder.js";
import { binaryCases, unaryCases } from "../aot-ops/cases-elementwise.js";
import { convCases, depthwiseCases, poolCases } from "../aot-ops/cases-window.js";

const INT8 = { lo: -128, hi: 127 };
const IN_PLACE_OPS = new Set(["CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D", "ADD", "SUB", "MUL", "RELU", "RELU6", "LOGISTIC", "TANH", "HARD_SWISH"]);

function outSize(padding: "SAME" | "VALID", size: number, k: number, stride: number, dilation: number): number {
  const eff = (k - 1) * dilation + 1;
  return padding === "SAME" ? Math.ceil(size / stride) : Math.floor((size - eff) / stride) + 1;
}

/** DEPTHWISE_CONV_2D int8 cases the blocks variant takes on cores with the DSP extension. */
export function blocksDepthwiseCases(rng: Rng, count: number): OpCase[] {
  const cases: OpCase[] = [];
  while (cases.length < count) {
    const dm = rng.pick([1, 1, 4]);
    const c = dm === 1 ? rng.pick([4, 5, 8, 12]) : rng.int(1, 3);
    const kh = rng.int(1, 5), kw = rng.int(2, 5);
    // One input channel and 16 taps or more is the as_conv variant instead.
    if (c === 1 && kh * kw >= 16) continue;
    const h = rng.int(6, 16), w = rng.int(3, 12);
    const strideH = rng.int(1, 2), strideW = rng.int(1, 2), dilationH = rng.int(1, 2), dilationW = rng.int(1, 2);
    const padding = rng.pick(["SAME", "VALID"] as const);
    const outH = outSize(padding, h, kh, strideH, dilationH), outW = outSize(padding, w, kw, strideW, dilationW);
    if (outH < 2 || outW < 1) continue;
    const outC = c * dm;
    const b = new GraphBuilder();
    const inScale = rng.float(0.01, 0.1);
    const x = b.input("int8", [1, h, w, c], INT8, quant(inScale, rng.int(-20, 20)));
    const wScales = Array.from({ length: outC }, () => rng.float(0.002, 0.02));
    const filter = b.constant("int8", [1, kh, kw, outC], Array.from({ length: kh * kw * outC }, () => rng.int(-127, 127)), quant(wScales, 0, 3));
    const bias = b.constant("int32", [outC], Array.from({ length: outC }, () => rng.int(-3000, 3000)), quant(wScales.map((s) => s * inScale), 0, 0));
    const y = b.tensor("int8", [1, outH, outW, outC], quant(40 * Math.sqrt(kh * kw) * inScale * 0.01, rng.int(-10, 10)));
    const activation = rng.pick(["NONE", "RELU", "RELU6"] as const);
    b.op("DEPTHWISE_CONV_2D", { padding, strideW, strideH, depthMultiplier: dm, activation, dilationW, dilationH }, [x, filter, bias], [y]);
    b.output(y);
    cases.push({
      name: `DEPTHWISE_CONV_2D blocks ${padding} ${h}x${w}x${c} k${kh}x${kw} s${strideH}${strideW} d${dilationH}${dilationW} x${dm} ${activation}`,
      op: "DEPTHWISE_CONV_2D", variant: "int8", graph: b.graph(), inputSpecs: b.inputSpecs,
    });
  }
  return cases;
}

/** Every int8 case of an op that may run in place. */
export function inPlaceCases(seed: number): OpCase[] {
  const rng = new Rng(seed);
  const coverage = [...convCases(rng, 24), ...depthwiseCases(rng, 24), ...poolCases(rng, 16), ...unaryCases(rng), ...binaryCases(rng)];
  const int8 = coverage.filter((c) => IN_PLACE_OPS.has(c.op) && c.variant === "int8");
  return [...int8, ...blocksDepthwiseCases(rng, 16)];
}
