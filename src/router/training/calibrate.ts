/**
 * Calibration by temperature scaling (Guo et al. 2017): one number T divides every class score before softmax, fitted
 * to minimise the log loss on rows the model did not train on. Chosen over Platt scaling and isotonic regression: one
 * parameter needs few held-out rows (small classes are common here), it works for any number of classes at once, and it
 * never changes which label wins, so calibrating cannot cost accuracy or macro-F1.
 */

/** Class probabilities of `s` at temperature `t` (numerically stable softmax). */
export function probabilities(s: ArrayLike<number>, t: number): Float64Array {
  const p = Float64Array.from(s, (v) => v / t);
  let max = -Infinity;
  for (const v of p) max = Math.max(max, v);
  let sum = 0;
  for (let k = 0; k < p.length; k++) sum += p[k] = Math.exp(p[k] - max);
  for (let k = 0; k < p.length; k++) p[k] /= sum;
  return p;
}

/** Mean negative log-likelihood of the true classes `y` at temperature `t`. */
function logLoss(scores: ArrayLike<number>[], y: ArrayLike<number>, t: number): number {
  let sum = 0;
  scores.forEach((s, i) => (sum -= Math.log(Math.max(probabilities(s, t)[y[i]], 1e-12))));
  return sum / Math.max(scores.length, 1);
}

/** The temperature that minimises the log loss of held-out `scores` (golden-section search on log T over [e⁻⁵, e⁵]). */
export function fitTemperature(scores: ArrayLike<number>[], y: ArrayLike<number>): number {
  if (!scores.length) return 1;
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = -5;
  let b = 5;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = logLoss(scores, y, Math.exp(c));
  let fd = logLoss(scores, y, Math.exp(d));
  for (let i = 0; i < 40; i++) {
    if (fc < fd) ((b = d), (d = c), (fd = fc), (c = b - phi * (b - a)), (fc = logLoss(scores, y, Math.exp(c))));
    else ((a = c), (c = d), (fc = fd), (d = a + phi * (b - a)), (fd = logLoss(scores, y, Math.exp(d))));
  }
  return Math.round(Math.exp((a + b) / 2) * 10_000) / 10_000;
}

/**
 * Expected calibration error: rows binned by the confidence of their top label into `bins` equal-width bins; the
 * row-weighted mean gap between each bin's accuracy and its mean confidence. 0 is perfect; 0.05 means confidences are
 * off by 5 points on average.
 */
export function expectedCalibrationError(confidence: number[], correct: boolean[], bins = 10): number {
  const n = confidence.length;
  if (!n) return 0;
  const conf = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const size = new Float64Array(bins);
  confidence.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins));
    conf[b] += c;
    hits[b] += correct[i] ? 1 : 0;
    size[b]++;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) if (size[b]) ece += Math.abs(hits[b] - conf[b]) / n;
  return Math.round(ece * 10_000) / 10_000;
}
