/**
 * Benchmark: how long hostile text holds the event loop. The attack strings of issue #13 and the worst of the
 * adversarial families (test/dialogs/understand/adversarial.ts) through the dialog at 4 KB, 40 KB and 100 KB, and a call
 * transcript of 5,000 lines, read in slices: the figure that counts is the longest the event loop was held.
 *
 *   node bin/run-ts.mjs test/bench/hostile.bench.ts        (also part of npm run bench)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseTranscript } from '../../channels/phone/parse.ts';
import { runDialog } from '../../dialogs/dialog.ts';
import { extractFromCallSteps } from '../../dialogs/evidence.ts';
import { createRouter } from '../../dialogs/router.ts';
import { loadRoutingConfig } from '../../src/router/routing-file.ts';
import { timeBudget } from '../../dialogs/understand/budget.ts';
import { inSlices } from '../../src/http/in-slices.ts';
import { build, cpuTime, type Recipe } from '../dialogs/understand/adversarial.ts';
import { DIALOG_SETTINGS } from '../dialogs/dialog-settings.ts';

const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const now = new Date();
const ctx = {
  now,
  router,
  ...DIALOG_SETTINGS,
};
const turn = (text: string) =>
  runDialog(undefined, { text, receivedAt: now.toISOString() }, { ...ctx, budget: timeBudget(100) });

const attacks: Array<[string, string]> = [
  ['"订单" + 600 spaces (was 135 s)', `订单${' '.repeat(600)}`],
  ['"order" + 400 spaces (was 8.7 s)', `order${' '.repeat(400)}`],
  ['120,000 characters (was 16 s)', 'My parcel never arrived. '.repeat(4800)],
  ['runs of punctuation, 4,000 (was 3-5 s)', '.,-!?'.repeat(800)],
  ['runs of digits, 4,000', '1 '.repeat(2000)],
];
const families: Recipe[] = [
  { prefix: '订单', unit: ' ', suffix: 'x' },
  { prefix: 'order', unit: '1 ', suffix: '?' },
  { prefix: '', unit: '一', suffix: '' },
  { prefix: 'my email is ', unit: 'a@', suffix: '' },
  { prefix: 'Dear ', unit: 'on ', suffix: ' 2024' },
  { prefix: '', unit: '1.', suffix: '' },
];

turn('warm up: my order 1234 arrived broken yesterday, 我的订单 1234 昨天');
console.log('| input | CPU ms per turn |');
console.log('| --- | --- |');
for (const [name, text] of attacks) console.log(`| ${name} | ${cpuTime(turn, [text]).toFixed(1)} |`);
for (const r of families) {
  const cells = [4_000, 40_000, 100_000].map((n) => cpuTime(turn, [build(r, n)]).toFixed(1));
  console.log(`| ${JSON.stringify(r.prefix + r.unit)}… at 4 KB / 40 KB / 100 KB | ${cells.join(' / ')} |`);
}

// A long call, read the way the transcript API reads it, with the event loop watched meanwhile.
const line = (i: number) =>
  i % 2
    ? `Agent: thank you, can I have your order number? ${' '.repeat(400)}`
    : `Customer: my order 12345 arrived broken on the 3rd, I want a refund ${'订单 '.repeat(50)}`;
const call = Array.from({ length: 5000 }, (_, i) => line(i)).join('\n');
const lines = parseTranscript(Buffer.from(call), 'text/plain').lines;
// Once to build what is built on first use (chrono's and OpenCC's tables), then measured.
await inSlices(extractFromCallSteps(lines.slice(0, 50), { now, regions: ['US'] }));
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const t0 = performance.now();
await inSlices(extractFromCallSteps(lines, { now, regions: ['US'] }));
const took = performance.now() - t0;
delay.disable();
console.log(
  `\n5,000-line call: read in ${took.toFixed(0)} ms; longest event-loop hold ${(delay.max / 1e6).toFixed(0)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms)`,
);
