// The runner's accuracy figures (benchmark/runner/main.py summarize_result),
// on sets small enough to work out by hand.
import { describe, expect, it } from "vitest";
import { binaryAuc, runnerAccuracy } from "../../src/eembc/metrics.js";

describe("the MLPerf Tiny runner's Top 1% and AUC", () => {
  it("ROC AUC counts positive-over-negative pairs, ties as half", () => {
    // Pairs (pos, neg): (0.9,0.8) (0.9,0.1) (0.4,0.1) won, (0.4,0.8) lost: 3 of 4.
    expect(binaryAuc([true, false, true, false], [0.9, 0.8, 0.4, 0.1])).toBe(0.75);
    expect(binaryAuc([true, false], [0.5, 0.5])).toBe(0.5);
  });

  it("classifiers: normalized scores averaged per file, argmax against the label; one-vs-rest AUC", () => {
    const r = runnerAccuracy([
      { label: 0, results: [[2, 1, 1]] }, // [0.5, 0.25, 0.25] → 0, right
      { label: 1, results: [[0.1, 0.6, 0.3], [0.1, 0.1, 0.8]] }, // mean [0.1, 0.35, 0.55] → 2, wrong
      { label: 2, results: [[0, 0.2, 0.8]] }, // → 2, right
    ]);
    expect(r.files).toBe(3);
    expect(r.top1).toBeCloseTo(200 / 3, 10);
    // Each class's positive outscores its negatives: 0.5 > 0.1, 0; 0.35 > 0.25, 0.2; 0.8 > 0.25, 0.55.
    expect(r.auc).toBe(1);
  });

  it("two classes: the AUC of the class-1 score", () => {
    const r = runnerAccuracy([{ label: 1, results: [[0.3, 0.7]] }, { label: 0, results: [[0.6, 0.4]] }, { label: 0, results: [[0.2, 0.8]] }]);
    expect(r.top1).toBeCloseTo(200 / 3, 10);
    expect(r.auc).toBe(0.5); // 0.7 beats 0.4, loses to 0.8
  });

  it("one anomaly score: windows averaged per file, the best (precision + recall) / 2 over the thresholds", () => {
    const r = runnerAccuracy([
      { label: 0, results: [[1], [3]] }, // mean 2
      { label: 0, results: [[4]] },
      { label: 1, results: [[10], [8]] }, // mean 9
    ]);
    // A threshold between 4 and 9 flags exactly the anomaly: precision = recall = 1/(1 + 1e-8).
    expect(r.top1).toBeCloseTo(100 / (1 + 1e-8), 9);
    expect(r.auc).toBe(1);
  });
});
