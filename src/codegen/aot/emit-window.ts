// Emitters for the windowed ops: CONV_2D, DEPTHWISE_CONV_2D, the pools,
// and FULLY_CONNECTED, whose params carry per-channel requantization tables.
// Their C structs are defined once in kernel-structs.ts: each value here is
// typed by it and rendered in the struct's field order.

import { depthwiseBandRowsFor, depthwiseRunsBlocks } from "./overlap-rules.js";
import type { Conv2DParams } from "../../reference/kernels/conv2d.js";
import type { DepthwiseConv2DParams } from "../../reference/kernels/depthwise-conv2d.js";
import type { FullyConnectedParams } from "../../reference/kernels/fully-connected.js";
import type { PoolParams } from "../../reference/kernels/pooling.js";
import {
  callStatement, inputPtr, int32Table, outputPtr, unsupportedDtypes, type EmitContext, type EmittedOp,
} from "./emit-context.js";
import { typedView } from "../../model/dtype.js";
import { cInt, initializerLines } from "../c-syntax.js";
import { foldFcBias, packFcWeights } from "./fc-pack.js";
import { kernelParams, type StructValue } from "./kernel-structs.js";
import { conv2dS8Entry, conv2dWindow, depthwiseRunsAsConv, depthwiseS8Entry, depthwiseWindow } from "./conv-variants.js";

interface Geometry {
  inputShape: number[];
  outputShape: number[];
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padH: number;
  padW: number;
}

function windowInit(g: Geometry): StructValue<"tml_window"> {
  const [batches, inH, inW, inC] = g.inputShape as [number, number, number, number];
  const [, outH, outW, outC] = g.outputShape as [number, number, number, number];
  return {
    batches, input_h: inH, input_w: inW, input_c: inC,
    filter_h: g.filterH, filter_w: g.filterW,
    output_h: outH, output_w: outW, output_c: outC,
    stride_h: g.strideH, stride_w: g.strideW,
    dilation_h: g.dilationH, dilation_w: g.dilationW,
    pad_h: g.padH, pad_w: g.padW,
  };
}

function convGeometry(p: Conv2DParams | DepthwiseConv2DParams): Geometry {
  return { ...p, filterH: p.filterShape[1]!, filterW: p.filterShape[2]! };
}

export function emitConv2d(ctx: EmitContext): EmittedOp {
  const p = ctx.params as Conv2DParams;
  const name = `${ctx.id}_params`;
  const io = [inputPtr(ctx, 0), inputPtr(ctx, 1), inputPtr(ctx, 2), outputPtr(ctx)].join(", ");
  if (p.dtype === "int8") {
    return {
      decls: [
        int32Table(`${ctx.id}_multiplier`, p.outputMultiplier),
        int32Table(`${ctx.id}_shift`, p.outputShift),
        kernelParams("tml_conv2d_s8_params", name, {
          win: windowInit(convGeometry(p)),
          filter_input_c: p.filterShape[3]!,
          input_offset: p.inputOffset, output_offset: p.outputOffset,
          act_min: p.activationMin, act_max: p.activationMax,
          output_multiplier: `${ctx.id}_multiplier`, output_shift: `${ctx.id}_shift`,
        }),
      ],
      body: callStatement(`${conv2dS8Entry(conv2dWindow(p))}(&${name}, ${io}, ${ctx.scratch("void")})`),
    };
  }
  return {
    decls: [
      kernelParams("tml_conv2d_f32_params", name, {
        win: windowInit(convGeometry(p)),
        filter_input_c: p.filterShape[3]!,
        act_min: p.activationMin, act_max: p.activationMax,
      }),
    ],
    body: callStatement(`tml_conv2d_f32(&${name}, ${io})`),
  };
}

export function emitDepthwiseConv2d(ctx: EmitContext): EmittedOp {
  const p = ctx.params as DepthwiseConv2DParams;
  const name = `${ctx.id}_params`;
  // Before any pointer: naming the original filter would keep it in flash.
  const ohwi = p.dtype === "int8" ? depthwiseAsConvFilter(ctx, p) : undefined;
  if (ohwi) return emitDepthwiseAsConv(ctx, p, ohwi);
  const io = [inputPtr(ctx, 0), inputPtr(ctx, 1), inputPtr(ctx, 2), outputPtr(ctx)].join(", ");
  if (p.dtype === "int8") {
    return {
      decls: [
        int32Table(`${ctx.id}_multiplier`, p.outputMultiplier),
        int32Table(`${ctx.id}_shift`, p.outputShift),
        kernelParams("tml_depthwise_conv2d_s8_params", name, {
          win: windowInit(convGeometry(p)),
          depth_multiplier: p.depthMultiplier,
          input_offset: p.inputOffset, output_offset: p.outputOffset,
          act_min: p.activationMin, act_max: p.activationMax,
          output_multiplier: `${ctx.id}_multiplier`, output_shift: `${ctx.id}_shift`,
        }),
      ],
      body: callStatement(`${depthwiseS8Entry(depthwiseWindow(p))}(&${name}, ${depthwiseBands(ctx, p)}, ${io}, ${ctx.scratch("void")})`),
    };
  }
  return {
    decls: [
      kernelParams("tml_depthwise_conv2d_f32_params", name, {
        win: windowInit(convGeometry(p)),
        depth_multiplier: p.depthMultiplier,
        act_min: p.activationMin, act_max: p.activationMax,
      }),
    ],
    body: callStatement(`tml_depthwise_conv2d_f32(&${name}, ${io})`),
  };
}

