/**
 * The sentence-encoder blend: a softmax regression over sentence vectors (src/router/encoder.ts) whose log-probabilities
 * are mixed with the word model's. Its weight is chosen by the same cross-validation folds that chose the word model,
 * among a few values including 0 (no encoder): the encoder is kept only when it raises macro-F1 on rows neither saw.
 */
import type { Sparse } from '../../../dialogs/classifier/features.ts';
import { scores } from '../../../dialogs/classifier/model.ts';
import { blendScores } from '../../../dialogs/classifier/blend.ts';
import { fitTemperature } from './calibrate.ts';
import type { Judged } from './judge.ts';
import { balancedWeights, fitSgd, type Linear, type SgdOptions } from './fit-linear.ts';

const HAN = /\p{Script=Han}/u;

/** True when more than half the texts have Chinese characters. */
export function mostlyChinese(texts: readonly string[]): boolean {
  return texts.filter((t) => HAN.test(t)).length * 2 > texts.length;
}

// Fewer rows than this tell a blend weight from chance no better than they tell the word models apart: `auto` leaves
// the encoder out (and never loads it) for them.
const MIN_ROWS = 50;

/**
 * Whether training compares the encoder blend: `auto` does for sets of 50 to `selectRows` rows (where a few dozen
 * examples a label leave word models short of meaning, and the vectors take at most about two minutes to compute)
 * whose texts are mostly not Chinese (the encoder reads English).
 */
export function encoderWanted(
  texts: readonly string[],
  setting: 'auto' | boolean,
  o: { folds: number; selectRows: number },
): boolean {
  if (setting !== 'auto') return setting && o.folds >= 2;
  return o.folds >= 2 && texts.length >= MIN_ROWS && texts.length <= o.selectRows && !mostlyChinese(texts);
}

/** Sentence vectors are about unit length: scaled by 3, plain SGD's step sizes fit them (cross-validated 1, 3, 10). */
export const VECTOR_SCALE = 3;
/** How much cross-validated macro-F1 a blend must add to the word model's to be kept. */
export const MIN_GAIN = 0.005;
/** The blend weights compared; 0 is the word model alone. */
export const BLEND_WEIGHTS = [0, 0.25, 0.4, 0.55, 0.7] as const;

/** Sentence vectors as dense rows SGD can take. */
export function vectorRows(vectors: readonly ArrayLike<number>[]): Sparse[] {
  return vectors.map((v) => {
    const idx = new Int32Array(v.length);
    const val = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      idx[i] = i;
      val[i] = v[i] * VECTOR_SCALE;
    }
    return { idx, val };
  });
}

/** Fits the encoder's softmax head on `rows`. */
export function fitHead(X: Sparse[], y: Int32Array, rows: number[], K: number, o: Omit<SgdOptions, 'loss'>): Linear {
  const sub = Int32Array.from(rows, (i) => y[i]);
  return fitSgd(X, y, rows, K, X[0].idx.length, balancedWeights(sub, K), { ...o, loss: 'log' });
}

/** What the cross-validation found for each weight, and the head's out-of-fold temperature. */
export interface BlendChoice {
  weight: number;
  headTemperature: number;
  /** Temperature of the blended scores (1 when the weight is 0: the word model's own temperature stands). */
  temperature: number;
  macroF1ByWeight: Record<string, number>;
  /** The chosen weight's out-of-fold scores, as `judge` gave them. */
  judged: Judged;
}

/**
 * Chooses the blend weight on out-of-fold scores. `base` holds the word model's out-of-fold scores in the order of
 * `order` (row numbers), `folds` the rows of each fold; `judge` scores blended out-of-fold scores by macro-F1.
 */
export function chooseBlend(a: {
  base: Float64Array[];
  baseT: number;
  order: number[];
  folds: number[][];
  X: Sparse[];
  y: Int32Array;
  K: number;
  sgd: Omit<SgdOptions, 'loss'>;
  judge: (scored: Float64Array[], y: number[], t: number) => Judged;
}): BlendChoice {
  const head = new Map<number, Float64Array>();
  const all = new Set(a.order);
  for (const test of a.folds) {
    const inTest = new Set(test);
    const m = fitHead(
      a.X,
      a.y,
      [...all].filter((i) => !inTest.has(i)),
      a.K,
      a.sgd,
    );
    for (const i of test) head.set(i, scores(a.X[i], m.W, m.b, a.K));
  }
  const headScores = a.order.map((i) => head.get(i)!);
  const y = a.order.map((i) => a.y[i]);
  const headTemperature = fitTemperature(headScores, y);
  const macroF1ByWeight: Record<string, number> = {};
  let best: { weight: number; temperature: number; judged?: Judged } = { weight: 0, temperature: 1 };
  for (const w of BLEND_WEIGHTS) {
    const blended = a.base.map((s, n) => blendScores(s, a.baseT, headScores[n], headTemperature, w));
    const t = w === 0 ? 1 : fitTemperature(blended, y);
    const judged = a.judge(blended, y, t);
    macroF1ByWeight[String(w)] = Math.round(judged.macroF1 * 1e4) / 1e4;
    // A blend must beat the word model alone by MIN_GAIN (vectors cost about 10 ms a message, and on a small set a
    // head over vectors that mean nothing can edge ahead by chance); among blends a tie keeps the smaller weight.
    const margin = best.judged && best.weight === 0 ? MIN_GAIN : 0;
    if (!best.judged || judged.macroF1 > best.judged.macroF1 + margin) best = { weight: w, temperature: t, judged };
  }
  return { weight: best.weight, headTemperature, temperature: best.temperature, macroF1ByWeight, judged: best.judged! };
}

/** The encoder blend judged on the chosen word model's out-of-fold scores, and (when kept) its head fitted on every row. */
export function encoderBlend(a: {
  vectors: readonly ArrayLike<number>[];
  y: Int32Array;
  K: number;
  oof: { scored: Float64Array[]; order: number[]; folds: number[][] };
  baseT: number;
  judge: (scored: Float64Array[], y: number[], t: number) => Judged;
  seed: number;
  epochs?: number;
  l2: number;
  learningRate: number;
  average: boolean;
}): { choice: BlendChoice; head?: Linear; dims: number } {
  if (a.vectors.length !== a.y.length) throw new Error(`${a.vectors.length} sentence vectors for ${a.y.length} rows`);
  const X = vectorRows(a.vectors);
  const sgd = { seed: a.seed, epochs: a.epochs ?? 12, l2: a.l2, learningRate: a.learningRate, average: a.average };
  const choice = chooseBlend({ ...a.oof, base: a.oof.scored, baseT: a.baseT, X, y: a.y, K: a.K, sgd, judge: a.judge });
  const everyRow = Array.from(a.y, (_, i) => i);
  const head = choice.weight > 0 ? fitHead(X, a.y, everyRow, a.K, sgd) : undefined;
  return { choice, head, dims: X[0].idx.length };
}

/** The model file's `encoder` section for a kept blend. */
export function encoderSection(name: string, b: { choice: BlendChoice; head: Linear; dims: number }) {
  const W = b.head.W;
  return {
    name,
    dims: b.dims,
    scale: VECTOR_SCALE,
    weights: Buffer.from(W.buffer, W.byteOffset, W.byteLength).toString('base64'),
    bias: Array.from(b.head.b),
    weight: b.choice.weight,
    headTemperature: b.choice.headTemperature,
    temperature: b.choice.temperature,
  };
}
