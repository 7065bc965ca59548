// The ahead-of-time C generator: model.h and model.c for one model. model.c
// holds the constants (flash), every op's prepare values as const structs,
// one static arena laid out by the memory plan, and tml_model_invoke() — one
// kernel call per op, in execution order. No interpreter, no flatbuffer at
// run time, no malloc.

import { basename } from "node:path";
import { TinymlError } from "../../errors.js";
import { mainGraph } from "../../model/graph.js";
import { opTypeName, type Graph, type Tensor } from "../../model/ir.js";
import type { LoadedModel } from "../../model/load.js";
import { prepareReference } from "../../reference/interpreter.js";
import { ALIGN_MACRO, type GeneratedFile } from "../c-array.js";
import { commentText, initializerLines } from "../c-syntax.js";
import { tensorBytes } from "../../model/graph.js";
import { tensorInfoTable } from "../tensor-info.js";
import { planArena, type MemoryPlan } from "../plan/index.js";
import { provenanceComment, type Provenance } from "../provenance.js";
import { constantArray, constantName } from "./constants.js";
import { C_TYPES } from "./emit-context.js";
import { AOT_CUSTOM_EMITTERS, AOT_EMITTERS } from "./emitters.js";
import { checkRuntimeSupport } from "../../runtimes.js";
import "./runtime.js";
import { aotPlanOptions } from "./plan-options.js";

export interface AotOptions {
  /** Fail with TML_E_BUDGET_EXCEEDED when the planned arena is larger. */
  maxArenaBytes?: number;
  /**
   * Prefix of every exported function (default "tml_model": tml_model_init,
   * tml_model_invoke, …). Any other prefix lets two models link into one
   * firmware: "tml_frontend" exports tml_frontend_init, … from
   * frontend_model.{c,h}, whose macros are TML_FRONTEND_*. Everything else in
   * model.c is static, so nothing else can collide.
   */
  prefix?: string;
}

export interface AotResult {
  files: GeneratedFile[];
  plan: MemoryPlan;
}

export function checkArenaBudget(arenaBytes: number, max: number | undefined, file: string, what: string): void {
  if (max === undefined || arenaBytes <= max) return;
  throw new TinymlError("TML_E_BUDGET_EXCEEDED", `the ${what} needs ${arenaBytes} bytes of arena, over the --max-arena budget of ${max} bytes`, {
    location: { file },
    hint: `Raise --max-arena to at least ${arenaBytes}, or use a smaller model (fewer channels or a smaller input).`,
  });
}

export function generateAot(loaded: LoadedModel, opts: AotOptions = {}): AotResult {
  const g = mainGraph(loaded.model);
  checkRuntimeSupport(g, "aot", loaded.path);
  const params = prepareReference(loaded.model).params;
  const plan = planArena(g, aotPlanOptions(g));
  checkArenaBudget(plan.arenaBytes, opts.maxArenaBytes, loaded.path, "AOT memory plan");
  const prov: Provenance = { modelPath: loaded.path, sha256: loaded.sha256 };
  const names = aotNames(opts.prefix ?? DEFAULT_PREFIX);
  return { files: [modelHeader(g, plan, prov, names), modelSource(g, plan, params, prov, names)], plan };
}

const DEFAULT_PREFIX = "tml_model";

/** The generated files' names, macros and exported functions for one prefix. */
export interface AotNames {
  prefix: string;
  header: string;
  source: string;
  /** Prefix of the header's macros (TML_MODEL for the default). */
  macro: string;
  guard: string;
}

export function aotNames(prefix: string): AotNames {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) throw new Error(`AOT prefix '${prefix}' is not a C identifier`);
  if (prefix === DEFAULT_PREFIX) return { prefix, header: "model.h", source: "model.c", macro: "TML_MODEL", guard: "TML_GENERATED_MODEL_H" };
  const stem = prefix.replace(/^tml_/, "");
  return {
    prefix, header: `${stem}_model.h`, source: `${stem}_model.c`, macro: prefix.toUpperCase(),
    guard: `TML_GENERATED_${stem.toUpperCase()}_MODEL_H`,
  };
}

/**
 * tml_model.h declares only tml_model_*; a prefixed model's header declares
 * its own copies of the same API (same types, so an app can treat both
 * models alike).
 */
