/** Linear models fitted by seeded SGD on TF-IDF vectors: softmax regression (log loss) and a multiclass linear SVM (hinge). */
import type { Sparse } from '../../../dialogs/classifier/features.ts';
import { scores, softmax } from '../../../dialogs/classifier/model.ts';
import { seeded, shuffled } from '../../../dialogs/classifier/random.ts';

/** Weights (features × classes, feature-major) and biases of a linear model. */
export interface Linear {
  W: Float32Array;
  b: Float32Array;
}

/** SGD settings. */
export interface SgdOptions {
  seed: number;
  epochs: number;
  l2: number;
  learningRate: number;
  loss: 'log' | 'hinge';
  /** Return the mean of the weights at the end of each epoch of the second half (averaged SGD: less noise, better fits). */
  average: boolean;
}

/** Per-class weights n / (K × n_class), so a small class counts as much as a large one (macro-F1 cares about it). */
export function balancedWeights(y: Int32Array, K: number): Float64Array {
  const counts = new Float64Array(K);
  for (const c of y) counts[c]++;
  return counts.map((c) => (c ? y.length / (K * c) : 0));
}

/** Fits a linear model on the rows `rows` of `X` (labels `y` in 0..K-1), each class weighted by `classWeight`. */
export function fitSgd(
  X: Sparse[],
  y: Int32Array,
  rows: number[],
  K: number,
  features: number,
  classWeight: Float64Array,
  o: SgdOptions,
): Linear {
  const W = new Float32Array(features * K);
  const b = new Float32Array(K);
  const random = seeded(o.seed);
  let t = 0;
  const sumW = new Float64Array(o.average ? W.length : 0);
  const sumB = new Float64Array(K);
  let averaged = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const i of shuffled(rows, random)) {
      const eta = o.learningRate / (1 + o.learningRate * o.l2 * t++);
      const x = X[i];
      const s = scores(x, W, b, K);
      const g = o.loss === 'log' ? softmax(s) : hingeGradient(s, y[i]);
      if (o.loss === 'log') g[y[i]] -= 1;
      // An SVM example outside the margin has no gradient: skip it (its lazy L2 step too), about half the training time.
      else if (g[y[i]] === 0) continue;
      const cw = classWeight[y[i]];
      for (let n = 0; n < x.idx.length; n++) {
        const base = x.idx[n] * K;
        const xv = x.val[n];
        // L2 is applied lazily, to the weights this example touches.
        for (let k = 0; k < K; k++) W[base + k] -= eta * (cw * g[k] * xv + o.l2 * W[base + k]);
      }
      for (let k = 0; k < K; k++) b[k] -= eta * cw * g[k];
    }
    if (o.average && epoch >= Math.floor(o.epochs / 2)) {
      for (let j = 0; j < W.length; j++) sumW[j] += W[j];
      for (let k = 0; k < K; k++) sumB[k] += b[k];
      averaged++;
    }
  }
  if (!averaged) return { W, b };
  return { W: Float32Array.from(sumW, (v) => v / averaged), b: Float32Array.from(sumB, (v) => v / averaged) };
}

/** The multiclass hinge loss gradient: push the true class up and the strongest wrong class down, inside the margin. */
function hingeGradient(s: Float64Array, y: number): Float64Array {
  let r = y === 0 ? 1 : 0;
  for (let k = 0; k < s.length; k++) if (k !== y && s[k] > s[r]) r = k;
  const g = new Float64Array(s.length);
  if (s[y] - s[r] < 1) {
    g[y] = -1;
    g[r] = 1;
  }
  return g;
}
