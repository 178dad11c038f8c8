/**
 * Trains the complaint / not-a-complaint detector (dialogs/understand/complaint-detector.ts) and writes
 * dialogs/complaint-model.json:
 *
 *   node bin/run-ts.mjs src/router/training/train-complaint.ts [--data ../shared/data] [--out dialogs/complaint-model.json]
 *
 * 1. Reads the labelled data (src/router/training/complaint-data.ts) and splits it once, seeded; the test part is only scored.
 * 2. Fits the router's softmax regression on the training part, then keeps only the features with the largest weights
 *    and fits again on those (a small committed file; the pruned model scores as well as the full one).
 * 3. Picks the thresholds per language by 5-fold cross-validation on the training part: the highest precision whose
 *    recall for complaints stays at or above TARGET_RECALL, with the detector's explicit signals applied, since the
 *    decision is what a customer meets, not the bare model.
 * 4. Prints precision, recall and F1 for complaints and accuracy on the held-out part, per language and per source.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { normalise } from '../../../dialogs/classifier/features.ts';
import { Model, type ModelFile } from '../../../dialogs/classifier/model.ts';
import { stratifiedFolds } from '../../../dialogs/classifier/random.ts';
import { train } from './train.ts';
import {
  COMPLAINT_MODEL_FORMAT,
  COMPLAINT_MODEL_VERSION,
  complaintModel,
  complaintProbability,
  decide,
  detectComplaint,
  signals,
  type ComplaintModelFile,
  type Signals,
  type Thresholds,
} from '../../../dialogs/understand/complaint-detector.ts';
import {
  COMPLAINT,
  COMPLAINT_SPLIT_SEED,
  COMPLAINT_TEST_SHARE,
  NOT_COMPLAINT,
  SHARED_DATA_DIR,
  complaintMetrics,
  complaintSplit,
  loadComplaintData,
  type ComplaintMetrics,
  type ComplaintRow,
} from './complaint-data.ts';

/** Where the model is written by default: the file complaint-detector.ts loads, relative to the package root. */
const COMPLAINT_MODEL_PATH = 'dialogs/complaint-model.json';
/** Recall for complaints the thresholds must keep in cross-validation: at most 1 complaint in 20 turned away. */
const TARGET_RECALL = 0.95;
/** Features kept in the pruned model. */
const KEEP_FEATURES = 6000;
const SEED = 42;
/**
 * A source with at least this many complaints in the training part must keep SOURCE_RECALL on its own (lower than the
 * target: the tweets' labels are noisy, and holding them to 0.95 alone calls nearly every English message a complaint).
 */
const SOURCE_RECALL = 0.9;
const MIN_SOURCE_COMPLAINTS = 20;
const FOLDS = 5;

const labelOf = (r: ComplaintRow) => (r.complaint ? COMPLAINT : NOT_COMPLAINT);

/** Fits on `rows`, prunes to the {@link KEEP_FEATURES} features with the largest weight difference, fits again. */
function fitComplaintModel(rows: ComplaintRow[]): ModelFile {
  const texts = rows.map((r) => r.text);
  const labels = rows.map(labelOf);
  // The detector's own settings: plain softmax regression, no Chinese words (the intake path never loads jieba for it).
  const settings = { seed: SEED, folds: 0, candidates: ['softmax'] as const, average: false, zhWords: false };
  const full = train(texts, labels, settings);
  const bytes = Buffer.from(full.weights, 'base64');
  const w = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const K = full.labels.length;
  const strength = full.vocabulary.map((f, j) => ({ f, s: Math.abs(w[j * K] - w[j * K + 1]) }));
  strength.sort((a, b) => b.s - a.s || (a.f < b.f ? -1 : 1));
  const keep = new Set(strength.slice(0, KEEP_FEATURES).map((e) => e.f));
  return train(texts, labels, { ...settings, features: keep });
}

interface Scored {
  row: ComplaintRow;
  p: number;
  s: Signals;
}

/** Out-of-fold probabilities for every training row. */
function crossValidated(rows: ComplaintRow[]): Scored[] {
  const folds = stratifiedFolds(
    rows.map((r) => `${r.source}:${labelOf(r)}`),
    FOLDS,
    SEED,
  );
  const out: Scored[] = [];
  for (const test of folds) {
    const inTest = new Set(test);
    const m = new Model(fitComplaintModel(rows.filter((_, i) => !inTest.has(i))));
    const cm = {
      model: m,
      complaintLabel: COMPLAINT,
      thresholds: { en: 0.5, zh: 0.5, questionEn: 0.5, questionZh: 0.5 },
    };
    for (const i of test)
      out.push({ row: rows[i], p: complaintProbability(cm, rows[i].text).p, s: signals(normalise(rows[i].text)) });
  }
  return out;
}

const pick = (part: Scored[], decided: boolean[], source: string): [boolean[], boolean[]] => {
  const idx = part.map((x, i) => (x.row.source === source ? i : -1)).filter((i) => i >= 0);
  return [idx.map((i) => part[i].row.complaint), idx.map((i) => decided[i])];
};

