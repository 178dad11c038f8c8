/** `router benchmark`: one seeded stratified split; the model and the keyword and majority baselines see only its training part. */
import { Model } from '../../../dialogs/classifier/model.ts';
import { stratifiedSplit } from '../../../dialogs/classifier/random.ts';
import { evaluateModel, type EvalReport } from './eval-report.ts';
import { keywordBaseline } from './keywords.ts';
import { evaluate, type Evaluation } from './metrics.ts';
import { train, type TrainOptions } from './train.ts';

type Sentences = NonNullable<TrainOptions['sentences']>;

/** What the benchmark reports. */
export interface BenchmarkResult {
  seed: number;
  testShare: number;
  train: number;
  test: number;
  labels: number;
  kind: string;
  trainSeconds: number;
  microsPerRoute: number;
  /** Cross-validated scores of every candidate on the training part (how the kind was chosen). */
  selection: Record<string, { accuracy: number; macroF1: number; ece?: number }> | null;
  /** Cross-validated macro-F1 of each sentence-encoder blend weight, when they were compared. */
  encoder: Record<string, number> | null;
  /** Cross-validated macro-F1 with and without Chinese word features, when they were compared. */
  zhWords: { with: number; without: number } | null;
  summary: Record<string, { accuracy: number; macroF1: number }>;
  model: EvalReport;
  keywords: Evaluation;
  majority: Evaluation;
}

/** Splits, trains on the training part, scores the test part. */
export function benchmark(
  texts: string[],
  labels: string[],
  o: { seed: number; testShare: number; train: Partial<TrainOptions>; sentences?: Sentences },
): BenchmarkResult {
  const split = stratifiedSplit(labels, o.testShare, o.seed);
  const pick = <T>(idx: number[], a: readonly T[]) => idx.map((i) => a[i]);
  const trainTexts = pick(split.train, texts);
  const trainLabels = pick(split.train, labels);
  const testTexts = pick(split.test, texts);
  const truth = pick(split.test, labels);
  const started = Date.now();
  const sentences = o.sentences && {
    encoder: o.sentences.encoder,
    vectors: pick(split.train, o.sentences.vectors),
  };
  const file = train(trainTexts, trainLabels, { seed: o.seed, ...o.train, ...(sentences ? { sentences } : {}) });
  const trainSeconds = (Date.now() - started) / 1000;
  const model = new Model(file);
  const t0 = process.hrtime.bigint();
  const report = evaluateModel(
    model,
    testTexts,
    truth,
    undefined,
    o.sentences && pick(split.test, o.sentences.vectors),
  );
  const microsPerRoute = Number(process.hrtime.bigint() - t0) / 1000 / testTexts.length;
  const counts = new Map<string, number>();
  for (const l of trainLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  const keywords = keywordBaseline(trainTexts, trainLabels);
  const results = {
    model: report,
    keywords: evaluate(
      truth,
      testTexts.map((t) => keywords.predict(t)),
    ),
    majority: evaluate(
      truth,
      truth.map(() => majority),
    ),
  };
  return {
    seed: o.seed,
    testShare: o.testShare,
    train: trainTexts.length,
    test: testTexts.length,
    labels: counts.size,
    kind: file.kind,
    trainSeconds,
    microsPerRoute: Math.round(microsPerRoute),
    selection: file.training.selection ?? null,
    zhWords: file.training.zhWords ?? null,
    encoder: file.training.encoder?.macroF1ByWeight ?? null,
    summary: Object.fromEntries(
      Object.entries(results).map(([k, e]) => [k, { accuracy: e.accuracy, macroF1: e.macroF1 }]),
    ),
    ...results,
  };
}
