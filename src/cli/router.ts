/** `redress router train|eval|benchmark` and `redress route`: learn routing from past complaints and measure it. */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { detectLanguage } from '../../dialogs/language/detect.ts';
import { loadConfig } from '../core/config.ts';
import { RedressError } from '../core/errors.ts';
import { openDb } from '../store/db.ts';
import { loadModel, saveModel } from '../router/model-file.ts';
import { routerFor } from '../router/load.ts';
import { loadRoutingConfig } from '../router/routing-file.ts';
import { benchmark } from '../router/training/benchmark.ts';
import { evaluateModel, reportTable } from '../router/training/eval-report.ts';
import { applyLabelMap, combineLabelMaps, parseLabelMaps, type LabelMap } from '../router/training/label-map.ts';
import { CANDIDATES, train, type Candidate } from '../router/training/train.ts';
import { readLabelledCsv } from '../router/training/training-data.ts';
import { sentencesFor, vectorsOf } from '../router/sentences.ts';
import { reassignedExamples } from '../router/training/ticket-examples.ts';

/** Help for the router commands. */
export const ROUTER_HELP = `  router train <file.csv> --text <col> --label <col> [--out models/router.json] [--seed 42] [--folds 5]
               [--kind auto|softmax|svm|cnb|ensemble] [--zh-words auto|on|off] [--lemmas auto|on|off]
               [--encoder auto|on|off] [--map old=new ...] [--skip-invalid]
  router train --from-tickets [<file.csv> --text <col> --label <col>] [--out ...]   retrain from staff reassignments
  router eval <file.csv> --model <file> --text <col> --label <col> [--map old=new ...] [--strict] [--table]
  router benchmark <file.csv> --text <col> --label <col> [--seed 42] [--test-share 0.3] [--kind ...] [--zh-words ...]
               [--lemmas ...] [--encoder ...] [--map ...] [--table]
  route "<text>" [--model <file>]
  (--map and the routing configuration's "labels:" merge renamed labels; --routing <file> names that configuration;
   --encoder compares blending in a sentence encoder, by default on English sets of 50 to 12,000 rows)`;

const usage = (m: string) => new RedressError('USAGE', `${m}\n\nUsage:\n${ROUTER_HELP}`);
const out = (x: unknown) => process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
const info = (m: string) => process.stderr.write(`${m}\n`);

function columns(values: Record<string, unknown>): { text: string; label: string } {
  if (typeof values.text !== 'string' || typeof values.label !== 'string')
    throw usage('--text and --label name the CSV columns');
  return { text: values.text, label: values.label };
}

