// Detection events from smoothed posteriors. RecognizeCommands also reports
// "new commands" for silence and unknown (micro_speech's RespondToCommand
// prints "Heard silence"); those update its state exactly as in TFLM but are
// not keyword detections, so they are not events.

import { RecognizeCommands, type RecognizeConfig, type RecognizeResult } from "./smoothing.js";

export interface WakewordEvent {
  keyword: string;
  /** Category index in the model's label list. */
  index: number;
  /** Smoothed score, 0..255. */
  score: number;
  /** Audio time of the classifier result that triggered it. */
  timeMs: number;
}

/** Labels that name non-keyword audio: micro_speech's and the speech_commands data set's spellings. */
export function isNonKeywordLabel(label: string): boolean {
  return /^_?(silence|unknown|background|background_noise|noise)_?$/i.test(label);
}

export class EventDetector {
  readonly labels: readonly string[];
  readonly recognizer: RecognizeCommands;

  constructor(labels: readonly string[], config: Partial<RecognizeConfig> = {}) {
    this.labels = labels;
    this.recognizer = new RecognizeCommands(labels.length, config);
  }

  /** Feeds one classifier output; returns the raw result and the event it makes, if any. */
  push(scores: ArrayLike<number>, timeMs: number): { result: RecognizeResult; event: WakewordEvent | undefined } {
    const result = this.recognizer.process(scores, timeMs);
    const label = this.labels[result.index]!;
    const event =
      result.isNewCommand && !isNonKeywordLabel(label) ? { keyword: label, index: result.index, score: result.score, timeMs } : undefined;
    return { result, event };
  }
}

/** Runs a whole sequence of timed classifier outputs through a fresh detector. */
export function detectEvents(
  labels: readonly string[],
  results: ReadonlyArray<{ timeMs: number; scores: ArrayLike<number> }>,
  config: Partial<RecognizeConfig> = {},
): WakewordEvent[] {
  const d = new EventDetector(labels, config);
  const events: WakewordEvent[] = [];
  for (const r of results) {
    const { event } = d.push(r.scores, r.timeMs);
    if (event) events.push(event);
  }
  return events;
}
