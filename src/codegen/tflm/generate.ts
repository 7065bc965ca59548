// Sources for the TFLM interpreter runtime: the model as a C array, and
// tml_model_tflm.cc, which implements tml_model.h on top of TFLM's current
// API (GetModel, MicroMutableOpResolver<N>, MicroInterpreter(model,
// resolver, arena, size), AllocateTensors, Invoke, arena_used_bytes), so
// the same harness and apps run either runtime.

import { TinymlError } from "../../errors.js";
import { mainGraph } from "../../model/graph.js";
import type { LoadedModel } from "../../model/load.js";
import { writeTflite } from "../../model/tflite/writer.js";
import { checkRuntimeSupport } from "../../runtimes.js";
import "../aot/runtime.js";
import { checkArenaBudget } from "../aot/generate.js";
import { modelDataFiles, type GeneratedFile } from "../c-array.js";
import { cIdentifier } from "../c-syntax.js";
import { planArena, type MemoryPlan } from "../plan/index.js";
import { provenanceComment, type Provenance } from "../provenance.js";
import { tensorInfoTable } from "../tensor-info.js";
import { tflmArenaBytes, tflmOverheadBytes } from "./arena.js";
import { planResolver, type ResolverPlan } from "./resolver.js";
import { alignUp } from "../plan/index.js";

export interface TflmOptions {
  /** The C name stem: g_<name>_model_data. Sanitized. */
  name: string;
  /** The model file's bytes when it is a .tflite (kept byte for byte); otherwise the writer's output is used. */
  tfliteBytes?: Uint8Array;
  maxArenaBytes?: number;
  /** The arena to reserve: TFLM's own planner's figure (measured) or the user's --arena; else estimated. */
  arenaBytes?: number;
}

export interface TflmResult {
  files: GeneratedFile[];
  plan: MemoryPlan;
  arenaBytes: number;
  /** Distinct ops registered, in order. */
  ops: string[];
  resolver: ResolverPlan;
  /** Where arenaBytes came from. */
  arenaSource: "given" | "estimate";
}

