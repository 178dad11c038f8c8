/** Mixing the word model's probabilities with the sentence-encoder head's, as the router model's blend weight says. */

/** Log-softmax of `s / t`. */
export function logProbabilities(s: ArrayLike<number>, t: number): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < s.length; k++) max = Math.max(max, s[k] / t);
  let sum = 0;
  for (let k = 0; k < s.length; k++) sum += Math.exp(s[k] / t - max);
  const log = max + Math.log(sum);
  return Float64Array.from({ length: s.length }, (_, k) => s[k] / t - log);
}

/** The blended scores: (1 − w)·log p(word model) + w·log p(encoder head), each at its own temperature. */
export function blendScores(
  base: ArrayLike<number>,
  baseT: number,
  head: ArrayLike<number>,
  headT: number,
  w: number,
): Float64Array {
  const a = logProbabilities(base, baseT);
  if (w === 0) return a;
  const b = logProbabilities(head, headT);
  for (let k = 0; k < a.length; k++) a[k] = (1 - w) * a[k] + w * b[k];
  return a;
}
