/** Scoring out-of-fold class scores: how training compares candidate models and blends. */
import { expectedCalibrationError, probabilities } from './calibrate.ts';
import { evaluate } from './metrics.ts';

/** Macro-F1, accuracy and calibration of held-out scores at temperature `t`. */
export function judge(scored: Float64Array[], y: number[], t: number): Judged {
  const predicted: string[] = [];
  const before: number[] = [];
  const after: number[] = [];
  const correct: boolean[] = [];
  scored.forEach((s, n) => {
    const p = probabilities(s, t);
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
    predicted.push(String(best));
    after.push(p[best]);
    before.push(probabilities(s, 1)[best]);
    correct.push(best === y[n]);
  });
  const e = evaluate(
    y.map((k) => String(k)),
    predicted,
  );
  const ece = expectedCalibrationError(after, correct);
  return { accuracy: e.accuracy, macroF1: e.macroF1, ece, eceBefore: expectedCalibrationError(before, correct) };
}

/** What {@link judge} reports; `eceBefore` is at temperature 1. */
export interface Judged {
  accuracy: number;
  macroF1: number;
  ece: number;
  eceBefore: number;
}