export function generateTflm(loaded: LoadedModel, opts: TflmOptions): TflmResult {
  const g = mainGraph(loaded.model);
  checkRuntimeSupport(g, "tflm", loaded.path);
  const name = cIdentifier(opts.name);
  const plan = planArena(g);
  const arenaBytes = opts.arenaBytes !== undefined ? alignUp(opts.arenaBytes) : tflmArenaBytes(g, plan.arenaBytes);
  checkArenaBudget(arenaBytes, opts.maxArenaBytes, loaded.path, "TFLM arena (plan plus interpreter bookkeeping)");
  const prov: Provenance = { modelPath: loaded.path, sha256: loaded.sha256 };
  const bytes = opts.tfliteBytes ?? writeTflite(loaded.model);
  const resolver = planResolver(g);
  if (resolver.ops.length === 0) {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", "the model has no ops", { location: { file: loaded.path } });
  }
  const source = [
    provenanceComment(prov, "TFLM runtime: the tml_model.h API over tflite::MicroInterpreter."),
    "#include <cstddef>",
    "#include <cstdint>",
    "#include <new>",
    "",
    '#include "model_data.h"',
    '#include "tml_model.h"',
    '#include "tensorflow/lite/micro/micro_interpreter.h"',
    '#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"',
    '#include "tensorflow/lite/micro/micro_profiler_interface.h"',
    '#include "tensorflow/lite/schema/schema_generated.h"',
    "",
    "namespace {",
    "",
    ...(opts.arenaBytes !== undefined
      ? [`// The arena TFLM's own planner needs for this model on this board (measured, or given with --arena);`]
      : [`// ${plan.arenaBytes} bytes of tensors (tinyml's plan) + ${tflmOverheadBytes(g)} bytes estimated for TFLM's own bookkeeping;`]),
    "// tml_model_arena_used() reports what AllocateTensors() really used.",
    `constexpr size_t kArenaBytes = ${arenaBytes};`,
    `constexpr int kOpCount = ${resolver.ops.length};  // distinct ops: ${resolver.ops.join(", ")}`,
    "",
    "alignas(16) uint8_t g_arena[kArenaBytes];",
    "alignas(tflite::MicroInterpreter) unsigned char g_interpreter_storage[sizeof(tflite::MicroInterpreter)];",
    "tflite::MicroInterpreter* g_interpreter = nullptr;",
    "class TickProfiler;",
    "TickProfiler* g_profiler = nullptr;",
    "",
    "// Times each op of a tml_model_invoke_timed() call: TFLM wraps every op's",
    "// invoke in BeginEvent/EndEvent. Outside a timed call `now` is null and",
    "// the events cost one branch.",
    "class TickProfiler : public tflite::MicroProfilerInterface {",
    " public:",
    "  uint32_t BeginEvent(const char*) override {",
    "    if (now_ != nullptr) start_ = now_();",
    "    return 0;",
    "  }",
    "  void EndEvent(uint32_t) override {",
    "    if (now_ == nullptr) return;",
    "    if (count_ < max_) ticks_[count_] = now_() - start_;",
    "    ++count_;",
    "  }",
    "  void Start(uint32_t* ticks, size_t max, tml_ticks_fn now) { ticks_ = ticks; max_ = max; now_ = now; count_ = 0; }",
    "  size_t Stop() { now_ = nullptr; return count_ < max_ ? count_ : max_; }",
    "",
    " private:",
    "  uint32_t* ticks_ = nullptr;",
    "  size_t max_ = 0;",
    "  size_t count_ = 0;",
    "  uint32_t start_ = 0;",
    "  tml_ticks_fn now_ = nullptr;",
    "};",
    "",
    tensorInfoTable(g, "kInputInfo", g.inputs),
    tensorInfoTable(g, "kOutputInfo", g.outputs),
    "",
    "TfLiteStatus RegisterOps(tflite::MicroMutableOpResolver<kOpCount>& resolver) {",
    ...resolver.statements.map((s) => `  if (${s} != kTfLiteOk) return kTfLiteError;`),
    "  return kTfLiteOk;",
    "}",
    "",
    "}  // namespace",
    "",
    'extern "C" int tml_model_init(void) {',
    "  // Function-local statics: no static constructors to run before main on bare metal.",
    "  static tflite::MicroMutableOpResolver<kOpCount> resolver;",
    "  static bool registered = false;",
    "  static TickProfiler profiler;",
    "  // Called again at each session: reset variable tensors and op state.",
    "  if (g_interpreter != nullptr) return g_interpreter->Reset() == kTfLiteOk ? 0 : 5;",
    `  const tflite::Model* model = tflite::GetModel(g_${name}_model_data);`,
    "  if (model->version() != TFLITE_SCHEMA_VERSION) return 1;",
    "  if (!registered) {",
    "    if (RegisterOps(resolver) != kTfLiteOk) return 2;",
    "    registered = true;",
    "  }",
    "  tflite::MicroInterpreter* interpreter =",
    "      new (g_interpreter_storage) tflite::MicroInterpreter(model, resolver, g_arena, kArenaBytes, nullptr, &profiler);",
    "  g_profiler = &profiler;",
    "  if (interpreter->AllocateTensors() != kTfLiteOk) return 3;",
    `  if (interpreter->inputs_size() != ${g.inputs.length}u || interpreter->outputs_size() != ${g.outputs.length}u) return 4;`,
    "  g_interpreter = interpreter;",
    "  return 0;",
    "}",
    "",
    `extern "C" size_t tml_model_input_count(void) { return ${g.inputs.length}u; }`,
    `extern "C" size_t tml_model_output_count(void) { return ${g.outputs.length}u; }`,
    'extern "C" void* tml_model_input(size_t i) {',
    `  return g_interpreter != nullptr && i < ${g.inputs.length}u ? g_interpreter->input(i)->data.raw : nullptr;`,
    "}",
    'extern "C" void* tml_model_output(size_t i) {',
    `  return g_interpreter != nullptr && i < ${g.outputs.length}u ? g_interpreter->output(i)->data.raw : nullptr;`,
    "}",
    'extern "C" const tml_tensor_info* tml_model_input_info(size_t i) {',
    `  return i < ${g.inputs.length}u ? &kInputInfo[i] : nullptr;`,
    "}",
    'extern "C" const tml_tensor_info* tml_model_output_info(size_t i) {',
    `  return i < ${g.outputs.length}u ? &kOutputInfo[i] : nullptr;`,
    "}",
    'extern "C" int tml_model_invoke(void) {',
    "  if (g_interpreter == nullptr) return 1;",
    "  return g_interpreter->Invoke() == kTfLiteOk ? 0 : 1;",
    "}",
    'extern "C" size_t tml_model_invoke_timed(uint32_t* ticks, size_t max, tml_ticks_fn now) {',
    "  if (g_interpreter == nullptr || g_profiler == nullptr || ticks == nullptr || now == nullptr) return 0;",
    "  g_profiler->Start(ticks, max, now);",
    "  (void)g_interpreter->Invoke();",
    "  return g_profiler->Stop();",
    "}",
    "// TFLM does not say which op failed (its log does).",
    'extern "C" int32_t tml_model_failed_op(void) { return -1; }',
    `extern "C" const char* tml_model_sha256(void) { return "${loaded.sha256}"; }`,
    'extern "C" size_t tml_model_arena_used(void) {',
    "  return g_interpreter != nullptr ? g_interpreter->arena_used_bytes() : 0;",
    "}",
    "",
  ].join("\n");
  return {
    files: [...modelDataFiles(name, bytes, prov), { path: "tml_model_tflm.cc", text: source }],
    plan,
    arenaBytes,
    ops: resolver.ops,
    resolver,
    arenaSource: opts.arenaBytes !== undefined ? "given" : "estimate",
  };
}
