/**
 * The retrain swap rule: a newly trained router model replaces the one in use only when it scores at least as well
 * (macro-F1) on a recent held-out slice, and every decision is recorded in router_swaps with both models' scores.
 */
import { existsSync } from 'node:fs';
import { Model, type ModelFile } from '../../../dialogs/classifier/model.ts';
import type { RoutingConfig } from '../../../dialogs/routing-config.ts';
import type { Queryable } from '../../store/db.ts';
import { recordRouterSwap } from '../../store/router.ts';
import { loadModel, saveModel } from '../model-file.ts';
import { evaluateModel } from './eval-report.ts';
import { applyLabelMap } from './label-map.ts';
import { reassignedExamples } from './ticket-examples.ts';
import { defaultTrainOptions, train, type TrainOptions } from './train.ts';
import { sentencesFor, vectorsOf, type EncoderSetting } from '../sentences.ts';

/** Accuracy and macro-F1 of one model on the slice. */
export interface SliceScores {
  accuracy: number;
  macroF1: number;
}

/** One decision of the swap rule. */
export interface SwapDecision {
  swapped: boolean;
  /** The model in use before (null when there was none). */
  current: SliceScores | null;
  candidate: SliceScores;
  sliceRows: number;
  trainRows: number;
}

/** Labelled texts. */
export interface Examples {
  texts: string[];
  labels: string[];
}

const scoresOf = (m: Model, slice: Examples, vectors?: readonly ArrayLike<number>[]): SliceScores => {
  const r = evaluateModel(m, slice.texts, slice.labels, [], vectors);
  return { accuracy: r.accuracy, macroF1: r.macroF1 };
};

/**
 * Scores `candidate` and the model at `modelPath` (if any) on `slice`; writes the candidate to `modelPath` when its
 * macro-F1 is at least the current one's; records the decision either way.
 */
export async function swapIfNotWorse(
  db: Queryable,
  o: { modelPath: string; candidate: ModelFile; slice: Examples; trainRows: number },
): Promise<SwapDecision> {
  const old = existsSync(o.modelPath) ? loadModel(o.modelPath) : undefined;
  const next = new Model(o.candidate);
  // Each model is scored as it routes: one with a sentence encoder with the slice's vectors.
  const vectors = old?.encoder || next.encoder ? (await vectorsOf(o.slice.texts, () => undefined)).vectors : undefined;
  const current = old ? scoresOf(old, o.slice, vectors) : null;
  const candidate = scoresOf(next, o.slice, vectors);
  const swapped = !current || candidate.macroF1 >= current.macroF1;
  if (swapped) saveModel(o.modelPath, o.candidate);
  await recordRouterSwap(db, {
    modelPath: o.modelPath,
    swapped,
    candidateKind: o.candidate.kind,
    trainRows: o.trainRows,
    sliceRows: o.slice.texts.length,
    current,
    candidate,
  });
  return { swapped, current, candidate, sliceRows: o.slice.texts.length, trainRows: o.trainRows };
}

/** Settings of a scheduled retrain. */
export interface RetrainOptions {
  routing: RoutingConfig;
  modelPath: string;
  /** Older labelled rows (e.g. the CSV the first model was trained on); always training rows, never the slice. */
  history?: Examples;
  /** Share of the reassigned tickets, the most recent ones, held out as the slice (default 0.2). */
  sliceShare?: number;
  /** Fewer slice rows than this and nothing is decided: too few to tell two models apart (default 20). */
  minSlice?: number;
  train?: Partial<TrainOptions>;
  /** Whether the sentence encoder blend is compared (as `router train --encoder`; default auto). */
  encoder?: EncoderSetting;
}

/**
 * The job a `ROUTER_RETRAIN_CRON` schedule runs: trains on the history plus all but the most recent reassigned tickets,
 * then applies {@link swapIfNotWorse} on those recent tickets. Returns undefined (and records nothing) when there are
 * too few recent tickets to judge. The running router must be rebuilt from `modelPath` after a swap.
 */
export async function retrainRouter(db: Queryable, o: RetrainOptions): Promise<SwapDecision | undefined> {
  const tickets = await reassignedExamples(db, o.routing);
  const sliceRows = Math.round(tickets.texts.length * (o.sliceShare ?? 0.2));
  if (sliceRows < (o.minSlice ?? 20)) return undefined;
  const cut = tickets.texts.length - sliceRows;
  const texts = [...(o.history?.texts ?? []), ...tickets.texts.slice(0, cut)];
  const labels = applyLabelMap([...(o.history?.labels ?? []), ...tickets.labels.slice(0, cut)], o.routing.labels);
  if (new Set(labels).size < 2) return undefined;
  const folds = o.train?.folds ?? defaultTrainOptions.folds;
  const sentences = await sentencesFor(texts, o.encoder ?? 'auto', folds, () => undefined);
  const candidate = train(texts, labels, { ...o.train, labelMap: o.routing.labels, sentences });
  const slice = { texts: tickets.texts.slice(cut), labels: applyLabelMap(tickets.labels.slice(cut), o.routing.labels) };
  return swapIfNotWorse(db, { modelPath: o.modelPath, candidate, slice, trainRows: texts.length });
}
