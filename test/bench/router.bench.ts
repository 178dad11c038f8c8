/**
 * Router benchmark: training time on 100,000 complaints and routing time per complaint.
 * There is no public labelled set of that size here, so the rows are the real banking77 texts (77 labels, the
 * largest label set we have) repeated with seeded word dropout until there are 100,000 of them.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { train } from '../../dialogs/classifier/train.ts';
import { Model } from '../../dialogs/classifier/model.ts';
import { seeded } from '../../dialogs/classifier/random.ts';

const ROWS = Number(process.env.BENCH_ROUTER_ROWS ?? 100_000);
const source = parse(readFileSync(new URL('../../../shared/data/banking77-test.csv', import.meta.url)), {
  columns: true,
}) as Array<{ text: string; category: string }>;
const random = seeded(1);
const texts: string[] = [];
const labels: string[] = [];
while (texts.length < ROWS) {
  for (const r of source) {
    if (texts.length >= ROWS) break;
    const words = r.text.split(/\s+/).filter(() => random() > 0.15);
    texts.push(words.join(' ') || r.text);
    labels.push(r.category);
  }
}
const t0 = Date.now();
const file = train(texts, labels, { folds: 0 });
const trainSeconds = (Date.now() - t0) / 1000;
const model = new Model(file);
const probe = source.slice(0, 1000).map((r) => r.text);
for (const t of probe) model.predict(t);
const t1 = process.hrtime.bigint();
for (let i = 0; i < 5; i++) for (const t of probe) model.predict(t);
const micros = Number(process.hrtime.bigint() - t1) / 1000 / (5 * probe.length);
const sizeMb = JSON.stringify(file).length / 1e6;
console.log(
  `\nRouter: trained on ${ROWS} rows, ${new Set(labels).size} labels, ${file.vocabulary.length} features in ${trainSeconds.toFixed(1)} s; routing one complaint takes ${micros.toFixed(0)} µs; model file ${sizeMb.toFixed(1)} MB`,
);
