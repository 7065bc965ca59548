// Posterior smoothing: TFLM micro_speech's RecognizeCommands
// (examples/micro_speech/recognize_commands.{h,cc}), mirrored operation by
// operation so that firmware/runtime/tml_recognize.c, a C port of the same
// code, produces the same events on the device. Everything is integer
// arithmetic on the int8 softmax output shifted to 0..255 (score + 128),
// including the truncating division of the average.
//
// Two TFLM quirks are kept on purpose, because the device runs them too:
// - PreviousResultsQueue holds at most 50 results and push_back() drops the
//   newest result when full; pruning happens after the push. With a result
//   every 20 ms a 1000 ms window spans 51 results, so the queue runs full and
//   two results in every ~50 never enter the average, exactly as on TFLM.
// - the time-order check compares with the *oldest* queued result.

import { TinymlError } from "../errors.js";

export interface RecognizeConfig {
  /** Results older than this (ms before the newest) leave the average. */
  averageWindowMs: number;
  /** A category is detected when its average (0..255) is strictly above this. */
  detectionThreshold: number;
  /** The same category is not detected again within this many ms. */
  suppressionMs: number;
  /** Fewer results than this in the window give no detection. */
  minimumCount: number;
  /** Capacity of the results queue (PreviousResultsQueue::kMaxResults). */
  maxResults: number;
}

/** RecognizeCommands' constructor defaults and kMaxResults. */
export const RECOGNIZE_DEFAULTS: Readonly<RecognizeConfig> = {
  averageWindowMs: 1000,
  detectionThreshold: 200,
  suppressionMs: 1500,
  minimumCount: 3,
  maxResults: 50,
};

/** What ProcessLatestResults returns through its out-parameters. */
export interface RecognizeResult {
  /** Category index of found_command. */
  index: number;
  /** 0..255; 0 when there were too few results to decide. */
  score: number;
  isNewCommand: boolean;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

interface QueuedResult {
  timeMs: number;
  scores: Int8Array;
}

export class RecognizeCommands {
  readonly config: Readonly<RecognizeConfig>;
  readonly categoryCount: number;
  // PreviousResultsQueue as a fixed ring, so that even its edge cases (a full
  // queue, reading front() of an empty one) behave as in C.
  private readonly ring: QueuedResult[];
  private front = 0;
  private size = 0;
  private previousTopIndex = 0; // previous_top_label_ starts as "silence", category 0
  private previousTopTimeMs = INT32_MIN;

  constructor(categoryCount: number, config: Partial<RecognizeConfig> = {}) {
    this.config = validateConfig({ ...RECOGNIZE_DEFAULTS, ...config });
    if (!Number.isInteger(categoryCount) || categoryCount < 1) {
      throw new TinymlError("TML_E_USAGE", `posterior smoothing needs at least one category, got ${categoryCount}`);
    }
    this.categoryCount = categoryCount;
    this.ring = Array.from({ length: this.config.maxResults }, () => ({ timeMs: 0, scores: new Int8Array(categoryCount) }));
  }

  /** RecognizeCommands::ProcessLatestResults for one classifier output. */
  process(scores: ArrayLike<number>, timeMs: number): RecognizeResult {
    const n = this.categoryCount;
    if (scores.length !== n) {
      throw new TinymlError("TML_E_INPUT_MISMATCH", `the classifier gave ${scores.length} scores, posterior smoothing expects ${n}`);
    }
    if (!Number.isInteger(timeMs) || timeMs < INT32_MIN || timeMs > INT32_MAX) {
      throw new TinymlError("TML_E_INPUT_MISMATCH", `result time ${timeMs} ms is not an int32 millisecond count`);
    }
    if (this.size > 0 && timeMs < this.at(0).timeMs) {
      throw new TinymlError(
        "TML_E_INPUT_MISMATCH",
        `results must be fed in increasing time order, but ${timeMs} ms is earlier than ${this.at(0).timeMs} ms`,
      );
    }
    this.pushBack(scores, timeMs);
    const timeLimit = timeMs - this.config.averageWindowMs;
    while (this.size > 0 && this.at(0).timeMs < timeLimit) this.popFront();

    const howMany = this.size;
    const earliest = this.ring[this.front]!.timeMs; // front() even when empty, as in C
    if (howMany < this.config.minimumCount || timeMs - earliest < Math.trunc(this.config.averageWindowMs / 4)) {
      return { index: this.previousTopIndex, score: 0, isNewCommand: false };
    }

    const average = new Array<number>(n).fill(0);
    for (let k = 0; k < howMany; k++) {
      const s = this.at(k).scores;
      for (let i = 0; i < n; i++) average[i]! += s[i]! + 128;
    }
    let topIndex = 0;
    let topScore = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.trunc(average[i]! / howMany);
      if (a > topScore) {
        topScore = a;
        topIndex = i;
      }
    }

    const timeSinceLastTop =
      this.previousTopIndex === 0 || this.previousTopTimeMs === INT32_MIN ? INT32_MAX : timeMs - this.previousTopTimeMs;
    const isNewCommand =
      topScore > this.config.detectionThreshold &&
      (topIndex !== this.previousTopIndex || timeSinceLastTop > this.config.suppressionMs);
    if (isNewCommand) {
      this.previousTopIndex = topIndex;
      this.previousTopTimeMs = timeMs;
    }
    return { index: topIndex, score: topScore, isNewCommand };
  }

  private at(offset: number): QueuedResult {
    return this.ring[(this.front + offset) % this.config.maxResults]!;
  }

  private pushBack(scores: ArrayLike<number>, timeMs: number): void {
    if (this.size >= this.config.maxResults) return; // "Couldn't push_back latest result, too many already!"
    this.size += 1;
    const slot = this.at(this.size - 1);
    slot.timeMs = timeMs;
    for (let i = 0; i < this.categoryCount; i++) slot.scores[i] = scores[i]!;
  }

  private popFront(): void {
    this.front = (this.front + 1) % this.config.maxResults;
    this.size -= 1;
  }
}

function validateConfig(c: RecognizeConfig): RecognizeConfig {
  const bad = (what: string): never => {
    throw new TinymlError("TML_E_USAGE", `invalid posterior smoothing setting: ${what}`, {
      hint: `Defaults (TFLM micro_speech): window ${RECOGNIZE_DEFAULTS.averageWindowMs} ms, threshold ${RECOGNIZE_DEFAULTS.detectionThreshold}, suppression ${RECOGNIZE_DEFAULTS.suppressionMs} ms, minimum count ${RECOGNIZE_DEFAULTS.minimumCount}.`,
    });
  };
  const int = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(c.averageWindowMs, 0, INT32_MAX)) bad(`averaging window ${c.averageWindowMs} ms`);
  if (!int(c.detectionThreshold, 0, 255)) bad(`detection threshold ${c.detectionThreshold} (0..255)`);
  if (!int(c.suppressionMs, 0, INT32_MAX)) bad(`suppression ${c.suppressionMs} ms`);
  // 0 would let the average divide by an empty queue (undefined behaviour in the C original).
  if (!int(c.minimumCount, 1, INT32_MAX)) bad(`minimum count ${c.minimumCount} (at least 1)`);
  if (!int(c.maxResults, 1, 65535)) bad(`queue capacity ${c.maxResults}`);
  return c;
}
