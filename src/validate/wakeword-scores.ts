// `tinyml test --wakeword --scores FILE.csv`: every frame's classifier scores
// as the device computed them, to see why a keyword was missed or a noise
// fired, in a spreadsheet or pandas (`read_csv(f, comment="#")`). One row per
// frame of each clip on each board: the int8 score of every label (empty
// before the classifier's first 49 frames and on frames --classify-every
// skips), RecognizeCommands' top category
// and averaged score, whether the frame made an event, and the keyword whose
// labelled span holds the frame's time (the truth the metrics score against).

import { frameTimeMs } from "../wakeword/settings.js";
import { writeFileAtomic } from "../util/files.js";
import { TINYML_MARKER } from "../util/output-file.js";
import type { TestReport, WakewordTrace } from "./report.js";

/** RFC 4180 quoting for the free-text fields (clip and board names). */
function field(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function spanAt(t: WakewordTrace, timeMs: number): string {
  return t.occurrences.find((o) => timeMs >= o.start * 1000 && timeMs <= o.end * 1000)?.keyword ?? "";
}

export function renderScoresCsv(report: TestReport): string {
  const runs = report.boards.filter((b) => b.wakeword?.traces);
  const labels = runs[0]?.wakeword?.labels ?? [];
  const lines = [
    `# ${TINYML_MARKER} ${report.tinyml}: per-frame wake-word scores of ${report.model.path}; scores are the classifier's int8 outputs, smoothed_score is 0..255`,
    ["board", "clip", "frame", "time_ms", ...labels.map((l) => `score_${l}`), "smoothed_label", "smoothed_score", "event", "keyword_span"].map(field).join(","),
  ];
  for (const b of runs) {
    for (const t of b.wakeword!.traces!) {
      const events = new Set(t.eventFrames);
      const entry = new Map(t.scoredFrames.map((f, k) => [f, k]));
      for (let f = 0; f < t.frames; f++) {
        const k = entry.get(f) ?? -1;
        const timeMs = frameTimeMs(f);
        const scored = k >= 0;
        lines.push([
          field(b.id), field(t.clip), String(f), String(timeMs),
          ...labels.map((_, i) => (scored ? String(t.scores[k]![i]) : "")),
          scored ? field(labels[t.smoothedIndex[k]!] ?? "") : "", scored ? String(t.smoothedScore[k]) : "",
          events.has(f) ? "1" : "0", field(spanAt(t, timeMs)),
        ].join(","));
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

export function writeScoresCsv(report: TestReport, file: string): void {
  writeFileAtomic(file, renderScoresCsv(report));
}
