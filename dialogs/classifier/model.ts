/**
 * Applying the router model: linear class scores over TF-IDF features, divided by a fitted temperature and turned into
 * probabilities by softmax; and its versioned file format. Every model training can choose (softmax regression, linear
 * SVM, complement naive Bayes, their ensemble) is stored as such one linear layer, so routing is the same for all.
 */
import { z } from 'zod';
import { blendScores } from './blend.ts';
import { rawFeatures, vectorise, type FeatureOptions, type Sparse } from './features.ts';

/** Format name and version written into every model file. */
export const MODEL_FORMAT = 'redress-router-model';
export const MODEL_VERSION = 2;

const candidateScores = z.object({ accuracy: z.number(), macroF1: z.number(), ece: z.number().optional() });

/** The model file: plain JSON; weights are little-endian float32 in base64. */
export const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  // Version 1 files (no temperature, no Chinese words) still load: they are version 2 with the defaults below.
  version: z.union([z.literal(1), z.literal(MODEL_VERSION)]),
  createdAt: z.string(),
  /** Which model training chose (softmax, svm, cnb or ensemble); informational. */
  kind: z.string().default('softmax'),
  /** Scores are divided by this before softmax (temperature scaling, fitted on held-out rows of the training part). */
  temperature: z.number().positive().default(1),
  featureOptions: z.object({ zhWords: z.boolean().optional() }).default({}),
  labels: z.array(z.string()).min(2),
  vocabulary: z.array(z.string()),
  idf: z.array(z.number()),
  /** vocabulary.length × labels.length weights, feature-major. */
  weights: z.string(),
  bias: z.array(z.number()),
  /**
   * A softmax head over sentence vectors (src/router/encoder.ts), blended with the linear layer when the caller has the
   * text's vector: (1 − weight)·log p(words) + weight·log p(head), divided by `temperature`. Without a vector the
   * linear layer routes alone, as a model without this section does.
   */
  encoder: z
    .object({
      name: z.string(),
      dims: z.number().int().positive(),
      /** Vectors are multiplied by this before the head. */
      scale: z.number().positive(),
      /** dims × labels.length weights, dimension-major, float32 base64 like `weights`. */
      weights: z.string(),
      bias: z.array(z.number()),
      weight: z.number().gt(0).lt(1),
      headTemperature: z.number().positive(),
      temperature: z.number().positive(),
    })
    .optional(),
  training: z.object({
    rows: z.number(),
    counts: z.record(z.string(), z.number()),
    seed: z.number(),
    epochs: z.number(),
    crossValidation: z.object({ folds: z.number(), accuracy: z.number(), macroF1: z.number() }).nullable(),
    /** Cross-validated scores of every candidate model, on the training part only. */
    selection: z.record(z.string(), candidateScores).optional(),
    /** Expected calibration error on the held-out (out-of-fold) rows before and after temperature scaling. */
    calibration: z.object({ rows: z.number(), eceBefore: z.number(), eceAfter: z.number() }).optional(),
    /** Cross-validated macro-F1 with and without Chinese word features, when training compared them. */
    zhWords: z.object({ with: z.number(), without: z.number() }).optional(),
    /** Renamed labels merged before training (old → new); eval applies the same map. */
    labelMap: z.record(z.string(), z.string()).optional(),
    /** Cross-validated macro-F1 of each blend weight of the sentence encoder, when training compared them. */
    encoder: z.object({ name: z.string(), macroF1ByWeight: z.record(z.string(), z.number()) }).optional(),
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
  private readonly featureOptions: FeatureOptions;
  private readonly head?: { W: Float32Array; b: Float32Array };
  constructor(readonly file: ModelFile) {
    this.labels = file.labels;
    this.vocab = new Map(file.vocabulary.map((f, i) => [f, i]));
    this.idf = Float32Array.from(file.idf);
    this.weights = floats(file.weights);
    if (this.weights.length !== file.vocabulary.length * file.labels.length)
      throw new Error('model weights do not match vocabulary × labels');
    this.bias = Float32Array.from(file.bias);
    this.featureOptions = file.featureOptions;
    const e = file.encoder;
    if (e) {
      const W = floats(e.weights);
      if (W.length !== e.dims * file.labels.length || e.bias.length !== file.labels.length)
        throw new Error('encoder weights do not match dimensions × labels');
      this.head = { W, b: Float32Array.from(e.bias) };
    }
  }

  /** The sentence encoder this model blends with, when it has one (its vectors are worth computing). */
  get encoder(): string | undefined {
    return this.file.encoder?.name;
  }

  /** Features of `text` in this model's vocabulary. */
  vector(text: string): Sparse {
    return vectorise(rawFeatures(text, this.featureOptions), this.vocab, this.idf);
  }

  /** The most probable label of `text`; `sentence` is its sentence vector, when the model has an encoder head. */
  predict(text: string, sentence?: ArrayLike<number>): Prediction {
    const x = this.vector(text);
    const p = softmax(this.blended(scores(x, this.weights, this.bias, this.labels.length), sentence));
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

  /** Word scores at the model's temperature, or blended with the encoder head's when there is a usable vector. */
  private blended(s: Float64Array, sentence?: ArrayLike<number>): Float64Array {
    const e = this.file.encoder;
    if (!e || !this.head || !sentence || sentence.length !== e.dims) {
      for (let k = 0; k < s.length; k++) s[k] /= this.file.temperature;
      return s;
    }
    const K = this.labels.length;
    const h = Float64Array.from(this.head.b);
    for (let d = 0; d < e.dims; d++) {
      const v = sentence[d] * e.scale;
      if (!Number.isFinite(v)) continue;
      for (let k = 0; k < K; k++) h[k] += v * this.head.W[d * K + k];
    }
    const out = blendScores(s, this.file.temperature, h, e.headTemperature, e.weight);
    for (let k = 0; k < K; k++) out[k] /= e.temperature;
    return out;
  }
}

/** Float32 weights from their base64 form (a view on the decoded bytes: no copy). */
function floats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  // Buffer.from may hand back a slice of its shared pool at an odd offset: a Float32Array needs a multiple of 4.
  if (bytes.byteOffset % 4) return new Float32Array(new Uint8Array(bytes).buffer);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
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
