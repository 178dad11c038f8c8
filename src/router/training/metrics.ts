/** Classification metrics: accuracy, macro-F1, per-label precision/recall/F1/support, confusion matrix and its largest cells, triage trade-off. */

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

/** One off-diagonal cell of the confusion matrix: `count` rows of `truth` predicted as `predicted`. */
export interface Confusion {
  truth: string;
  predicted: string;
  count: number;
  /** Share of `truth`'s rows that went to `predicted`. */
  share: number;
}

/** The `top` largest confusions (most rows first; ties by label names). */
export function topConfusions(e: Evaluation, top = 10): Confusion[] {
  const out: Confusion[] = [];
  e.confusion.forEach((row, i) => {
    const support = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => {
      if (i !== j && count)
        out.push({ truth: e.labels[i], predicted: e.labels[j], count, share: round(count / support) });
    });
  });
  return out
    .sort(
      (a, b) =>
        b.count - a.count || (a.truth < b.truth ? -1 : a.truth > b.truth ? 1 : a.predicted < b.predicted ? -1 : 1),
    )
    .slice(0, top);
}

/** At one `min_confidence`: how many rows the model routes, how many go to triage, and how right the routed ones are. */
export interface ThresholdRow {
  minConfidence: number;
  routed: number;
  triageRate: number;
  /** Accuracy of the routed rows (1 when none is routed). */
  accuracy: number;
}

/** The triage trade-off at each threshold: rows below it go to triage. */
export function thresholdTable(confidence: number[], correct: boolean[], thresholds: number[]): ThresholdRow[] {
  return thresholds.map((t) => {
    let routed = 0;
    let right = 0;
    confidence.forEach((c, i) => {
      if (c < t) return;
      routed++;
      if (correct[i]) right++;
    });
    const n = confidence.length;
    return {
      minConfidence: t,
      routed,
      triageRate: round(n ? (n - routed) / n : 0),
      accuracy: round(routed ? right / routed : 1),
    };
  });
}