/** Output rows per band: in place, the blocks variant must go in bands (the rule the plan used); else 0, the whole output. */
function depthwiseBands(ctx: EmitContext, p: DepthwiseConv2DParams): number {
  return ctx.inPlaceShift !== undefined && depthwiseRunsBlocks(p) ? depthwiseBandRowsFor(p, ctx.inPlaceShift) : 0;
}

/**
 * The filter of a one-input-channel depthwise conv that runs as CONV_2D
 * (the as_conv variant), transposed from 1HWO to OHWI at build time; or
 * undefined when the op takes another variant or its filter is not a
 * constant. The kernel would transpose it into scratch on every invoke.
 */
function depthwiseAsConvFilter(ctx: Pick<EmitContext, "graph" | "op">, p: DepthwiseConv2DParams): Int8Array | undefined {
  const filter = ctx.graph.tensors[ctx.op.inputs[1] ?? -1];
  if (!filter?.data || !depthwiseRunsAsConv(depthwiseWindow(p), filter)) return undefined;
  const src = new Int8Array(filter.data.buffer, filter.data.byteOffset, filter.data.byteLength);
  const taps = p.filterShape[1]! * p.filterShape[2]!, outC = p.outputShape[3]!;
  const ohwi = new Int8Array(taps * outC);
  for (let oc = 0; oc < outC; oc++) for (let t = 0; t < taps; t++) ohwi[oc * taps + t] = src[t * outC + oc]!;
  return ohwi;
}

/** DEPTHWISE_CONV_2D with one input channel as the CONV_2D it is (tml_dw_conv_params' fields). */
function emitDepthwiseAsConv(ctx: EmitContext, p: DepthwiseConv2DParams, ohwi: Int8Array): EmittedOp {
  const name = `${ctx.id}_params`;
  const filter = `${ctx.id}_filter_ohwi`;
  const io = [inputPtr(ctx, 0), filter, inputPtr(ctx, 2), outputPtr(ctx)].join(", ");
  return {
    decls: [
      `/* op ${ctx.opIndex}'s depthwise filter transposed to OHWI at build time: it runs as CONV_2D. */`,
      `static const int8_t ${filter}[${ohwi.length}] = {`,
      initializerLines([...ohwi].map(String), 16),
      "};",
      int32Table(`${ctx.id}_multiplier`, p.outputMultiplier),
      int32Table(`${ctx.id}_shift`, p.outputShift),
      kernelParams("tml_conv2d_s8_params", name, {
        win: windowInit(convGeometry(p)),
        filter_input_c: 1,
        input_offset: p.inputOffset, output_offset: p.outputOffset,
        act_min: p.activationMin, act_max: p.activationMax,
        output_multiplier: `${ctx.id}_multiplier`, output_shift: `${ctx.id}_shift`,
      }),
    ],
    body: callStatement(`${conv2dS8Entry({ ...depthwiseWindow(p), filterInputC: 1 })}(&${name}, ${io}, ${ctx.scratch("void")})`),
  };
}

export function emitFullyConnected(ctx: EmitContext): EmittedOp {
  const p = ctx.params as FullyConnectedParams;
  const packed = p.dtype === "int8" ? packedFullyConnected(ctx, p) : undefined;
  if (packed) return packed;
  const name = `${ctx.id}_params`;
  // Only now: naming the weights and bias tensors emits them as constants.
  const io = [inputPtr(ctx, 0), inputPtr(ctx, 1), inputPtr(ctx, 2), outputPtr(ctx)].join(", ");
  const dims = { batches: p.batches, accum_depth: p.accumDepth, output_depth: p.outputDepth };
  if (p.dtype === "int8") {
    return {
      decls: [
        int32Table(`${ctx.id}_multiplier`, p.outputMultiplier),
        int32Table(`${ctx.id}_shift`, p.outputShift),
        kernelParams("tml_fully_connected_s8_params", name, {
          ...dims,
          input_offset: p.inputOffset, filter_offset: p.filterOffset, output_offset: p.outputOffset,
          act_min: p.activationMin, act_max: p.activationMax,
          per_channel: p.outputMultiplier.length > 1 ? 1 : 0,
          output_multiplier: `${ctx.id}_multiplier`, output_shift: `${ctx.id}_shift`,
        }),
      ],
      body: callStatement(`tml_fully_connected_s8(&${name}, ${io})`),
    };
  }
  return {
    decls: [kernelParams("tml_fully_connected_f32_params", name, { ...dims, act_min: p.activationMin, act_max: p.activationMax })],
    body: callStatement(`tml_fully_connected_f32(&${name}, ${io})`),
  };
}

