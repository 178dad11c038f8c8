/**
 * Scores a model on labelled rows as they come from a real export: labels the model never saw count as errors and are
 * listed with their counts (the caller warns), never a reason to refuse the file.
 */
import type { Model } from '../../../dialogs/classifier/model.ts';
import { expectedCalibrationError } from './calibrate.ts';
import {
  evaluate,
  thresholdTable,
  topConfusions,
  type Confusion,
  type Evaluation,
  type ThresholdRow,
} from './metrics.ts';

/** The thresholds the triage table shows. */
export const REPORT_THRESHOLDS = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Everything `router eval` reports. */
export interface EvalReport extends Evaluation {
  /** Labels in the data the model was not trained on, with their row counts (each such row is an error). */
  unseenLabels: Record<string, number>;
  /** Accuracy and macro-F1 over the rows whose label the model knows. */
  knownLabels: { n: number; accuracy: number; macroF1: number };
  /** Expected calibration error of the model's confidence (0 is perfect). */
  ece: number;
  topConfusions: Confusion[];
  /** Accuracy of the routed rows and triage rate at each `min_confidence`. */
  thresholds: ThresholdRow[];
}

/** Predicts every text (with its sentence vector, when given) and scores it against `labels`. */
export function evaluateModel(
  model: Model,
  texts: readonly string[],
  labels: readonly string[],
  thresholds: number[] = REPORT_THRESHOLDS,
  sentences?: readonly ArrayLike<number>[],
): EvalReport {
  const predictions = texts.map((t, i) => model.predict(t, sentences?.[i]));
  const predicted = predictions.map((p) => p.label);
  const known = new Set(model.labels);
  const unseenLabels: Record<string, number> = {};
  for (const l of labels) if (!known.has(l)) unseenLabels[l] = (unseenLabels[l] ?? 0) + 1;
  const e = evaluate([...labels], predicted, [...model.labels, ...Object.keys(unseenLabels).sort()]);
  const knownIdx = labels.map((_, i) => i).filter((i) => known.has(labels[i]));
  const k = evaluate(
    knownIdx.map((i) => labels[i]),
    knownIdx.map((i) => predicted[i]),
    model.labels,
  );
  const confidence = predictions.map((p) => p.confidence);
  const correct = predicted.map((p, i) => p === labels[i]);
  return {
    ...e,
    unseenLabels,
    knownLabels: { n: k.n, accuracy: k.accuracy, macroF1: k.macroF1 },
    ece: expectedCalibrationError(confidence, correct),
    topConfusions: topConfusions(e),
    thresholds: thresholdTable(confidence, correct, thresholds),
  };
}

/** The report for people: summary, warnings, triage table, top confusions, per-label figures. */
export function reportTable(r: EvalReport, skipped = 0): string {
  const lines = [
    `accuracy ${r.accuracy.toFixed(4)}  macro-F1 ${r.macroF1.toFixed(4)}  ECE ${r.ece.toFixed(4)}  (n=${r.n}${skipped ? `, ${skipped} row(s) with an empty text or label skipped` : ''})`,
  ];
  const unseen = Object.entries(r.unseenLabels);
  if (unseen.length)
    lines.push(
      `warning: ${unseen.reduce((a, [, c]) => a + c, 0)} row(s) carry labels the model was not trained on, counted as errors: ${unseen.map(([l, c]) => `"${l}" (${c})`).join(', ')}`,
      `  on the ${r.knownLabels.n} rows with known labels: accuracy ${r.knownLabels.accuracy.toFixed(4)}  macro-F1 ${r.knownLabels.macroF1.toFixed(4)}`,
    );
  lines.push('min_confidence  routed  triage  accuracy of routed');
  for (const t of r.thresholds)
    lines.push(
      `  ${t.minConfidence.toFixed(2)}          ${String(t.routed).padStart(6)}  ${(t.triageRate * 100).toFixed(1).padStart(5)}%  ${t.accuracy.toFixed(4)}`,
    );
  if (r.topConfusions.length) lines.push('most confused (truth → predicted: rows, share of truth)');
  for (const c of r.topConfusions)
    lines.push(`  ${c.truth} → ${c.predicted}: ${c.count} (${(c.share * 100).toFixed(1)}%)`);
  const w = Math.max(5, ...r.labels.map((l) => l.length));
  lines.push(`  ${'label'.padEnd(w)}  precision  recall  f1      support`);
  for (const l of r.labels) {
    const m = r.perLabel[l];
    lines.push(
      `  ${l.padEnd(w)}  ${m.precision.toFixed(4)}     ${m.recall.toFixed(4)}  ${m.f1.toFixed(4)}  ${m.support}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
