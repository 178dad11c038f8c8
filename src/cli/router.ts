/** `redress router train|eval|benchmark` and `redress route`: learn routing from past complaints and measure it. */
import { parseArgs } from 'node:util';
import { keywordBaseline } from '../../dialogs/classifier/keywords.ts';
import { evaluate, type Evaluation } from '../../dialogs/classifier/metrics.ts';
import { Model } from '../../dialogs/classifier/model.ts';
import { stratifiedSplit } from '../../dialogs/classifier/random.ts';
import { train } from '../../dialogs/classifier/train.ts';
import { detectLanguage } from '../../dialogs/language/detect.ts';
import { loadConfig } from '../core/config.ts';
import { RedressError } from '../core/errors.ts';
import { openDb } from '../store/db.ts';
import { loadModel, saveModel } from '../router/model-file.ts';
import { routerFor } from '../router/load.ts';
import { loadRoutingConfig } from '../router/routing-file.ts';
import { readLabelledCsv } from '../router/training/training-data.ts';
import { reassignedExamples } from '../router/training/ticket-examples.ts';

/** Help for the router commands. */
export const ROUTER_HELP = `  router train <file.csv> --text <col> --label <col> [--out models/router.json] [--seed 42] [--folds 5] [--loss log|hinge] [--skip-invalid]
  router train --from-tickets [<file.csv> --text <col> --label <col>] [--out ...]   retrain from staff reassignments
  router eval <file.csv> --model <file> --text <col> --label <col> [--table]
  router benchmark <file.csv> --text <col> --label <col> [--seed 42] [--test-share 0.3] [--loss log|hinge] [--table]
  route "<text>" [--model <file>]`;

const usage = (m: string) => new RedressError('USAGE', `${m}\n\nUsage:\n${ROUTER_HELP}`);
const out = (x: unknown) => process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
const info = (m: string) => process.stderr.write(`${m}\n`);

function columns(values: Record<string, unknown>): { text: string; label: string } {
  if (typeof values.text !== 'string' || typeof values.label !== 'string')
    throw usage('--text and --label name the CSV columns');
  return { text: values.text, label: values.label };
}

