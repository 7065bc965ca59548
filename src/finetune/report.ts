// Accuracy and the confusion matrix on the validation split.

import { renderTable } from "../util/table.js";

export interface Evaluation {
  samples: number;
  accuracy: number;
  /** matrix[actual][predicted] */
  confusion: number[][];
  perClass: { label: string; samples: number; recall: number }[];
}

export function evaluate(labels: string[], actual: number[], predicted: number[]): Evaluation {
  const confusion = labels.map(() => labels.map(() => 0));
  actual.forEach((a, i) => { confusion[a]![predicted[i]!]!++; });
  const correct = actual.filter((a, i) => a === predicted[i]).length;
  return {
    samples: actual.length,
    accuracy: actual.length === 0 ? NaN : correct / actual.length,
    confusion,
    perClass: labels.map((label, c) => {
      const n = confusion[c]!.reduce((s, v) => s + v, 0);
      return { label, samples: n, recall: n === 0 ? NaN : confusion[c]![c]! / n };
    }),
  };
}

export function renderConfusion(labels: string[], e: Evaluation): string {
  return renderTable(["actual \\ predicted", ...labels, "recall"], labels.map((l, c) => [
    l, ...e.confusion[c]!.map(String), Number.isNaN(e.perClass[c]!.recall) ? "-" : `${(e.perClass[c]!.recall * 100).toFixed(0)}%`,
  ]));
}
