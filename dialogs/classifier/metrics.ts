/** Classification metrics: accuracy, macro-F1, per-label precision/recall/F1/support, confusion matrix. */

/** Per-label figures. */
export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Everything `router eval` prints. */
export interface Evaluation {
  accuracy: number;
  macroF1: number;
  labels: string[];
  perLabel: Record<string, LabelMetrics>;
  /** confusion[i][j]: examples of true label i predicted as label j (labels in `labels` order). */
  confusion: number[][];
  n: number;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Scores predictions against the truth; `labels` fixes the order (defaults to every label seen, sorted). */
export function evaluate(truth: string[], predicted: string[], labels?: string[]): Evaluation {
  const all = labels ?? [...new Set([...truth, ...predicted])].sort();
  const at = new Map(all.map((l, i) => [l, i]));
  const confusion = all.map(() => all.map(() => 0));
  truth.forEach((t, i) => confusion[at.get(t)!][at.get(predicted[i])!]++);
  const perLabel: Record<string, LabelMetrics> = {};
  let f1Sum = 0;
  let labelsWithSupport = 0;
  all.forEach((l, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((a, row) => a + row[i], 0);
    const precision = predictedAs ? tp / predictedAs : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perLabel[l] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
    if (support) {
      f1Sum += f1;
      labelsWithSupport++;
    }
  });
  const correct = all.reduce((a, _, i) => a + confusion[i][i], 0);
  return {
    accuracy: round(truth.length ? correct / truth.length : 0),
    macroF1: round(labelsWithSupport ? f1Sum / labelsWithSupport : 0),
    labels: all,
    perLabel,
    confusion,
    n: truth.length,
  };
}