/** `redress router <sub> ...` */
export async function routerCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      text: { type: 'string' },
      label: { type: 'string' },
      out: { type: 'string', default: 'models/router.json' },
      model: { type: 'string' },
      seed: { type: 'string', default: '42' },
      folds: { type: 'string', default: '5' },
      'test-share': { type: 'string', default: '0.3' },
      loss: { type: 'string', default: 'log' },
      'skip-invalid': { type: 'boolean', default: false },
      'from-tickets': { type: 'boolean', default: false },
      table: { type: 'boolean', default: false },
      json: { type: 'boolean', default: true },
    },
  });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw usage('--seed must be an integer');
  if (values.loss !== 'log' && values.loss !== 'hinge')
    throw usage('--loss is log (logistic regression, the default) or hinge (linear SVM)');
  const loss = values.loss;
  if (sub === 'train') {
    let texts: string[] = [];
    let labels: string[] = [];
    if (positionals[0]) {
      const data = readLabelledCsv(positionals[0], columns(values), { skipInvalid: values['skip-invalid'] });
      if (data.skipped.length) info(`skipped ${data.skipped.length} row(s) with an empty text or label`);
      ({ texts, labels } = data);
    } else if (!values['from-tickets']) throw usage('router train needs a CSV file or --from-tickets');
    if (values['from-tickets']) {
      const config = loadConfig();
      const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      try {
        const fromTickets = await reassignedExamples(db, loadRoutingConfig(config.ROUTING_CONFIG));
        info(`${fromTickets.texts.length} example(s) from reassigned tickets`);
        texts = [...texts, ...fromTickets.texts];
        labels = [...labels, ...fromTickets.labels];
      } finally {
        await db.close();
      }
    }
    if (new Set(labels).size < 2)
      throw new RedressError(
        'TRAINING_DATA_INVALID',
        `training needs at least two labels; found ${[...new Set(labels)].map((l) => `"${l}"`).join(', ') || 'none'}`,
      );
    const started = Date.now();
    const model = train(texts, labels, { seed, folds: Number(values.folds), loss });
    saveModel(values.out, model);
    out({
      model: values.out,
      rows: texts.length,
      labels: model.training.counts,
      crossValidation: model.training.crossValidation,
      vocabulary: model.vocabulary.length,
      seconds: (Date.now() - started) / 1000,
    });
    return;
  }
  if (sub === 'eval') {
    if (!positionals[0] || !values.model) throw usage('router eval needs a CSV file and --model');
    const model = loadModel(values.model);
    const data = readLabelledCsv(positionals[0], columns(values), { skipInvalid: values['skip-invalid'], minRows: 1 });
    const unknown = [...new Set(data.labels.filter((l) => !model.labels.includes(l)))];
    if (unknown.length)
      throw new RedressError(
        'TRAINING_DATA_INVALID',
        `labels the model was not trained on: ${unknown
          .slice(0, 10)
          .map((l) => `"${l}"`)
          .join(', ')}; the model knows ${model.labels.map((l) => `"${l}"`).join(', ')}`,
      );
    const e = evaluate(
      data.labels,
      data.texts.map((t) => model.predict(t).label),
      model.labels,
    );
    return print(values.table ? table({ model: e }) : e);
  }
  if (sub === 'benchmark') {
    if (!positionals[0]) throw usage('router benchmark needs a CSV file');
    const share = Number(values['test-share']);
    if (!(share > 0 && share < 1)) throw usage('--test-share is between 0 and 1');
    const data = readLabelledCsv(positionals[0], columns(values), { skipInvalid: values['skip-invalid'] });
    const split = stratifiedSplit(data.labels, share, seed);
    const pick = (idx: number[], a: string[]) => idx.map((i) => a[i]);
    const trainTexts = pick(split.train, data.texts);
    const trainLabels = pick(split.train, data.labels);
    const testTexts = pick(split.test, data.texts);
    const truth = pick(split.test, data.labels);
    const started = Date.now();
    const model = new Model(train(trainTexts, trainLabels, { seed, folds: 0, loss }));
    const trainSeconds = (Date.now() - started) / 1000;
    const t0 = process.hrtime.bigint();
    const predicted = testTexts.map((t) => model.predict(t).label);
    const microsPerRoute = Number(process.hrtime.bigint() - t0) / 1000 / testTexts.length;
    const counts = new Map<string, number>();
    for (const l of trainLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    const keywords = keywordBaseline(trainTexts, trainLabels);
    const results = {
      model: evaluate(truth, predicted),
      keywords: evaluate(
        truth,
        testTexts.map((t) => keywords.predict(t)),
      ),
      majority: evaluate(
        truth,
        truth.map(() => majority),
      ),
    };
    const summary = Object.fromEntries(
      Object.entries(results).map(([k, e]) => [k, { accuracy: e.accuracy, macroF1: e.macroF1 }]),
    );
    return print(
      values.table
        ? table(results)
        : {
            file: positionals[0],
            seed,
            testShare: share,
            train: trainTexts.length,
            test: testTexts.length,
            labels: counts.size,
            trainSeconds,
            microsPerRoute: Math.round(microsPerRoute),
            summary,
            ...results,
          },
    );
  }
  throw usage(`unknown router command "${sub ?? ''}"`);
}

/** `redress route "<text>" [--model file]`: the routing decision as JSON. */
export async function routeCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { model: { type: 'string' } },
  });
  const text = positionals.join(' ').trim();
  if (!text) throw usage('route needs the complaint text');
  const router = routerFor(loadConfig(), values.model);
  const d = router.route(text);
  out({
    department: d.department,
    category: d.category,
    severity: d.severity,
    language: detectLanguage(text) ?? 'unknown',
    confidence: d.confidence ?? null,
    reasons: d.reasons,
  });
}

function print(x: unknown): void {
  if (typeof x === 'string') process.stdout.write(x);
  else out(x);
}

function table(results: Record<string, Evaluation>): string {
  const lines: string[] = [];
  for (const [name, e] of Object.entries(results)) {
    lines.push(`${name}: accuracy ${e.accuracy.toFixed(4)}  macro-F1 ${e.macroF1.toFixed(4)}  (n=${e.n})`);
    if (name !== 'model') continue;
    const w = Math.max(5, ...e.labels.map((l) => l.length));
    lines.push(`  ${'label'.padEnd(w)}  precision  recall  f1      support`);
    for (const l of e.labels) {
      const m = e.perLabel[l];
      lines.push(
        `  ${l.padEnd(w)}  ${m.precision.toFixed(4)}     ${m.recall.toFixed(4)}  ${m.f1.toFixed(4)}  ${m.support}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
