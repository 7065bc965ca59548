// The accuracy figures the MLPerf Tiny runner prints (benchmark/runner/
// main.py, summarize_result), computed the same way from the same numbers:
// each file's results (one per inference; ad01 one per window) are
// normalized to sum 1 when there are several scores, averaged over the
// file's inferences, and then
//   "Top 1%" — classifiers: the share of files whose averaged argmax is the
//              label; ad01 (one score): the best (precision + recall) / 2
//              over 100 thresholds from min to max score, in %
//   "AUC"    — two classes: ROC AUC of the class-1 score; more: one-vs-rest
//              macro ROC AUC; ad01: ROC AUC of the score.

export interface FileScores {
  label: number;
  /** One results vector per inference the runner ran for the file. */
  results: number[][];
}

export interface RunnerAccuracy {
  files: number;
  /** The runner's "Top 1% = …" value (0–100). */
  top1: number;
  /** The runner's "AUC = …" value. */
  auc: number;
}

function normalize(scores: number[]): number[] {
  const total = scores.reduce((a, b) => a + b, 0);
  return scores.map((s) => s / total);
}

function mean(rows: number[][]): number[] {
  const out = new Array<number>(rows[0]!.length).fill(0);
  for (const r of rows) r.forEach((v, i) => (out[i]! += v));
  return out.map((v) => v / rows.length);
}

function argmax(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** ROC AUC for binary labels: the probability a positive outranks a negative, ties counting half (as sklearn's trapezoids). */
export function binaryAuc(labels: readonly boolean[], scores: readonly number[]): number {
  let pos = 0;
  let neg = 0;
  let wins = 0;
  for (let i = 0; i < labels.length; i++) {
    if (!labels[i]) continue;
    pos++;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j]) continue;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  for (const l of labels) if (!l) neg++;
  return pos === 0 || neg === 0 ? Number.NaN : wins / (pos * neg);
}

/** The threshold sweep main.py uses for a single anomaly score, in %. */
function anomalyAccuracy(scores: readonly number[], labels: readonly number[]): number {
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  let best = 0;
  for (let k = 0; k < 100; k++) {
    const threshold = lo + k * 0.01 * (hi - lo);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    scores.forEach((s, i) => {
      const anomalous = s > threshold;
      if (labels[i] === 1 && anomalous) tp++;
      else if (labels[i] === 1) fn++;
      else if (anomalous) fp++;
    });
    const precision = tp / (tp + fp + 1e-8);
    const recall = tp / (tp + fn + 1e-8);
    best = Math.max(best, (100 * (precision + recall)) / 2);
  }
  return best;
}

export function runnerAccuracy(files: readonly FileScores[]): RunnerAccuracy {
  const preds = files.map((f) => mean(f.results.map((r) => (r.length === 1 ? r : normalize(r)))));
  const labels = files.map((f) => f.label);
  const width = preds[0]?.length ?? 0;
  if (width === 1) {
    const scores = preds.map((p) => p[0]!);
    return { files: files.length, top1: anomalyAccuracy(scores, labels), auc: binaryAuc(labels.map((l) => l === 1), scores) };
  }
  const correct = preds.filter((p, i) => argmax(p) === labels[i]).length;
  const top1 = (100 * correct) / files.length;
  if (width === 2) return { files: files.length, top1, auc: binaryAuc(labels.map((l) => l === 1), preds.map((p) => p[1]!)) };
  // One-vs-rest, macro: the mean of each class's AUC (the runner needs every class present).
  let sum = 0;
  for (let c = 0; c < width; c++) sum += binaryAuc(labels.map((l) => l === c), preds.map((p) => p[c]!));
  return { files: files.length, top1, auc: sum / width };
}
