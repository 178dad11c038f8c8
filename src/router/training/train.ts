/**
 * Trains the router model. Features and vocabulary come from the training rows; then candidate models — softmax
 * regression, a linear SVM, complement naive Bayes, and their ensemble — are compared by stratified cross-validation on
 * the training rows only, the best by macro-F1 is refitted on all of them, and its temperature is fitted on the
 * cross-validation's out-of-fold scores (rows each fold's model never saw), so its confidence means what it says.
 */
import { rawFeatures, type Sparse } from '../../../dialogs/classifier/features.ts';
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile } from '../../../dialogs/classifier/model.ts';
import { scores } from '../../../dialogs/classifier/model.ts';
import { stratifiedFolds, stratifiedSplit } from '../../../dialogs/classifier/random.ts';
import { fitTemperature } from './calibrate.ts';
import { fitCnb } from './fit-cnb.ts';
import { balancedWeights, fitSgd, type Linear } from './fit-linear.ts';
import { foldTies, lemmaTies, withTies, type Ties } from './lemma-tie.ts';
import { encoderBlend, encoderSection, mostlyChinese } from './encoder-blend.ts';
import { judge } from './judge.ts';
import { vectoriseAll, vocabulary } from './vocabulary.ts';

/** The model kinds training can choose from. */
export const CANDIDATES = ['softmax', 'svm', 'cnb', 'ensemble'] as const;
/** One model kind. */
export type Candidate = (typeof CANDIDATES)[number];
type Base = Exclude<Candidate, 'ensemble'>;
const BASES: Base[] = ['softmax', 'svm', 'cnb'];

/** Training settings; the defaults were chosen by cross-validation on the training parts of the shared data sets only. */
export interface TrainOptions {
  seed: number;
  /** SGD passes over the data; by default 12, fewer from 34,000 rows up (large sets converge in fewer passes). */
  epochs?: number;
  /** A feature must occur in at least this many training rows (1 for tiny sets). */
  minDf: number;
  maxFeatures: number;
  l2: number;
  learningRate: number;
  /** Weigh each class by n / (K × n_class) so small classes count (macro-F1 cares about them). */
  balanced: boolean;
  /** Folds of the cross-validation that picks the model and fits the temperature (0 or 1: first candidate, T = 1). */
  folds: number;
  /** The kinds to compare, in order of preference on a tie. */
  candidates: readonly Candidate[];
  /** Cross-validation runs on a stratified sample of at most this many rows (the final fit uses every row). */
  selectRows: number;
  /** Averaged SGD for softmax and SVM (see fit-linear.ts). */
  average: boolean;
  /** Complement naive Bayes smoothing. */
  cnbAlpha: number;
  /** Chinese word features (jieba); `auto`: when any training text has Chinese characters. */
  zhWords: boolean | 'auto';
  /** English lemmas as tied word features (lemma-tie.ts); `auto`: cross-validated against none on sets of at most
   * `selectRows` rows whose texts are mostly not Chinese. */
  lemmas: boolean | 'auto';
  /** When given, only these features may enter the vocabulary (a pruned model: keep the features a first fit found useful). */
  features?: ReadonlySet<string>;
  /** Renamed labels already merged into `labels`, recorded in the model file for eval. */
  labelMap?: Record<string, string>;
  /**
   * Sentence vectors of the training texts, in order, and the encoder that made them: a head over them is blended
   * with the word model when cross-validation says it helps (encoder-blend.ts).
   */
  sentences?: { encoder: string; vectors: readonly ArrayLike<number>[] };
}

/** Defaults for {@link TrainOptions}. */
export const defaultTrainOptions: TrainOptions = {
  seed: 42,
  minDf: 2,
  maxFeatures: 200_000,
  l2: 1e-5,
  learningRate: 0.5,
  balanced: true,
  folds: 5,
  candidates: CANDIDATES,
  selectRows: 12_000,
  cnbAlpha: 0.3,
  average: true,
  zhWords: 'auto',
  lemmas: 'auto',
};

