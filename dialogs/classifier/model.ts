/** The router model: a softmax (multinomial logistic regression) over TF-IDF features, and its versioned file format. */
import { z } from 'zod';
import { rawFeatures, vectorise, type Sparse } from './features.ts';

/** Format name and version written into every model file. */
export const MODEL_FORMAT = 'redress-router-model';
export const MODEL_VERSION = 1;

/** The model file: plain JSON; weights are little-endian float32 in base64. */
export const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  createdAt: z.string(),
  labels: z.array(z.string()).min(2),
  vocabulary: z.array(z.string()),
  idf: z.array(z.number()),
  /** vocabulary.length × labels.length weights, feature-major. */
  weights: z.string(),
  bias: z.array(z.number()),
  training: z.object({
    rows: z.number(),
    counts: z.record(z.string(), z.number()),
    seed: z.number(),
    epochs: z.number(),
    crossValidation: z.object({ folds: z.number(), accuracy: z.number(), macroF1: z.number() }).nullable(),
  }),
});
/** A parsed model file. */
export type ModelFile = z.infer<typeof modelFileSchema>;

/** A prediction with its probability and the features that pushed hardest for it. */
export interface Prediction {
  label: string;
  confidence: number;
  probabilities: Record<string, number>;
  features: string[];
}

/** A loaded model, ready to predict. */
export class Model {
  readonly labels: string[];
  private readonly vocab: Map<string, number>;
  private readonly idf: Float32Array;
  private readonly weights: Float32Array;
  private readonly bias: Float32Array;
  constructor(readonly file: ModelFile) {
    this.labels = file.labels;
    this.vocab = new Map(file.vocabulary.map((f, i) => [f, i]));
    this.idf = Float32Array.from(file.idf);
    const bytes = Buffer.from(file.weights, 'base64');
    this.weights = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    if (this.weights.length !== file.vocabulary.length * file.labels.length)
      throw new Error('model weights do not match vocabulary × labels');
    this.bias = Float32Array.from(file.bias);
  }

  /** Features of `text` in this model's vocabulary. */
  vector(text: string): Sparse {
    return vectorise(rawFeatures(text), this.vocab, this.idf);
  }

  /** The most probable label of `text`. */
  predict(text: string): Prediction {
    const x = this.vector(text);
    const p = softmax(scores(x, this.weights, this.bias, this.labels.length));
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
    const K = this.labels.length;
    const contributions = Array.from(x.idx, (j, n) => ({ j, c: x.val[n] * this.weights[j * K + best] }))
      .filter((e) => e.c > 0)
      .sort((a, b) => b.c - a.c)
      .slice(0, 5);
    return {
      label: this.labels[best],
      confidence: p[best],
      probabilities: Object.fromEntries(this.labels.map((l, k) => [l, Math.round(p[k] * 10_000) / 10_000])),
      features: contributions.map((e) => this.file.vocabulary[e.j]),
    };
  }
}

/** Class scores of one sparse example. */
export function scores(x: Sparse, w: Float32Array, b: Float32Array, K: number): Float64Array {
  const s = Float64Array.from(b);
  for (let n = 0; n < x.idx.length; n++) {
    const base = x.idx[n] * K;
    const v = x.val[n];
    for (let k = 0; k < K; k++) s[k] += v * w[base + k];
  }
  return s;
}

/** Softmax in place (numerically stable). */
export function softmax(s: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of s) max = Math.max(max, v);
  let sum = 0;
  for (let k = 0; k < s.length; k++) sum += s[k] = Math.exp(s[k] - max);
  for (let k = 0; k < s.length; k++) s[k] /= sum;
  return s;
}
