// The param structs of the C kernel library, defined once. From this table
// come the C typedefs in firmware/kernels/tml_kernels.h (the blocks between
// `tml:struct` markers, written by `npm run gen:kernel-structs` and checked
// for staleness by test/codegen/kernel-structs.test.ts), the TypeScript type
// of each struct's value (StructValue), and its C initializer in the
// generated model (kernelParams): an emitter that misses, misnames or adds a
// field does not typecheck, and the initializer follows the struct's order.

import { cFloat, cInt } from "../c-syntax.js";

/** A field's C type: a scalar, a pointer to a constant int32 table, or another struct of the table. */
type FieldType = "int32_t" | "uint32_t" | "float" | "tml_dtype" | "const int32_t *" | "const int16_t *" | "tml_window";

interface FieldSpec {
  readonly name: string;
  readonly c: FieldType;
  /** The C comment after the field (ranges, layouts). */
  readonly doc?: string;
}

const int32 = <N extends string>(name: N, doc?: string) => ({ name, c: "int32_t", ...(doc ? { doc } : {}) }) as const;
const float = <N extends string>(name: N, doc?: string) => ({ name, c: "float", ...(doc ? { doc } : {}) }) as const;
const uint32 = <N extends string>(name: N, doc?: string) => ({ name, c: "uint32_t", ...(doc ? { doc } : {}) }) as const;
const table = <N extends string>(name: N, doc?: string) => ({ name, c: "const int32_t *", ...(doc ? { doc } : {}) }) as const;
const table16 = <N extends string>(name: N) => ({ name, c: "const int16_t *" }) as const;
const dtype = <N extends string>(name: N) => ({ name, c: "tml_dtype" }) as const;
const win = { name: "win", c: "tml_window" } as const;