const HAN = /\p{Script=Han}/u;

interface Data {
  X: Sparse[];
  y: Int32Array;
  K: number;
  /** Columns of X: the vocabulary, then any tied lemma features. */
  features: number;
  ties?: Ties;
}

/** Fits one base kind on `rows`. */
function fitBase(kind: Base, d: Data, rows: number[], o: TrainOptions): Linear {
  if (kind === 'cnb') return fitCnb(d.X, d.y, rows, d.K, d.features, o.cnbAlpha);
  const sub = Int32Array.from(rows, (i) => d.y[i]);
  const classWeight = o.balanced ? balancedWeights(sub, d.K) : new Float64Array(d.K).fill(1);
  const epochs = o.epochs ?? Math.max(4, Math.min(12, Math.ceil(400_000 / rows.length)));
  const loss = kind === 'softmax' ? 'log' : 'hinge';
  return fitSgd(d.X, d.y, rows, d.K, d.features, classWeight, { ...o, epochs, loss });
}

/** The ensemble's scores: the mean of its members' scores, each divided by its own temperature (a probability scale). */
function ensembleScores(base: Map<Base, Float64Array>, t: Map<Base, number>, members: Base[]): Float64Array {
  const first = base.get(members[0])!;
  const out = new Float64Array(first.length);
  for (const b of members) for (let k = 0; k < out.length; k++) out[k] += base.get(b)![k] / t.get(b)! / members.length;
  return out;
}

/** Every subset of two or more of `bases` (the ensembles worth trying). */
const subsets = (bases: Base[]): Base[][] =>
  bases.reduce<Base[][]>((acc, b) => [...acc, ...acc.map((x) => [...x, b])], [[]]).filter((x) => x.length >= 2);

/** Cross-validated scores, temperatures and the chosen kind. */
function select(d: Data, rows: number[], labels: string[], o: TrainOptions) {
  const classes = [...new Set(rows.map((i) => labels[i]))];
  const smallest = Math.min(...classes.map((c) => rows.filter((i) => labels[i] === c).length));
  // A sampled large set has plenty of rows per fold: 3 folds estimate as well as 5, at half the cost.
  const folds = Math.min(rows.length < labels.length ? Math.min(o.folds, 3) : o.folds, smallest);
  if (folds < 2) return undefined;
  const needed = o.candidates.includes('ensemble') ? BASES : BASES.filter((b) => o.candidates.includes(b));
  const oof = new Map<Base, Float64Array[]>(needed.map((b) => [b, []]));
  const order: number[] = [];
  const foldRows: number[][] = [];
  for (const test of stratifiedFolds(
    rows.map((i) => labels[i]),
    folds,
    o.seed,
  )) {
    const inTest = new Set(test);
    const trainRows = rows.filter((_, n) => !inTest.has(n));
    for (const b of needed) {
      const m = fitBase(b, d, trainRows, o);
      for (const n of test) oof.get(b)!.push(scores(d.X[rows[n]], m.W, m.b, d.K));
    }
    order.push(...test.map((n) => rows[n]));
    foldRows.push(test.map((n) => rows[n]));
  }
  const y = order.map((i) => d.y[i]);
  const t = new Map(needed.map((b) => [b, fitTemperature(oof.get(b)!, y)]));
  const judged = new Map<Candidate, ReturnType<typeof judge> & { t: number }>();
  for (const b of needed) judged.set(b, { ...judge(oof.get(b)!, y, t.get(b)!), t: t.get(b)! });
  // The ensemble: whichever combination of two or more kinds scores best (a weak member can only drag it down).
  let members: Base[] = [];
  let ensembleScored: Float64Array[] = [];
  if (o.candidates.includes('ensemble'))
    for (const subset of subsets(needed)) {
      const scored = order.map((_, n) => ensembleScores(new Map(needed.map((b) => [b, oof.get(b)![n]])), t, subset));
      const te = fitTemperature(scored, y);
      const j = { ...judge(scored, y, te), t: te };
      if (!members.length || j.macroF1 > judged.get('ensemble')!.macroF1) {
        members = subset;
        ensembleScored = scored;
        judged.set('ensemble', j);
      }
    }
  // The best macro-F1 wins; a tie goes to the earlier (simpler) candidate.
  const chosen = o.candidates.reduce((a, c) => (judged.get(c)!.macroF1 > judged.get(a)!.macroF1 ? c : a));
  const report = Object.fromEntries(
    o.candidates.map((c) => {
      const j = judged.get(c)!;
      return [
        c === 'ensemble' ? `ensemble(${members.join('+')})` : c,
        { accuracy: j.accuracy, macroF1: j.macroF1, ece: j.ece },
      ];
    }),
  );
  const c = judged.get(chosen)!;
  return {
    folds,
    chosen,
    members,
    report,
    score: { accuracy: c.accuracy, macroF1: c.macroF1 },
    temperature: c.t,
    baseTemperature: t,
    calibration: { rows: order.length, eceBefore: c.eceBefore, eceAfter: c.ece },
    /** The chosen kind's out-of-fold scores (in `order`) and each fold's rows: the encoder blend is judged on them. */
    oof: { scored: chosen === 'ensemble' ? ensembleScored : oof.get(chosen)!, order, folds: foldRows },
  };
}

