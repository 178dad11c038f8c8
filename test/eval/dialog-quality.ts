/**
 * `npm run eval:dialog`: the conversation-quality report (issue 14). A customer simulator runs real complaint texts
 * with made-up fact sheets through Direct Line against Redress on an in-memory PGlite, then prints the figures and the
 * worst examples as Markdown and writes every case as JSON.
 *
 *   npm run eval:dialog -- [--cases N] [--json path] [--seed S] [--concurrency C]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { runEval } from './harness.ts';
import { markdown } from './report.ts';

const { values } = parseArgs({
  args: process.argv.slice(3).filter((a) => a !== '--'),
  options: {
    cases: { type: 'string', default: '54' },
    json: { type: 'string', default: 'test-artifacts/eval-dialog.json' },
    seed: { type: 'string', default: '14' },
    concurrency: { type: 'string', default: '3' },
  },
});
const cases = Number(values.cases);
if (!Number.isSafeInteger(cases) || cases < 4) throw new Error('--cases must be an integer of at least 4');

const started = Date.now();
const run = await runEval({
  cases,
  seed: Number(values.seed),
  concurrency: Number(values.concurrency),
  onCase: (r, done, total) => process.stderr.write(`\r${done}/${total} ${r.id}${' '.repeat(20)}`),
});
process.stderr.write(
  `\rdone: ${run.results.length} cases in ${((Date.now() - started) / 1000).toFixed(0)} s${' '.repeat(20)}\n`,
);
console.log(markdown(run));
mkdirSync(dirname(values.json), { recursive: true });
writeFileSync(values.json, `${JSON.stringify(run, null, 2)}\n`);
console.error(`JSON: ${values.json}`);