function prefixedPrototypes(p: string): string[] {
  return [
    `int ${p}_init(void);`,
    `size_t ${p}_input_count(void);`,
    `size_t ${p}_output_count(void);`,
    `void *${p}_input(size_t i);`,
    `void *${p}_output(size_t i);`,
    `const tml_tensor_info *${p}_input_info(size_t i);`,
    `const tml_tensor_info *${p}_output_info(size_t i);`,
    `int ${p}_invoke(void);`,
    `size_t ${p}_invoke_timed(uint32_t *ticks, size_t max, tml_ticks_fn now);`,
    `int32_t ${p}_failed_op(void);`,
    `const char *${p}_sha256(void);`,
    `size_t ${p}_arena_used(void);`,
    `int ${p}_invoke_ops(size_t n);`,
    `const void *${p}_tensor(size_t index, size_t *bytes);`,
    "",
  ];
}

function cType(t: Tensor): string {
  const c = C_TYPES[t.dtype];
  if (!c) throw new Error(`no C type for ${t.dtype}`);
  return c;
}

function modelHeader(g: Graph, plan: MemoryPlan, prov: Provenance, n: AotNames): GeneratedFile {
  const own = n.prefix === DEFAULT_PREFIX;
  const text = [
    provenanceComment(prov, own ? "Ahead-of-time model: the tml_model.h API plus this model's constants." : `Ahead-of-time model: the tml_model.h API as ${n.prefix}_*, plus this model's constants.`),
    `#ifndef ${n.guard}`,
    `#define ${n.guard}`,
    "",
    '#include "tml_model.h"',
    "",
    ALIGN_MACRO,
    "",
    ...(own ? [] : prefixedPrototypes(n.prefix)),
    `#define ${n.macro}_ARENA_BYTES ${plan.arenaBytes}u`,
    `#define ${n.macro}_INPUT_COUNT ${g.inputs.length}u`,
    `#define ${n.macro}_OUTPUT_COUNT ${g.outputs.length}u`,
    `#define ${n.macro}_SHA256 "${prov.sha256}"`,
    "",
    `#endif /* ${n.guard} */`,
    "",
  ].join("\n");
  return { path: n.header, text };
}