export const KERNEL_STRUCTS = {
  tml_window: [
    int32("batches"),
    int32("input_h"), int32("input_w"), int32("input_c"),
    int32("filter_h"), int32("filter_w"),
    int32("output_h"), int32("output_w"), int32("output_c"),
    int32("stride_h"), int32("stride_w"),
    int32("dilation_h"), int32("dilation_w"),
    int32("pad_h"), int32("pad_w"),
  ],
  tml_conv2d_s8_params: [
    win,
    int32("filter_input_c", "filter dim 3; groups = input_c / filter_input_c"),
    int32("input_offset", "-input zero point, [-127, 128]"),
    int32("output_offset", "output zero point, [-128, 127]"),
    int32("act_min", "within [-128, 127]"), int32("act_max", "within [-128, 127]"),
    table("output_multiplier", "[output_c]"), table("output_shift", "[output_c]"),
  ],
  tml_conv2d_f32_params: [
    win,
    int32("filter_input_c"),
    float("act_min", "-FLT_MAX/FLT_MAX (not inf) for no activation is fine"), float("act_max"),
  ],
  tml_depthwise_conv2d_s8_params: [
    win,
    int32("depth_multiplier"),
    int32("input_offset", "-input zero point"), int32("output_offset", "output zero point"),
    int32("act_min"), int32("act_max"),
    table("output_multiplier", "[output_c]"), table("output_shift", "[output_c]"),
  ],
  tml_depthwise_conv2d_f32_params: [win, int32("depth_multiplier"), float("act_min"), float("act_max")],
  tml_fully_connected_s8_params: [
    int32("batches"), int32("accum_depth"), int32("output_depth"),
    int32("input_offset", "-input zero point"),
    int32("filter_offset", "-weights zero point (0 for symmetric int8 weights)"),
    int32("output_offset", "output zero point"),
    int32("act_min"), int32("act_max"),
    int32("per_channel", "1: output_multiplier/output_shift are [output_depth]; 0: [1]"),
    table("output_multiplier"), table("output_shift"),
  ],
  tml_fully_connected_s8_packed_params: [
    int32("batches"), int32("accum_depth"), int32("output_depth"),
    int32("output_offset", "output zero point"),
    int32("act_min"), int32("act_max"),
    int32("per_channel", "1: output_multiplier/output_shift are [output_depth]; 0: [1]"),
    table("output_multiplier"), table("output_shift"),
  ],
  tml_fully_connected_f32_params: [int32("batches"), int32("accum_depth"), int32("output_depth"), float("act_min"), float("act_max")],
  tml_pool_s8_params: [win, int32("act_min"), int32("act_max")],
  tml_pool_f32_params: [win, float("act_min"), float("act_max")],
  tml_softmax_s8_params: [
    int32("outer_size"), int32("depth"),
    int32("input_multiplier"), int32("input_left_shift", ">= 0"), int32("diff_min", "<= 0"),
  ],
  tml_softmax_f32_params: [int32("outer_size"), int32("depth"), float("beta")],
  tml_add_s8_params: [
    int32("left_shift"),
    int32("input1_offset", "-zero point"), int32("input1_multiplier"), int32("input1_shift"),
    int32("input2_offset", "-zero point"), int32("input2_multiplier"), int32("input2_shift"),
    int32("output_offset", "+zero point"), int32("output_multiplier"), int32("output_shift"),
    int32("act_min"), int32("act_max"),
  ],
  tml_mul_s8_params: [
    int32("input1_offset", "-zero point"), int32("input2_offset", "-zero point"),
    int32("output_offset", "+zero point"),
    int32("output_multiplier"), int32("output_shift"),
    int32("act_min"), int32("act_max"),
  ],
  tml_arith_s32_params: [int32("act_min"), int32("act_max")],
  tml_arith_f32_params: [float("act_min"), float("act_max")],
  tml_quantize_f32_params: [
    float("scale", "the output tensor's scale (division, not a reciprocal, as TFLM)"), int32("zero_point"),
  ],
  tml_requantize_params: [
    dtype("input_type"), dtype("output_type"),
    int32("input_zero_point"), int32("output_zero_point"),
    int32("multiplier"), int32("shift"),
  ],
  tml_dequantize_params: [float("scale"), int32("zero_point")],
  tml_logistic_s8_params: [int32("input_zero_point"), int32("input_range_radius"), int32("input_multiplier"), int32("input_left_shift")],
  tml_relu_s8_params: [
    int32("input_zero_point"), int32("output_zero_point"),
    int32("output_multiplier"), int32("output_shift"),
    int32("act_min"), int32("act_max"),
  ],
  tml_relu6_s8_params: [int32("zero", "input zero point"), int32("six", "quantized 6.0 in the input's scale")],
  tml_hard_swish_s8_params: [
    int32("input_zero_point"), int32("output_zero_point"),
    int32("reluish_multiplier_fixedpoint_int16", "int16 range"), int32("reluish_multiplier_exponent"),
    int32("output_multiplier_fixedpoint_int16", "int16 range"), int32("output_multiplier_exponent", "in [-15, 0]"),
  ],
  tml_signal_window_params: [
    int32("shift", "0..31"), int32("input_size", "a multiple of weight_size"), int32("weight_size", "> 0"),
  ],
  tml_signal_rfft_params: [
    int32("fft_length", "even"), int32("input_size"), int32("input_length"), int32("output_length"),
    int32("factor_count", "entries of factors (pairs)"),
    table("factors"), table16("twiddles"), table16("super_twiddles"),
  ],
  tml_signal_energy_params: [int32("start_index"), int32("end_index")],
  tml_signal_filter_bank_params: [int32("num_channels"), int32("output_size")],
  tml_signal_spectral_subtraction_params: [
    int32("num_channels"),
    uint32("smoothing"), uint32("one_minus_smoothing"),
    uint32("alternate_smoothing"), uint32("alternate_one_minus_smoothing"),
    uint32("min_signal_remaining"),
    uint32("smoothing_bits", "0..31"), uint32("spectral_subtraction_bits", "0..63"),
    int32("clamping", "0 or 1"), int32("noise_output_size", "<= num_channels"),
  ],
  tml_signal_pcan_params: [int32("snr_shift", "0..63"), int32("num_channels")],
  tml_signal_filter_bank_log_params: [int32("input_correction_bits", "0..31"), uint32("output_scale"), int32("num_channels")],
} as const satisfies Record<string, readonly FieldSpec[]>;

