// The result of an on-device test run, as data. The runner fills it; the
// terminal table, --json, --junit and --report HTML are all rendered from it,
// so the four can never disagree.

import type { RunnerAccuracy } from "../eembc/metrics.js";
import type { WakewordEvent } from "../wakeword/events.js";
import type { KeywordOccurrence } from "../wakeword/labels.js";
import type { DutyCycle, Stats as WakewordStats, WakewordMetrics } from "../wakeword/metrics.js";
import type { BoardDutyCycle } from "../wakeword/realtime.js";
import type { Recommendation, SweepPoint } from "../wakeword/sweep.js";

/** pass: every check held; fail: the device computed something wrong (exit 1); infra: the rig failed (exit 5). */
export type Status = "pass" | "fail" | "infra";

/** What a run did on the device: inference cases (tinyml protocol), the MLPerf Tiny runner's protocol, or a wake-word stream. */
export type TestMode = "inference" | "eembc" | "wakeword";

export interface Stats {
  min: number;
  median: number;
  p90: number;
  max: number;
  mean: number;
}

/** Device output vs the float model (stedgeai-style metrics); absent for int8-only comparisons. */
export interface FloatMetrics {
  /** For classifiers: top-1 of device output == top-1 of the float model. */
  top1Agreement?: number;
  rmse: number;
  mae: number;
  /** Relative L2 error: ||a - b|| / ||b||. */
  l2r: number;
  cosine: number;
}

export interface OutputComparison {
  index: number;
  name: string;
  dtype: string;
  shape: number[];
  /** Device bytes equal the host reference bytes. */
  exact: boolean;
  mismatches: number;
  /** The first differing element, for the failure message. */
  firstMismatch?: { element: number; expected: number; actual: number };
  float?: FloatMetrics;
  /** Set when values are compared within a tolerance (EEMBC prints 0.ddd), not as bytes. */
  tolerance?: number;
  /** float32 outputs: the largest difference in units in the last place, and the allowed one (--float-ulp). */
  ulp?: { max: number; tolerance: number };
}

export interface CaseResult {
  name: string;
  /** Input files, or "random:<seed>" for --random cases. */
  inputs: string[];
  status: Status;
  /** The board reset mid-case and the case ran again. */
  retried: boolean;
  outputs: OutputComparison[];
  /** Per-run timer ticks of the measured runs (after warm-up). */
  ticks: number[];
  error?: { code: string; message: string };
  /** EEMBC runs: the device's mean latency from m-lap-us (it reports no per-run ticks). */
  meanUs?: number;
  durationMs?: number;
}

export interface OpProfile {
  index: number;
  type: string;
  ticks: number;
  us: number;
  /** Fraction of the whole invoke. */
  share: number;
  /** The op's multiply-accumulates (0 for ops that do none). */
  macs?: number;
  /** Instructions (QEMU under -icount: ticks × instructions per tick). */
  instructions?: number;
}

/** How the firmware was built, when this run built it: the budget, the toolchain and its flags. */
export interface BuildProvenance {
  /** Flash and RAM against the board's budget: from the linked image, or planned (weights and arena). */
  budget?: { flash: { used: number; budget: number }; ram: { used: number; budget: number }; source: "image" | "plan" };
  runtime: string;
  app: string;
  /** The compiler the commands run (first word of a compile command). */
  compiler?: string;
  /** Flags every compile command shares (target, optimization, warnings), in their order. */
  compileFlags: string[];
  /** -D definitions of the model's and app's compiles. */
  defines: string[];
  /** Flags of the link command (objects and outputs left out). */
  linkFlags: string[];
  /** How many toolchain commands the build ran (or would run). */
  commands: number;
  dir: string;
  image?: string;
}

export interface Check {
  /** e.g. "model hash", "protocol version", "output 0 bit-exact". */
  name: string;
  status: Status;
  message?: string;
}

/** What the firmware said about itself (INFO): its provenance. */
export interface FirmwareInfo {
  board: string;
  runtime: string;
  tinymlVersion: string;
  modelSha256: string;
  arenaBytes: number;
  timerHz: number;
  protocolVersion: number;
}

export interface BoardRun {
  /** The rig entry id (hardware map) or the board id. */
  id: string;
  board: string;
  port?: string;
  status: Status;
  firmware?: FirmwareInfo;
  checks: Check[];
  cases: CaseResult[];
  /** Over every measured run of every case. */
  latency?: { runs: number; warmup: number; ticks: Stats; us: Stats; clockHz: number; instructions?: Stats; /** "m-lap-us": per-case means (EEMBC). */ source?: "ticks" | "m-lap-us" };
  profile?: OpProfile[];
  durationMs: number;
  error?: { code: string; message: string };
  /** ISO time the board's run began (parallel rigs: runs overlap). */
  startedAt?: string;
  /** "tinyml" (framed protocol) or "eembc" (MLPerf Tiny runner). */
  protocol?: "tinyml" | "eembc";
  /** Device vs float model, per output, averaged over the cases (--float-model). */
  float?: Array<{ index: number; name: string; metrics: FloatMetrics }>;
  /** Things the reader should know that are neither failures nor passes (e.g. no per-op profiler). */
  notes?: string[];
  /** Link health: retransmissions and timeouts seen (framed protocol only). */
  link?: { requests: number; retransmits: number; timeouts: number; naks: number };
  /** The session stage an infrastructure failure happened in (flashing, connecting, running, closing). */
  stage?: string;
  /** Wake-word runs: detection metrics and per-frame compute (each clip is one of `cases`). */
  wakeword?: WakewordBoardSummary;
  /** --bisect: the first op whose output differs from the reference, on the first failing case. */
  bisect?: BisectResult;
  /** Set when this run built the firmware (not with --no-build). */
  build?: BuildProvenance;
  /** EEMBC runs on a runner dataset (y_labels.csv): the runner's accuracy figures from the device's and the host's results. */
  eembc?: { benchmark: string; device: RunnerAccuracy; host: RunnerAccuracy };
}