function modelSource(g: Graph, plan: MemoryPlan, params: readonly unknown[], prov: Provenance, n: AotNames): GeneratedFile {
  const p = n.prefix;
  const usedConstants = new Set<number>();
  const ptr = (index: number, access: "in" | "out"): string => {
    const t = g.tensors[index]!;
    if (t.data) {
      if (access === "out") throw new Error(`op writes constant tensor ${index}`);
      usedConstants.add(index);
      return constantName(index);
    }
    const offset = plan.tensorOffsets[index]!;
    return `((${access === "in" ? "const " : ""}${cType(t)} *)(tml_arena + ${offset}))`;
  };
  const decls: string[] = [];
  const body: string[] = [];
  const init: string[] = [];
  const includes = new Set<string>();
  g.ops.forEach((op, opIndex) => {
    const type = opTypeName(op);
    const scratch = (ctype: string): string => {
      const offset = plan.scratchOffsets[opIndex]!;
      if (offset < 0) throw new Error(`op ${opIndex} (${type}) has no planned scratch buffer (see scratch.ts)`);
      return `((${ctype} *)(tml_arena + ${offset}))`;
    };
    const base = { graph: g, opIndex, params: params[opIndex], id: `tml_op${opIndex}`, ptr, aliased: plan.aliased[opIndex]!, scratch, ...inPlaceShift(plan, opIndex) };
    const out = op.kind === "custom" ? AOT_CUSTOM_EMITTERS[op.name]!({ ...base, op }) : AOT_EMITTERS[op.type]!({ ...base, op });
    for (const inc of out.includes ?? []) includes.add(inc);
    decls.push(...out.decls);
    init.push(...(out.init ?? []).map((l) => `  ${l}`));
    const label = `op ${opIndex}: ${type} -> tensor ${op.outputs[0]} '${commentText(g.tensors[op.outputs[0]!]?.name ?? "")}'`;
    if (out.body.length === 0) {
      body.push(`  /* ${label}: a view of its input (same arena bytes), nothing to compute */`, `  if (tml_op_end(pr, TML_OK, ${opIndex})) return 0;`);
      return;
    }
    body.push(`  /* ${label} */`, ...out.body.map((l) => `  ${l}`));
    const status = out.body.some((l) => l.startsWith("status =")) ? "status" : "TML_OK";
    body.push(`  if (tml_op_end(pr, ${status}, ${opIndex})) return (int)${status};`);
  });
  for (const t of g.outputs) {
    if (g.tensors[t]?.data) throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `output tensor ${t} is a constant`, { hint: "Remove the constant output from the model." });
  }
  const arenaSize = Math.max(16, plan.arenaBytes);
  const inPtrs = g.inputs.map((t) => `tml_arena + ${plan.tensorOffsets[t]}`);
  const outPtrs = g.outputs.map((t) => `tml_arena + ${plan.tensorOffsets[t]}`);
  const layout = plan.buffers.map((b) =>
    ` *   [${String(b.offset).padStart(7)}, +${String(b.alignedBytes).padStart(7)})  ops ${b.firstUse}..${b.lastUse}  ` +
    (b.kind === "scratch" ? `scratch of op ${b.opIndex}` : `tensor${b.tensors.length > 1 ? "s" : ""} ${b.tensors.join(", ")}`),
  );
  const text = [
    provenanceComment(prov, "Ahead-of-time model code: one kernel call per op, every prepare value precomputed."),
    "#include <stddef.h>",
    "#include <stdint.h>",
    ...[...includes, "string.h"].filter((v, k, a) => a.indexOf(v) === k).sort().filter((h) => h !== "stddef.h" && h !== "stdint.h").map((h) => `#include <${h}>`),
    "",
    `#include "${n.header}"`,
    '#include "tml_kernels.h"',
    "",
    `/* The arena: ${plan.arenaBytes} bytes by the greedy plan (at least ${plan.lowerBoundBytes} are live at once).`,
    ...layout,
    ...plan.inPlace.map((q) => ` *   op ${q.opIndex} runs in place: its output shares ${q.sharedBytes} bytes with its dying input`),
    " */",
    `TML_ALIGNAS(16) static uint8_t tml_arena[${arenaSize}];`,
    "static int32_t tml_failed_op = -1;",
    "",
    "/* Constant tensors (flash). */",
    ...[...usedConstants].sort((a, b) => a - b).map((t) => constantArray(g.tensors[t]!, t)),
    "",
    "/* Op parameters, computed at build time exactly as TFLM's Prepare computes them. */",
    ...decls,
    "",
    tensorInfoTable(g, "tml_input_info", g.inputs),
    tensorInfoTable(g, "tml_output_info", g.outputs),
    // C has no empty arrays: a graph without inputs still gets one NULL slot.
    `static void *const tml_input_ptr[${Math.max(1, inPtrs.length)}] = { ${inPtrs.join(", ") || "NULL"} };`,
    `static void *const tml_output_ptr[${Math.max(1, outPtrs.length)}] = { ${outPtrs.join(", ") || "NULL"} };`,
    "",
    `int ${p}_init(void) {`,
    "  memset(tml_arena, 0, sizeof tml_arena);",
    "  tml_failed_op = -1;",
    ...init,
    "  return 0;",
    "}",
    "",
    `size_t ${p}_input_count(void) { return ${g.inputs.length}u; }`,
    `size_t ${p}_output_count(void) { return ${g.outputs.length}u; }`,
    `void *${p}_input(size_t i) { return i < ${g.inputs.length}u ? tml_input_ptr[i] : NULL; }`,
    `void *${p}_output(size_t i) { return i < ${g.outputs.length}u ? tml_output_ptr[i] : NULL; }`,
    `const tml_tensor_info *${p}_input_info(size_t i) { return i < ${g.inputs.length}u ? &tml_input_info[i] : NULL; }`,
    `const tml_tensor_info *${p}_output_info(size_t i) { return i < ${g.outputs.length}u ? &tml_output_info[i] : NULL; }`,
    `int32_t ${p}_failed_op(void) { return tml_failed_op; }`,
    `const char *${p}_sha256(void) { return ${n.macro}_SHA256; }`,
    `size_t ${p}_arena_used(void) { return ${n.macro}_ARENA_BYTES; }`,
    "",
    // One body serves the plain, the timed and the partial invoke (ticks
    // set: each op's time; limit: stop after that many ops, leaving their
    // outputs in the arena for --bisect; a plain invoke passes SIZE_MAX).
    // The op sequence makes one out-of-line call per op for all of it: a
    // few bytes of flash per op instead of the inline check and timing
    // (about 1 KB on a 31-op model), for ~15 instructions per op.
    "typedef struct {",
    "  uint32_t *ticks;",
    "  size_t max, done, limit;",
    "  tml_ticks_fn now;",
    "  uint32_t t0;",
    "} tml_progress;",
    "",
    "#if defined(__GNUC__)",
    "__attribute__((noinline))",
    "#endif",
    "static int tml_op_end(tml_progress *pr, tml_status status, int32_t op) {",
    "  if (status != TML_OK) {",
    "    tml_failed_op = op;",
    "    return 1;",
    "  }",
    "  if (pr->ticks != NULL) {",
    "    const uint32_t t1 = pr->now();",
    "    if (pr->done < pr->max) pr->ticks[pr->done] = t1 - pr->t0;",
    "    ++pr->done;",
    "    pr->t0 = t1;",
    "  }",
    "  return --pr->limit == 0;",
    "}",
    "",
    "static int tml_run(tml_progress *pr) {",
    "  tml_status status = TML_OK;",
    "  pr->t0 = pr->ticks != NULL ? pr->now() : 0u;",
    ...body,
    "  (void)status;",
    "  return 0;",
    "}",
    "",
    `int ${p}_invoke(void) {`,
    "  tml_progress pr = { NULL, 0, 0, SIZE_MAX, NULL, 0u };",
    "  return tml_run(&pr);",
    "}",
    "",
    `size_t ${p}_invoke_timed(uint32_t *ticks, size_t max, tml_ticks_fn now) {`,
    "  tml_progress pr = { NULL, 0, 0, SIZE_MAX, NULL, 0u };",
    "  if (ticks == NULL || now == NULL) return 0;",
    "  pr.ticks = ticks;",
    "  pr.max = max;",
    "  pr.now = now;",
    "  (void)tml_run(&pr);",
    "  return pr.done < max ? pr.done : max;",
    "}",
    "",
    `int ${p}_invoke_ops(size_t n) {`,
    "  tml_progress pr = { NULL, 0, 0, SIZE_MAX, NULL, 0u };",
    "  pr.limit = n;",
    "  return n == 0 ? 0 : tml_run(&pr);",
    "}",
    "",
    ...tensorTable(g, plan, p),
    "",
  ].join("\n");
  return { path: n.source, text };
}

