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
    '#include "tensorflow/lite/schema/schema_generated.h"',
    "",
    "// TFLM's API before 2023 (what Coral's SDK bundles, tflite-micro 24c0850):",
    "// the interpreter takes an ErrorReporter and a concrete MicroProfiler, and",
    "// has no Reset() or preserve_all_tensors. The board's project defines",
    "// TML_TFLM_2022_API for it.",
    "#ifdef TML_TFLM_2022_API",
    '#include "tensorflow/lite/micro/micro_error_reporter.h"',
    '#include "tensorflow/lite/micro/micro_profiler.h"',
    "#define TML_TFLM_PROFILER_BASE tflite::MicroProfiler",
    "#else",
    '#include "tensorflow/lite/micro/memory_helpers.h"',
    '#include "tensorflow/lite/micro/micro_profiler_interface.h"',
    "#define TML_TFLM_PROFILER_BASE tflite::MicroProfilerInterface",
    "#endif",
    "",
    "// --bisect builds keep every tensor (TFLM's preserve_all_tensors), so the",
    "// host can read each op's output after one invoke.",
    "#ifndef TML_TFLM_PRESERVE_ALL",
    "#define TML_TFLM_PRESERVE_ALL 0",
    "#endif",
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
    "class TickProfiler : public TML_TFLM_PROFILER_BASE {",
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
    "#ifdef TML_TFLM_ARENA_PROBE",
    "size_t g_probe_minimum = 0;",
    "#endif",
    "",
    "// A fresh interpreter over the first `bytes` of the arena; true when its tensors fit.",
    "bool Allocate(const tflite::Model* model, tflite::MicroMutableOpResolver<kOpCount>& resolver, TickProfiler& profiler, size_t bytes) {",
    "  if (g_interpreter != nullptr) {",
    "    g_interpreter->~MicroInterpreter();",
    "    g_interpreter = nullptr;",
    "  }",
    "#ifdef TML_TFLM_2022_API",
    "  static tflite::MicroErrorReporter error_reporter;",
    "  tflite::MicroInterpreter* interpreter = new (g_interpreter_storage)",
    "      tflite::MicroInterpreter(model, resolver, g_arena, bytes, &error_reporter, nullptr, &profiler);",
    "#else",
    "  tflite::MicroInterpreter* interpreter = new (g_interpreter_storage)",
    "      tflite::MicroInterpreter(model, resolver, g_arena, bytes, nullptr, &profiler, TML_TFLM_PRESERVE_ALL != 0);",
    "#endif",
    "  if (interpreter->AllocateTensors() != kTfLiteOk) {",
    "    interpreter->~MicroInterpreter();",
    "    return false;",
    "  }",
    "  g_interpreter = interpreter;",
    "  return true;",
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
    "#ifdef TML_TFLM_2022_API",
    "  if (g_interpreter != nullptr) return g_interpreter->ResetVariableTensors() == kTfLiteOk ? 0 : 5;",
    "#else",
    "  if (g_interpreter != nullptr) return g_interpreter->Reset() == kTfLiteOk ? 0 : 5;",
    "#endif",
    `  const tflite::Model* model = tflite::GetModel(g_${name}_model_data);`,
    "  if (model->version() != TFLITE_SCHEMA_VERSION) return 1;",
    "  if (!registered) {",
    "    if (RegisterOps(resolver) != kTfLiteOk) return 2;",
    "    registered = true;",
    "  }",
    "  g_profiler = &profiler;",
    "#ifdef TML_TFLM_ARENA_PROBE",
    "  // The arena probe: the smallest arena AllocateTensors() succeeds in,",
    "  // found by bisection on the device (TFLM's temporaries during Prepare can",
    "  // exceed the arena_used_bytes() left afterwards). 16-byte steps, as TFLM aligns.",
    "  if (!Allocate(model, resolver, profiler, kArenaBytes)) return 3;",
    "  size_t lo = g_interpreter->arena_used_bytes() / 16, hi = kArenaBytes / 16;",
    "  while (lo < hi) {",
    "    const size_t mid = lo + (hi - lo) / 2;",
    "    if (Allocate(model, resolver, profiler, mid * 16)) hi = mid; else lo = mid + 1;",
    "  }",
    "  g_probe_minimum = hi * 16;",
    "  if (!Allocate(model, resolver, profiler, g_probe_minimum)) return 3;",
    "#else",
    "  if (!Allocate(model, resolver, profiler, kArenaBytes)) return 3;",
    "#endif",
    `  if (g_interpreter->inputs_size() != ${g.inputs.length}u || g_interpreter->outputs_size() != ${g.outputs.length}u) return 4;`,
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
    "#ifdef TML_TFLM_ARENA_PROBE",
    "  // The probe reports the arena the model needs, not what it used afterwards.",
    "  return g_interpreter != nullptr ? g_probe_minimum : 0;",
    "#else",
    "  return g_interpreter != nullptr ? g_interpreter->arena_used_bytes() : 0;",
    "#endif",
    "}",
    "// --bisect: TFLM runs the whole graph; with preserve_all_tensors every op's",
    "// output is still there afterwards.",
    'extern "C" int tml_model_invoke_ops(size_t n) {',
    "  if (n == 0) return 0;",
    "  return tml_model_invoke();",
    "}",
    'extern "C" const void* tml_model_tensor(size_t index, size_t* bytes) {',
    "#if TML_TFLM_PRESERVE_ALL && !defined(TML_TFLM_2022_API)",
    "  if (g_interpreter == nullptr) return nullptr;",
    "  TfLiteEvalTensor* t = g_interpreter->GetTensor(static_cast<int>(index));",
    "  size_t n = 0;",
    "  if (t == nullptr || t->data.raw == nullptr || tflite::TfLiteEvalTensorByteLength(t, &n) != kTfLiteOk) return nullptr;",
    "  if (bytes != nullptr) *bytes = n;",
    "  return t->data.raw;",
    "#else",
    "  (void)index;",
    "  (void)bytes;",
    "  return nullptr;",
    "#endif",
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