/** Features, vocabulary and (with folds) the cross-validated choice, for one feature setting. */
function prepare(
  texts: string[],
  labels: string[],
  classes: string[],
  zhWords: boolean,
  lemmas: boolean,
  o: TrainOptions,
) {
  const raws = texts.map((t) => rawFeatures(t, { zhWords }));
  const v = vocabulary(raws, o);
  const at = new Map(classes.map((c, k) => [c, k]));
  const ties = lemmas ? lemmaTies(v.list) : undefined;
  const d: Data = {
    X: ties ? vectoriseAll(raws, v).map((x) => withTies(x, ties)) : vectoriseAll(raws, v),
    y: Int32Array.from(labels, (l) => at.get(l)!),
    K: classes.length,
    features: v.list.length + (ties?.count ?? 0),
    ties,
  };
  // Vocabulary and IDF use no labels, so one vocabulary from every training row serves all folds.
  const sample =
    labels.length > o.selectRows
      ? stratifiedSplit(labels, 1 - o.selectRows / labels.length, o.seed).train
      : labels.map((_, i) => i);
  return { zhWords, lemmas, v, d, s: o.folds >= 2 ? select(d, sample, labels, o) : undefined };
}

/** Trains on all rows; model kind and temperature come from cross-validation on the same (training) rows. */
export function train(texts: string[], labels: string[], options: Partial<TrainOptions> = {}): ModelFile {
  const o: TrainOptions = { ...defaultTrainOptions, ...options };
  const classes = [...new Set(labels)].sort();
  const chinese = texts.some((t) => HAN.test(t));
  // Chinese words are kept only when they earn their place: with `auto`, both settings are cross-validated and words
  // must score higher (a tie keeps the cheaper model, which never loads the segmenter).
  const tries = o.zhWords === 'auto' ? (chinese && o.folds >= 2 ? [false, true] : [false]) : [o.zhWords];
  // Lemmas likewise, where the texts are mostly not Chinese and the set is small enough for the cross-validation to
  // see every row: they share strength between rare inflections, which matters little once every form is common, and
  // comparing them on a large set would more than double its training time (100,000 rows: 74 → 169 s CPU).
  const tryLemmas = !mostlyChinese(texts) && o.folds >= 2 && labels.length <= o.selectRows;
  const lemmaTries = o.lemmas === 'auto' ? (tryLemmas ? [false, true] : [false]) : [o.lemmas];
  const prepared = tries.map((z) => lemmaTries.map((l) => prepare(texts, labels, classes, z, l, o)));
  const flat = prepared.flat();
  const best = flat.reduce((a, p) => (p.s && a.s && p.s.score.macroF1 > a.s.score.macroF1 ? p : a));
  const { zhWords, lemmas, v, d, s } = best;
  const named = (name: string, l: boolean) => (l ? `${name} + lemmas` : name);
  const everyRow = labels.map((_, i) => i);
  const kind: Candidate = s?.chosen ?? o.candidates[0];
  const members = kind === 'ensemble' ? s!.members : [kind];
  const fitted = members.map((b) => ({
    m: d.ties ? foldTies(fitBase(b, d, everyRow, o), d.ties, v.list.length, d.K) : fitBase(b, d, everyRow, o),
    scale: kind === 'ensemble' ? 1 / (s!.baseTemperature.get(b)! * members.length) : 1,
  }));
  const W = new Float32Array(v.list.length * d.K);
  const bias = new Float32Array(d.K);
  for (const { m, scale } of fitted) {
    for (let j = 0; j < W.length; j++) W[j] += m.W[j] * scale;
    for (let k = 0; k < d.K; k++) bias[k] += m.b[k] * scale;
  }
  const counts = classes.map((_, k) => d.y.filter((c) => c === k).length);
  const blend =
    o.sentences && s
      ? encoderBlend({ ...o, vectors: o.sentences.vectors, y: d.y, K: d.K, oof: s.oof, baseT: s.temperature, judge })
      : undefined;
  const withEncoder = blend?.head ? { ...blend, head: blend.head } : undefined;
  const cv = withEncoder ? withEncoder.choice.judged : undefined;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdAt: new Date().toISOString(),
    kind:
      named(kind === 'ensemble' ? `ensemble(${members.join('+')})` : kind, lemmas) +
      (withEncoder ? ` + ${o.sentences!.encoder}` : ''),
    temperature: s ? s.temperature : 1,
    featureOptions: zhWords ? { zhWords } : {},
    labels: classes,
    vocabulary: v.list,
    idf: Array.from(v.idf, (x) => Math.round(x * 1e5) / 1e5),
    weights: Buffer.from(W.buffer, W.byteOffset, W.byteLength).toString('base64'),
    bias: Array.from(bias),
    ...(withEncoder ? { encoder: encoderSection(o.sentences!.encoder, withEncoder) } : {}),
    training: {
      rows: labels.length,
      counts: Object.fromEntries(classes.map((c, k) => [c, counts[k]])),
      seed: o.seed,
      epochs: o.epochs ?? Math.max(4, Math.min(12, Math.ceil(400_000 / labels.length))),
      crossValidation: s
        ? { folds: s.folds, ...(cv ? { accuracy: cv.accuracy, macroF1: cv.macroF1 } : s.score) }
        : null,
      // Every candidate of the chosen Chinese-words setting, without and (when compared) with lemmas.
      ...(s
        ? {
            selection: selectionOf(flat.filter((p) => p.zhWords === zhWords)),
            calibration: cv ? { rows: s.calibration.rows, eceBefore: cv.eceBefore, eceAfter: cv.ece } : s.calibration,
          }
        : {}),
      ...(blend ? { encoder: { name: o.sentences!.encoder, macroF1ByWeight: blend.choice.macroF1ByWeight } } : {}),
      ...(prepared.length > 1 ? { zhWords: { with: bestOf(prepared[1]), without: bestOf(prepared[0]) } } : {}),
      ...(o.labelMap && Object.keys(o.labelMap).length ? { labelMap: o.labelMap } : {}),
    },
  };
}

type Prepared = ReturnType<typeof prepare>;

/** The best cross-validated macro-F1 among settings. */
const bestOf = (ps: Prepared[]) => Math.max(...ps.map((p) => p.s!.score.macroF1));

/** The candidates' scores of each setting, named with ` + lemmas` for the lemma setting. */
function selectionOf(ps: Prepared[]) {
  return Object.fromEntries(
    ps.flatMap((p) => Object.entries(p.s!.report).map(([k, r]) => [p.lemmas ? `${k} + lemmas` : k, r])),
  );
}
