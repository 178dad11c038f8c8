/** Trains the router model: vocabulary and IDF from the training rows, then softmax regression by seeded SGD. */
import { rawFeatures, vectorise, type Sparse } from './features.ts';
import { evaluate } from './metrics.ts';
import { MODEL_FORMAT, MODEL_VERSION, Model, scores, softmax, type ModelFile } from './model.ts';
import { seeded, shuffled, stratifiedFolds } from './random.ts';

/** Training settings; the defaults were chosen on the training parts of the shared data sets only. */
export interface TrainOptions {
  seed: number;
  epochs: number;
  /** A feature must occur in at least this many training rows (1 for tiny sets). */
  minDf: number;
  maxFeatures: number;
  l2: number;
  learningRate: number;
  /** Weigh each class by n / (K × n_class) so small classes count (macro-F1 cares about them). */
  balanced: boolean;
  /** Folds of the cross-validated estimate (0 for none). */
  folds: number;
  /** log: softmax regression (probabilities for the triage threshold); hinge: multiclass linear SVM (Crammer–Singer). */
  loss: 'log' | 'hinge';
  /** When given, only these features may enter the vocabulary (a pruned model: keep the features a first fit found useful). */
  features?: ReadonlySet<string>;
}

/** Defaults for {@link TrainOptions}. */
export const defaultTrainOptions: TrainOptions = {
  seed: 42,
  epochs: 12,
  minDf: 2,
  maxFeatures: 200_000,
  l2: 1e-5,
  learningRate: 0.5,
  balanced: true,
  folds: 5,
  loss: 'log',
};

type Raw = Map<string, number>;

/** Vocabulary (most frequent first, ties by name so it is deterministic) and smoothed IDF. */
function vocabulary(raws: Raw[], o: TrainOptions): { list: string[]; map: Map<string, number>; idf: Float32Array } {
  const df = new Map<string, number>();
  for (const r of raws) for (const f of r.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const minDf = raws.length < 50 ? 1 : o.minDf;
  const list = [...df.entries()]
    .filter(([f, n]) => n >= minDf && (!o.features || o.features.has(f)))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.maxFeatures)
    .map(([f]) => f);
  const n = raws.length;
  const idf = Float32Array.from(list, (f) => Math.log((1 + n) / (1 + df.get(f)!)) + 1);
  return { list, map: new Map(list.map((f, i) => [f, i])), idf };
}

/** Fits a model on pre-featurised rows. */
function fit(
  raws: Raw[],
  labels: string[],
  o: TrainOptions,
): Omit<ModelFile, 'training'> & { training: Omit<ModelFile['training'], 'crossValidation'> } {
  const classes = [...new Set(labels)].sort();
  const K = classes.length;
  const y = labels.map((l) => classes.indexOf(l));
  const v = vocabulary(raws, o);
  const X: Sparse[] = raws.map((r) => vectorise(r, v.map, v.idf));
  const W = new Float32Array(v.list.length * K);
  const b = new Float32Array(K);
  const counts = classes.map((_, k) => y.filter((c) => c === k).length);
  const classWeight = counts.map((c) => (o.balanced ? labels.length / (K * c) : 1));
  const random = seeded(o.seed);
  let t = 0;
  const order = labels.map((_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const i of shuffled(order, random)) {
      const eta = o.learningRate / (1 + o.learningRate * o.l2 * t++);
      const x = X[i];
      const p = o.loss === 'log' ? softmax(scores(x, W, b, K)) : hingeGradient(scores(x, W, b, K), y[i]);
      if (o.loss === 'log') p[y[i]] -= 1;
      const cw = classWeight[y[i]];
      for (let n = 0; n < x.idx.length; n++) {
        const base = x.idx[n] * K;
        const xv = x.val[n];
        // L2 is applied lazily, to the weights this example touches.
        for (let k = 0; k < K; k++) W[base + k] -= eta * (cw * p[k] * xv + o.l2 * W[base + k]);
      }
      for (let k = 0; k < K; k++) b[k] -= eta * cw * p[k];
    }
  }
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdAt: new Date().toISOString(),
    labels: classes,
    vocabulary: v.list,
    idf: Array.from(v.idf, (x) => Math.round(x * 1e5) / 1e5),
    weights: Buffer.from(W.buffer, W.byteOffset, W.byteLength).toString('base64'),
    bias: Array.from(b),
    training: {
      rows: labels.length,
      counts: Object.fromEntries(classes.map((c, k) => [c, counts[k]])),
      seed: o.seed,
      epochs: o.epochs,
    },
  };
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

/** Trains on all rows, after a stratified k-fold cross-validated estimate on the same rows. */
export function train(texts: string[], labels: string[], options: Partial<TrainOptions> = {}): ModelFile {
  const o = { ...defaultTrainOptions, ...options };
  const raws = texts.map(rawFeatures);
  let crossValidation: ModelFile['training']['crossValidation'] = null;
  const smallest = Math.min(...[...new Set(labels)].map((l) => labels.filter((x) => x === l).length));
  const folds = Math.min(o.folds, smallest);
  if (folds >= 2) {
    const truth: string[] = [];
    const predicted: string[] = [];
    for (const test of stratifiedFolds(labels, folds, o.seed)) {
      const inTest = new Set(test);
      const trainIdx = labels.map((_, i) => i).filter((i) => !inTest.has(i));
      const m = new Model({
        ...fit(
          trainIdx.map((i) => raws[i]),
          trainIdx.map((i) => labels[i]),
          o,
        ),
        training: { rows: 0, counts: {}, seed: o.seed, epochs: o.epochs, crossValidation: null },
      });
      for (const i of test) {
        truth.push(labels[i]);
        predicted.push(m.predict(texts[i]).label);
      }
    }
    const e = evaluate(truth, predicted);
    crossValidation = { folds, accuracy: e.accuracy, macroF1: e.macroF1 };
  }
  const f = fit(raws, labels, o);
  return { ...f, training: { ...f.training, crossValidation } };
}