/** Other names of a struct (one-line typedefs in tml_kernels.h, checked by the test). */
export const KERNEL_STRUCT_ALIASES = {
  tml_sub_s8_params: "tml_add_s8_params",
  tml_mul_s16_params: "tml_mul_s8_params",
  tml_div_s8_params: "tml_mul_s8_params",
  tml_tanh_s8_params: "tml_logistic_s8_params",
} as const satisfies Record<string, keyof typeof KERNEL_STRUCTS>;

export type KernelStruct = keyof typeof KERNEL_STRUCTS;

/** Pointers and tml_dtype values are C names (a constant table, an enum constant). */
type FieldValue<C> = C extends KernelStruct ? StructValue<C> : C extends "const int32_t *" | "const int16_t *" | "tml_dtype" ? string : number;

/**
 * A struct's value as the emitters build it: numbers for scalars, the C
 * name of a constant table for pointers, nested values for structs.
 */
export type StructValue<S extends KernelStruct> = {
  [F in (typeof KERNEL_STRUCTS)[S][number] as F["name"]]: FieldValue<F["c"]>;
};

function fieldsOf(s: KernelStruct): readonly FieldSpec[] {
  return KERNEL_STRUCTS[s];
}

function initializer(s: KernelStruct, value: Record<string, unknown>, indent: string): string {
  return fieldsOf(s)
    .map((f) => {
      const v = value[f.name];
      if (v === undefined) throw new Error(`${s}.${f.name} has no value`);
      if (f.c === "tml_window") return `${indent}.${f.name} = {\n${initializer(f.c, v as Record<string, unknown>, indent + "  ")}\n${indent}},`;
      if (f.c === "const int32_t *" || f.c === "const int16_t *" || f.c === "tml_dtype") return `${indent}.${f.name} = ${v as string},`;
      if (f.c === "uint32_t") return `${indent}.${f.name} = ${(v as number) >>> 0}u,`;
      return `${indent}.${f.name} = ${f.c === "float" ? cFloat(v as number) : cInt(v as number)},`;
    })
    .join("\n");
}

type Alias = keyof typeof KERNEL_STRUCT_ALIASES;
type Target<T extends KernelStruct | Alias> = T extends Alias ? (typeof KERNEL_STRUCT_ALIASES)[T] : T;

/** `static const <type> <name> = { .field = value, … };` in the struct's field order (`type` may be an alias). */
export function kernelParams<T extends KernelStruct | Alias>(type: T, name: string, value: StructValue<Target<T>>): string {
  const s = (type in KERNEL_STRUCT_ALIASES ? KERNEL_STRUCT_ALIASES[type as Alias] : type) as KernelStruct;
  return `static const ${type} ${name} = {\n${initializer(s, value as Record<string, unknown>, "  ")}\n};`;
}

/** The C typedef of `s`, one field per line, as tml_kernels.h holds it. */
export function structTypedef(s: KernelStruct): string {
  const lines = fieldsOf(s).map((f) => {
    const decl = f.c.endsWith("*") ? `${f.c}${f.name};` : `${f.c} ${f.name};`;
    return `  ${decl}${f.doc ? ` /* ${f.doc} */` : ""}`;
  });
  return ["typedef struct {", ...lines, `} ${s};`].join("\n");
}

export const STRUCT_BEGIN = (s: string): string => `/* tml:struct ${s} (generated from src/codegen/aot/kernel-structs.ts) */`;
export const STRUCT_END = "/* tml:end */";

/**
 * `header` with every marked struct block rewritten from the table. Throws
 * naming a struct of the table the header has no block for, or a block
 * naming no struct of the table.
 */
export function regenerateKernelHeader(header: string): string {
  const seen = new Set<string>();
  const out = header.replace(/\/\* tml:struct (\w+) \(generated[^*]*\*\/\n[\s\S]*?\/\* tml:end \*\//g, (_, name: string) => {
    if (!(name in KERNEL_STRUCTS)) throw new Error(`tml_kernels.h has a generated block for ${name}, which src/codegen/aot/kernel-structs.ts does not define`);
    seen.add(name);
    return `${STRUCT_BEGIN(name)}\n${structTypedef(name as KernelStruct)}\n${STRUCT_END}`;
  });
  const missing = Object.keys(KERNEL_STRUCTS).filter((s) => !seen.has(s));
  if (missing.length > 0) throw new Error(`tml_kernels.h has no generated block for ${missing.join(", ")}`);
  return out;
}
