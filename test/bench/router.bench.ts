/**
 * Router benchmark: training time on 100,000 complaints (model choice by cross-validation, calibration and the final
 * fit, as `router train` does it) and routing time per complaint, in English and in Chinese (jieba word features).
 * There is no public labelled set of that size here, so the rows are the real banking77 texts (77 labels, the largest
 * label set we have) repeated with seeded word dropout until there are 100,000 of them. Goals: training < 2 min,
 * routing < 1 ms. Then the sentence encoder a model may blend in (trained on sets of at most 12,000 rows): the time of
 * one complaint's vector, computed once per new story before its turn.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { train } from '../../src/router/training/train.ts';
import { Model } from '../../dialogs/classifier/model.ts';
import { seeded } from '../../dialogs/classifier/random.ts';
import { loadEncoder } from '../../src/router/encoder.ts';

const ROWS = Number(process.env.BENCH_ROUTER_ROWS ?? 100_000);
const data = (name: string) =>
  parse(readFileSync(new URL(`../../../shared/data/${name}`, import.meta.url)), { columns: true }) as Array<
    Record<string, string>
  >;
const source = data('banking77-test.csv');
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

// CPU time as well as wall time: on a shared machine the wall clock also counts the time other processes held the core.
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

/** Mean µs per routed text over 5 passes after one warm-up pass (wall and CPU), and the 99th percentile (wall). */
function routeMicros(model: Model, probe: string[]): { mean: number; cpu: number; p99: number } {
  for (const t of probe) model.predict(t);
  const each: number[] = [];
  const c = process.cpuUsage();
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < 5; i++)
    for (const t of probe) {
      const s = process.hrtime.bigint();
      model.predict(t);
      each.push(Number(process.hrtime.bigint() - s) / 1000);
    }
  const n = 5 * probe.length;
  each.sort((a, b) => a - b);
  return {
    mean: Number(process.hrtime.bigint() - t1) / 1000 / n,
    cpu: (cpuSeconds(c) * 1e6) / n,
    p99: each[Math.floor(n * 0.99)],
  };
}

const t0 = Date.now();
const c0 = process.cpuUsage();
const file = train(texts, labels);
const trainSeconds = (Date.now() - t0) / 1000;
const trainCpu = cpuSeconds(c0);
const en = routeMicros(
  new Model(file),
  source.slice(0, 1000).map((r) => r.text),
);
const sizeMb = JSON.stringify(file).length / 1e6;
const zhRows = data('zh-shopping-complaints.csv');
const zhModel = new Model(
  train(
    zhRows.map((r) => r.review),
    zhRows.map((r) => r.cat),
    { folds: 0, zhWords: true },
  ),
);
const zh = routeMicros(
  zhModel,
  zhRows.slice(0, 300).map((r) => r.review),
);
console.log(
  `\nRouter: trained on ${ROWS} rows, ${new Set(labels).size} labels, ${file.vocabulary.length} features in ${trainSeconds.toFixed(1)} s (${trainCpu.toFixed(1)} s CPU; chose ${file.kind} by ${file.training.crossValidation?.folds}-fold cross-validation on ${file.training.calibration?.rows} rows: ${JSON.stringify(file.training.selection)}); routing one complaint takes ${en.mean.toFixed(0)} µs in English (${en.cpu.toFixed(0)} µs CPU, 99th percentile ${en.p99.toFixed(0)} µs), ${zh.mean.toFixed(0)} µs in Chinese with word features (${zh.cpu.toFixed(0)} µs CPU, 99th percentile ${zh.p99.toFixed(0)} µs); model file ${sizeMb.toFixed(1)} MB`,
);

// The encoder: one complaint at a time, as a turn asks for it (batches would be faster per text, but no turn waits
// for another's). The first call builds the graph; it is left out, like the routing warm-up above.
const encoder = await loadEncoder();
const probe = source.slice(0, 200).map((r) => r.text);
await encoder.embed([probe[0]]);
const each: number[] = [];
const ce = process.cpuUsage();
for (const t of probe) {
  const s = process.hrtime.bigint();
  await encoder.embed([t]);
  each.push(Number(process.hrtime.bigint() - s) / 1e6);
}
const encCpu = (cpuSeconds(ce) * 1000) / probe.length;
each.sort((a, b) => a - b);
console.log(
  `Sentence vector of one complaint: ${(each.reduce((a, b) => a + b, 0) / each.length).toFixed(1)} ms (${encCpu.toFixed(1)} ms CPU, 99th percentile ${each[Math.floor(each.length * 0.99)].toFixed(1)} ms), over ${probe.length} banking77 texts`,
);
