/**
 * Benchmark: understanding one message on the built-in path (no LLM): the first turn of the dialog — bounding,
 * language, complaint detection, every extractor, routing and the restatement — over real complaints from the shared
 * data (English tweets, Chinese reviews, the same reviews in Traditional script), after the process warm-up. Goal of
 * issue #14: p99 ≤ 20 ms.
 *
 *   node bin/run-ts.mjs test/bench/understanding.bench.ts        (also part of npm run bench)
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { runDialog } from '../../dialogs/dialog.ts';
import { toTraditional } from '../../dialogs/language/detect.ts';
import { createRouter } from '../../dialogs/router.ts';
import { loadRoutingConfig } from '../../src/router/routing-file.ts';
import { warmUp } from '../../dialogs/understand/warm-up.ts';
import { DIALOG_SETTINGS } from '../dialogs/dialog-settings.ts';

const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const now = new Date();
const ctx = {
  now,
  router,
  ...DIALOG_SETTINGS,
};

/** The `name` column of a CSV file of the shared data. */
function column(path: string, name: string): string[] {
  return (parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[])
    .map((r) => r[name])
    .filter(Boolean);
}

const english = column('test/fixtures/shared-data/en-twitter-complaints.csv', 'text');
const chinese = column('test/fixtures/shared-data/zh-shopping-complaints.csv', 'review');
const sets: Array<[string, string[]]> = [
  ['English tweets', english],
  ['Chinese reviews', chinese],
  ['the same in Traditional', chinese.map(toTraditional)],
];

warmUp(ctx);
const all: number[] = [];
const pct = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
const lines: string[] = [];
for (const [name, texts] of sets) {
  const times: number[] = [];
  for (const text of texts) {
    const t0 = performance.now();
    runDialog(undefined, { text, receivedAt: now.toISOString() }, ctx);
    times.push(performance.now() - t0);
  }
  all.push(...times);
  // The slowest is usually a one-time cost (the Chinese segmenter's dictionary, built on the first story that needs it).
  const slowest = Math.max(...times);
  times.sort((a, b) => a - b);
  lines.push(
    `  ${name} (${times.length}): p50 ${pct(times, 0.5)} ms, p99 ${pct(times, 0.99)} ms, max ${slowest.toFixed(2)} ms`,
  );
}
all.sort((a, b) => a - b);
console.log(
  `Understanding one message (first turn, built-in path), ${all.length} real messages: p50 ${pct(all, 0.5)} ms, p99 ${pct(all, 0.99)} ms, max ${all[all.length - 1].toFixed(2)} ms`,
);
for (const line of lines) console.log(line);