/** Per language: the thresholds with the best precision at recall ≥ TARGET_RECALL overall and ≥ SOURCE_RECALL per source (ties: best F1, then higher thresholds). */
function pickThresholds(scored: Scored[]): { thresholds: Thresholds; cv: Record<string, unknown> } {
  const grid = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  const thresholds: Thresholds = { en: 0.5, zh: 0.5, questionEn: 0.5, questionZh: 0.5 };
  const cv: Record<string, unknown> = {};
  for (const lang of ['en', 'zh'] as const) {
    const part = scored.filter((x) => x.s.lang === lang);
    const truth = part.map((x) => x.row.complaint);
    const sources = [...new Set(part.map((x) => x.row.source))].filter(
      (src) => part.filter((x) => x.row.source === src && x.row.complaint).length >= MIN_SOURCE_COMPLAINTS,
    );
    let best: { t: number; tq: number; m: ComplaintMetrics } | undefined;
    for (const t of grid) {
      for (const tq of grid) {
        if (tq < t) continue;
        const th = { en: t, zh: t, questionEn: tq, questionZh: tq };
        const m = complaintMetrics(
          truth,
          part.map((x) => decide(x.p, x.s, th).complaint),
        );
        if (m.recall < TARGET_RECALL) continue;
        // Each kind of message must keep the recall too, not just the mix: the Chinese reviews are easy complaints,
        // and a threshold that only they pass would turn away the chat-style complaints the bot really receives.
        const decided = part.map((x) => decide(x.p, x.s, th).complaint);
        if (sources.some((src) => complaintMetrics(...pick(part, decided, src)).recall < SOURCE_RECALL)) continue;
        if (!best || m.precision > best.m.precision || (m.precision === best.m.precision && m.f1 > best.m.f1))
          best = { t, tq, m };
      }
    }
    if (!best) throw new Error(`no threshold keeps recall ≥ ${TARGET_RECALL} for ${lang}`);
    thresholds[lang] = best.t;
    thresholds[lang === 'en' ? 'questionEn' : 'questionZh'] = best.tq;
    cv[lang] = best.m;
  }
  return { thresholds, cv };
}

/** Held-out figures: per language and per source. */
function heldOut(rows: ComplaintRow[], predicted: boolean[]) {
  const by = (key: (r: ComplaintRow) => string) => {
    const groups = [...new Set(rows.map(key))].sort();
    return Object.fromEntries(
      groups.map((g) => {
        const idx = rows.map((r, i) => (key(r) === g ? i : -1)).filter((i) => i >= 0);
        return [
          g,
          complaintMetrics(
            idx.map((i) => rows[i].complaint),
            idx.map((i) => predicted[i]),
          ),
        ];
      }),
    );
  };
  return { byLanguage: by((r) => r.lang), bySource: by((r) => r.source) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: {
      data: { type: 'string', default: SHARED_DATA_DIR },
      out: { type: 'string', default: COMPLAINT_MODEL_PATH },
    },
  });
  const started = Date.now();
  const rows = loadComplaintData(values.data);
  const { train: trainRows, test: testRows } = complaintSplit(rows);
  process.stderr.write(`${rows.length} rows: ${trainRows.length} to train, ${testRows.length} held out\n`);
  const { thresholds, cv } = pickThresholds(crossValidated(trainRows));
  const model = fitComplaintModel(trainRows);
  const count = (rs: ComplaintRow[]) =>
    Object.fromEntries(
      [...new Set(rs.map((r) => `${r.source}:${labelOf(r)}`))]
        .sort()
        .map((k) => [k, rs.filter((r) => `${r.source}:${labelOf(r)}` === k).length]),
    );
  const file: ComplaintModelFile = {
    format: COMPLAINT_MODEL_FORMAT,
    version: COMPLAINT_MODEL_VERSION,
    createdAt: new Date().toISOString(),
    complaintLabel: COMPLAINT,
    thresholds,
    training: {
      seed: SEED,
      split: { seed: COMPLAINT_SPLIT_SEED, testShare: COMPLAINT_TEST_SHARE },
      rows: count(trainRows),
      features: model.vocabulary.length,
      targetRecall: TARGET_RECALL,
      crossValidation: { folds: FOLDS, ...cv },
    },
    model,
  };
  // Score the held-out part with the decision as shipped (model + signals), then record the figures in the file.
  const m = complaintModel(file);
  const t0 = process.hrtime.bigint();
  const predicted = testRows.map((r) => detectComplaint(r.text, m).complaint);
  const microsPerMessage = Number(process.hrtime.bigint() - t0) / 1000 / testRows.length;
  const result = heldOut(testRows, predicted);
  file.training.heldOut = result;
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, JSON.stringify(file));
  const line = (name: string, x: ComplaintMetrics) =>
    `  ${name.padEnd(12)} precision ${x.precision.toFixed(3)}  recall ${x.recall.toFixed(3)}  F1 ${x.f1.toFixed(3)}  accuracy ${x.accuracy.toFixed(3)}  (n=${x.n}, complaints=${x.complaints})`;
  const lines = [
    `model ${values.out}: ${model.vocabulary.length} features, ${Math.round(statSync(values.out).size / 1024)} KB; thresholds ${JSON.stringify(thresholds)}`,
    `cross-validation on the training part (${FOLDS} folds):`,
    ...Object.entries(cv).map(([k, x]) => line(k, x as ComplaintMetrics)),
    'held-out test part, by language:',
    ...Object.entries(result.byLanguage).map(([k, x]) => line(k, x)),
    'held-out test part, by source:',
    ...Object.entries(result.bySource).map(([k, x]) => line(k, x)),
    `${Math.round(microsPerMessage)} µs per message (held-out part, model loaded); trained in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