/** The routing configuration's `labels:` map; a default configuration that is not there is no map. */
function configuredLabelMap(routing: string | undefined): LabelMap {
  const path = routing ?? loadConfig().ROUTING_CONFIG;
  if (!routing && !existsSync(path)) return {};
  return loadRoutingConfig(path).labels;
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
      kind: { type: 'string', default: 'auto' },
      'zh-words': { type: 'string', default: 'auto' },
      lemmas: { type: 'string', default: 'auto' },
      encoder: { type: 'string', default: 'auto' },
      map: { type: 'string', multiple: true, default: [] },
      routing: { type: 'string' },
      strict: { type: 'boolean', default: false },
      'skip-invalid': { type: 'boolean', default: false },
      'from-tickets': { type: 'boolean', default: false },
      table: { type: 'boolean', default: false },
      json: { type: 'boolean', default: true },
    },
  });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw usage('--seed must be an integer');
  if (values.kind !== 'auto' && !CANDIDATES.includes(values.kind as Candidate))
    throw usage(`--kind is auto (choose by cross-validation, the default) or one of ${CANDIDATES.join(', ')}`);
  const candidates = values.kind === 'auto' ? CANDIDATES : [values.kind as Candidate];
  const zh = values['zh-words'];
  if (zh !== 'auto' && zh !== 'on' && zh !== 'off') throw usage('--zh-words is auto, on or off');
  const zhWords = zh === 'auto' ? ('auto' as const) : zh === 'on';
  const lem = values.lemmas;
  if (lem !== 'auto' && lem !== 'on' && lem !== 'off') throw usage('--lemmas is auto, on or off');
  const lemmas = lem === 'auto' ? ('auto' as const) : lem === 'on';
  const enc = values.encoder;
  if (enc !== 'auto' && enc !== 'on' && enc !== 'off') throw usage('--encoder is auto, on or off');
  const encoder = enc === 'auto' ? ('auto' as const) : enc === 'on';
  const folds = Number(values.folds);
  const cliMap = parseLabelMaps(values.map);
  const labelMap = () => combineLabelMaps(configuredLabelMap(values.routing), cliMap);
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
    const map = labelMap();
    labels = applyLabelMap(labels, map);
    if (new Set(labels).size < 2)
      throw new RedressError(
        'TRAINING_DATA_INVALID',
        `training needs at least two labels; found ${[...new Set(labels)].map((l) => `"${l}"`).join(', ') || 'none'}`,
      );
    const started = Date.now();
    const sentences = await sentencesFor(texts, encoder, folds, info);
    const model = train(texts, labels, { seed, folds, candidates, zhWords, lemmas, labelMap: map, sentences });
    saveModel(values.out, model);
    out({
      model: values.out,
      rows: texts.length,
      labels: model.training.counts,
      kind: model.kind,
      crossValidation: model.training.crossValidation,
      encoder: model.training.encoder ?? null,
      selection: model.training.selection ?? null,
      calibration: model.training.calibration
        ? { ...model.training.calibration, temperature: model.temperature }
        : null,
      vocabulary: model.vocabulary.length,
      seconds: (Date.now() - started) / 1000,
    });
    return;
  }
  if (sub === 'eval') {
    if (!positionals[0] || !values.model) throw usage('router eval needs a CSV file and --model');
    const model = loadModel(values.model);
    // Empty rows are skipped and counted (with --strict only when --skip-invalid says so, as before).
    const data = readLabelledCsv(positionals[0], columns(values), {
      skipInvalid: values.strict ? values['skip-invalid'] : true,
      minRows: 1,
    });
    const labels = applyLabelMap(data.labels, combineLabelMaps(model.file.training.labelMap, labelMap()));
    const unknown = [...new Set(labels.filter((l) => !model.labels.includes(l)))];
    if (unknown.length && values.strict)
      throw new RedressError(
        'TRAINING_DATA_INVALID',
        `labels the model was not trained on: ${unknown
          .slice(0, 10)
          .map((l) => `"${l}"`)
          .join(', ')}; the model knows ${model.labels.map((l) => `"${l}"`).join(', ')}`,
      );
    if (data.skipped.length) info(`skipped ${data.skipped.length} row(s) with an empty text or label`);
    const vectors = model.encoder ? (await vectorsOf(data.texts, info)).vectors : undefined;
    const report = evaluateModel(model, data.texts, labels, undefined, vectors);
    const unseen = Object.entries(report.unseenLabels);
    if (unseen.length)
      info(
        `warning: ${unseen.reduce((a, [, c]) => a + c, 0)} row(s) carry labels the model was not trained on, counted as errors: ${unseen.map(([l, c]) => `"${l}" (${c})`).join(', ')} (merge renamed labels with --map old=new; --strict refuses such a file)`,
      );
    return print(values.table ? reportTable(report, data.skipped.length) : { ...report, skipped: data.skipped.length });
  }
  if (sub === 'benchmark') {
    if (!positionals[0]) throw usage('router benchmark needs a CSV file');
    const share = Number(values['test-share']);
    if (!(share > 0 && share < 1)) throw usage('--test-share is between 0 and 1');
    const data = readLabelledCsv(positionals[0], columns(values), { skipInvalid: values['skip-invalid'] });
    const sentences = await sentencesFor(data.texts, encoder, folds, info);
    const r = benchmark(data.texts, applyLabelMap(data.labels, labelMap()), {
      seed,
      testShare: share,
      train: { folds, candidates, zhWords, lemmas },
      sentences,
    });
    // Routing with the encoder costs its vector too (computed before the turn, outside the router's microseconds).
    const encoderMsPerText = sentences && r.kind.endsWith(sentences.encoder) ? sentences.msPerText : null;
    if (!values.table) return print({ file: positionals[0], ...r, encoderMsPerText });
    const line = (name: string, x: { accuracy: number; macroF1: number }) =>
      `${name}: accuracy ${x.accuracy.toFixed(4)}  macro-F1 ${x.macroF1.toFixed(4)}`;
    const selection = Object.entries(r.selection ?? {}).map(([k, x]) => `  ${line(k, x)}  ECE ${x.ece ?? '-'}`);
    return print(
      [
        `chosen: ${r.kind}; cross-validation on the training part:`,
        ...selection,
        ...(r.encoder ? [`  sentence encoder blend, macro-F1 by weight: ${JSON.stringify(r.encoder)}`] : []),
        ...(encoderMsPerText !== null ? [`  sentence vectors: ${encoderMsPerText.toFixed(1)} ms a text`] : []),
        line('keywords', r.summary.keywords),
        line('majority', r.summary.majority),
        `model (${r.kind}) on the ${r.test} held-out rows: ${reportTable(r.model)}`,
      ].join('\n'),
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
  const sentence = router.encoder ? (await vectorsOf([text], info)).vectors[0] : undefined;
  const d = router.route(text, undefined, sentence);
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