/**
 * tml_fully_connected_s8_packed when the weights (and the bias, if any) are
 * constants and the filter offset is 0 (TFLM's int8 FULLY_CONNECTED requires
 * symmetric weights): the weights packed and the input offset folded into
 * the bias at build time (fc-pack.ts). Otherwise undefined, and the op
 * takes tml_fully_connected_s8 on the tensors as they are.
 */
function packedFullyConnected(ctx: EmitContext, p: FullyConnectedParams): EmittedOp | undefined {
  const w = ctx.graph.tensors[ctx.op.inputs[1] ?? -1];
  const biasIndex = ctx.op.inputs[2] ?? -1;
  const b = biasIndex >= 0 ? ctx.graph.tensors[biasIndex] : undefined;
  if (p.filterOffset !== 0 || !w?.data || w.dtype !== "int8") return undefined;
  if (biasIndex >= 0 && (!b?.data || b.dtype !== "int32")) return undefined;
  const weights = typedView("int8", w.data);
  const bias = b?.data ? typedView("int32", b.data) : undefined;
  if (weights.length < p.outputDepth * p.accumDepth || (bias && bias.length < p.outputDepth)) return undefined;
  const name = `${ctx.id}_params`;
  const packedName = `${ctx.id}_packed_weights`;
  const biasName = `${ctx.id}_folded_bias`;
  const packedValues = Array.from(packFcWeights(weights, p.outputDepth, p.accumDepth), cInt);
  const foldedValues = Array.from(foldFcBias(weights, bias, p.outputDepth, p.accumDepth, p.inputOffset), cInt);
  const io = [inputPtr(ctx, 0), packedName, biasName, outputPtr(ctx)].join(", ");
  return {
    decls: [
      `/* op ${ctx.opIndex}'s weights, rows interleaved four at a time (tml_fully_connected_s8_packed) */`,
      // Word-aligned: the kernel loads four rows' words with one LDM.
      `TML_ALIGNAS(4) static const int8_t ${packedName}[${Math.max(1, packedValues.length)}] = {`,
      packedValues.length > 0 ? initializerLines(packedValues, 16) : "  0,",
      "};",
      `/* op ${ctx.opIndex}'s bias + input_offset * (row sum of its weights), modulo 2^32 */`,
      `static const int32_t ${biasName}[${Math.max(1, foldedValues.length)}] = {`,
      foldedValues.length > 0 ? initializerLines(foldedValues, 8) : "  0,",
      "};",
      int32Table(`${ctx.id}_multiplier`, p.outputMultiplier),
      int32Table(`${ctx.id}_shift`, p.outputShift),
      kernelParams("tml_fully_connected_s8_packed_params", name, {
        batches: p.batches, accum_depth: p.accumDepth, output_depth: p.outputDepth,
        output_offset: p.outputOffset,
        act_min: p.activationMin, act_max: p.activationMax,
        per_channel: p.outputMultiplier.length > 1 ? 1 : 0,
        output_multiplier: `${ctx.id}_multiplier`, output_shift: `${ctx.id}_shift`,
      }),
    ],
    // The per-tensor entry links one copy of the loop; per-channel takes the general one.
    body: callStatement(`tml_fully_connected_s8_packed${p.outputMultiplier.length > 1 ? "" : "_per_tensor"}(&${name}, ${io})`),
  };
}

function emitPool(ctx: EmitContext, kind: "avg" | "max"): EmittedOp {
  const p = ctx.params as PoolParams;
  const name = `${ctx.id}_params`;
  const win = windowInit({ ...p, dilationH: 1, dilationW: 1 });
  const io = `${inputPtr(ctx, 0)}, ${outputPtr(ctx)}`;
  if (p.dtype === "int8") {
    return {
      decls: [kernelParams("tml_pool_s8_params", name, { win, act_min: p.activationMin, act_max: p.activationMax })],
      body: callStatement(`tml_${kind}_pool2d_s8(&${name}, ${io})`),
    };
  }
  if (p.dtype === "float32") {
    return {
      decls: [kernelParams("tml_pool_f32_params", name, { win, act_min: p.activationMin, act_max: p.activationMax })],
      body: callStatement(`tml_${kind}_pool2d_f32(&${name}, ${io})`),
    };
  }
  return unsupportedDtypes(ctx, p.dtype, "int8 and float32");
}

export const emitAveragePool2d = (ctx: EmitContext): EmittedOp => emitPool(ctx, "avg");
export const emitMaxPool2d = (ctx: EmitContext): EmittedOp => emitPool(ctx, "max");
