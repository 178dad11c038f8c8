/** Complement naive Bayes (Rennie et al. 2003) on TF-IDF vectors, as a linear model: strong on short texts and small classes. */
import type { Sparse } from '../../../dialogs/classifier/features.ts';
import type { Linear } from './fit-linear.ts';

/**
 * Fits on the rows `rows` of `X`: each class is scored by how unlike the other classes' text a message is,
 * w[j][c] = −log P(feature j | not c), smoothed by `alpha`. Each feature's weights are centred across classes (the
 * ranking is unchanged) so the largest weights are the features that set a class apart.
 */
export function fitCnb(X: Sparse[], y: Int32Array, rows: number[], K: number, features: number, alpha = 0.3): Linear {
  const perClass = new Float64Array(features * K);
  const total = new Float64Array(features);
  for (const i of rows) {
    const x = X[i];
    for (let n = 0; n < x.idx.length; n++) {
      perClass[x.idx[n] * K + y[i]] += x.val[n];
      total[x.idx[n]] += x.val[n];
    }
  }
  const classMass = new Float64Array(K);
  for (let j = 0; j < features; j++) for (let k = 0; k < K; k++) classMass[k] += perClass[j * K + k];
  const all = classMass.reduce((a, v) => a + v, 0);
  const W = new Float32Array(features * K);
  for (let j = 0; j < features; j++) {
    let mean = 0;
    for (let k = 0; k < K; k++) {
      const complement = total[j] - perClass[j * K + k];
      const w = -Math.log((alpha + complement) / (alpha * features + all - classMass[k]));
      W[j * K + k] = w;
      mean += w / K;
    }
    for (let k = 0; k < K; k++) W[j * K + k] -= mean;
  }
  return { W, b: new Float32Array(K) };
}