/**
 * Where each tensor lives in the arena, for --bisect's READ_TENSOR: its
 * offset and size, or -1 for constants (the kernels may hold them packed)
 * and tensors the plan never places.
 */
function tensorTable(g: Graph, plan: MemoryPlan, p: string): string[] {
  const rows = g.tensors.map((t, i) => {
    const offset = t.data ? -1 : plan.tensorOffsets[i] ?? -1;
    return `{ ${offset}, ${offset < 0 ? 0 : tensorBytes(t)}u }`;
  });
  return [
    `static const struct { int32_t offset; uint32_t bytes; } tml_tensor_place[${Math.max(1, rows.length)}] = {`,
    initializerLines(rows.length > 0 ? rows : ["{ -1, 0u }"], 4),
    "};",
    `const void *${p}_tensor(size_t index, size_t *bytes) {`,
    `  if (index >= ${g.tensors.length}u || tml_tensor_place[index].offset < 0) return NULL;`,
    "  if (bytes != NULL) *bytes = tml_tensor_place[index].bytes;",
    "  return tml_arena + tml_tensor_place[index].offset;",
    "}",
  ];
}

/** Op i's in-place shift for its emitter, when the plan overlaps its output with its input. */
function inPlaceShift(plan: MemoryPlan, opIndex: number): { inPlaceShift?: number } {
  const q = plan.inPlace.find((p) => p.opIndex === opIndex);
  return q ? { inPlaceShift: plan.buffers[q.output]!.offset - plan.buffers[q.input]!.offset } : {};
}

/** The model's base file name without extension, for naming generated arrays. */
export function modelBaseName(path: string): string {
  return basename(path).replace(/\.(tflite|json)$/i, "");
}