/** A wake-word stream's results on one board, beside its per-clip cases. */
export interface WakewordBoardSummary {
  labels: string[];
  clips: WakewordClipResult[];
  metrics: WakewordMetrics;
  timerHz: number;
  /** Per-frame ticks by stage. */
  ticks: WakewordStageStats;
  /** Per-frame instructions by stage (QEMU under -icount). */
  instructions?: WakewordStageStats;
  /** Per-frame compute against 20 ms: instructions as 64 MHz Cortex-M4 cycles under QEMU, else the timer's time. */
  dutyCycle: DutyCycle | undefined;
  /** The host reference's per-frame wall time against 20 ms (for comparison). */
  hostDutyCycle: DutyCycle | undefined;
  /** Per-frame compute against 20 ms at the board's own clock (boards/*.json); above 80% is a warning. */
  boardDutyCycle?: BoardDutyCycle;
  /** The detection threshold the firmware and the host ran with. */
  threshold: number;
  /** Every threshold's FRR and false accepts per hour, from this run's per-frame scores (src/wakeword/sweep.ts). */
  sweep: SweepPoint[];
  /** The lowest-FRR threshold meeting the false-accept target; null when none does or the set has no non-keyword audio. */
  recommended: Recommendation | null;
  targetFaPerHour: number;
  /** What makes these numbers unreliable (clips that can never be detected), each with its fix. */
  warnings: string[];
  /** Per-frame scores per clip, when asked for (--scores, --report). */
  traces?: WakewordTrace[];
}

/**
 * One clip's per-frame scores, columnar: entry k of each array belongs to
 * frame scoredFrames[k] (frame i ends at 20 i + 30 ms); the other frames have
 * features only (before the 49th, and those --classify-every skips).
 */
export interface WakewordTrace {
  clip: string;
  frames: number;
  occurrences: KeywordOccurrence[];
  scoredFrames: number[];
  /** The classifier's int8 score per label, in label order. */
  scores: number[][];
  /** RecognizeCommands' top category and its averaged score (0..255) per scored frame. */
  smoothedIndex: number[];
  smoothedScore: number[];
  /** Frames with a keyword event. */
  eventFrames: number[];
}

export interface WakewordClipResult {
  name: string;
  durationS: number;
  frames: number;
  /** Empty when every frame equals the host's. */
  mismatches: string[];
  deviceEvents: WakewordEvent[];
  hostEvents: WakewordEvent[];
  /** Audio seconds streamed per wall second. */
  realtimeFactor: number;
}

export interface WakewordStageStats {
  frontend: WakewordStats | undefined;
  classifier: WakewordStats | undefined;
  smoothing: WakewordStats | undefined;
  /** frontend + classifier + smoothing per frame. */
  total: WakewordStats | undefined;
}

export interface TestReport {
  tinyml: string;
  mode: TestMode;
  startedAt: string;
  durationMs: number;
  /** The model the firmware runs (for a wake-word run: the classifier; the frontend is in each board's summary). */
  model: { path: string; sha256: string; format: string };
  /** "i/n" when the inputs were sharded. */
  shard?: string;
  boards: BoardRun[];
  status: Status;
}

/** The worst status wins: infra over fail over pass. */
export function worst(statuses: Status[]): Status {
  if (statuses.includes("infra")) return "infra";
  if (statuses.includes("fail")) return "fail";
  return "pass";
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { min: 0, median: 0, p90: 0, max: 0, mean: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { min: s[0]!, median: at(0.5), p90: at(0.9), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** The process exit code for a run's status: 0 pass, 1 a test failed, 5 the rig failed. */
export function statusExitCode(status: Status): number {
  return status === "pass" ? 0 : status === "fail" ? 1 : 5;
}

/** What `--bisect` found: the first op whose device output differs from the reference (validate/bisect.ts). */
export interface Divergence {
  op: number;
  type: string;
  /** The op's output tensor that differs. */
  tensor: number;
  tensorName: string;
  dtype: string;
  shape: number[];
  /** The first differing element (flat index) and both values. */
  element: number;
  expected: number;
  actual: number;
  /** How many elements of that tensor differ. */
  mismatches: number;
  elements: number;
  /** The op's prepared parameters (what the kernel was given), as the reference computed them. */
  params: unknown;
}

export interface BisectResult {
  /** The case that was bisected. */
  case: string;
  /** Ops whose outputs were compared before the answer (all of them when none differs). */
  checkedOps: number;
  /** Set when an op's output differs. */
  divergence?: Divergence;
  /** Why the device could not show a tensor (a TFLM image built without --bisect). */
  unavailable?: string;
}
