/**
 * Benchmark: how the time of every extractor and every channel's entry into the dialog grows with its input, the
 * figure test/dialogs/understand/linear-time.test.ts asserts on counted work. For each function, over the same
 * generated texts as the test, the CPU time of one call at ten times the length against one call at the short length
 * (the least of three tries, the short call timed ten times over): about 10× when linear, 100× when quadratic. The
 * worst text is printed. Read on a quiet machine; a timing is noise below a few milliseconds.
 *
 *   node bin/run-ts.mjs test/bench/understand-linear.bench.ts        (also part of npm run bench)
 */
import fc from 'fast-check';
import { build, cpuTime, recipes, type Recipe } from '../dialogs/understand/adversarial.ts';
import { CHANNEL_ENTRIES, EXTRACTORS, type LinearCase } from '../dialogs/understand/linear-cases.ts';

const texts: Recipe[] = fc.sample(recipes, { seed: 13, numRuns: 6 });

function row({ name, f, small }: LinearCase): string {
  f(build({ prefix: 'order', unit: '我 1. ', suffix: '' }, 200));
  let worst = { ratio: 0, short: 0, long: 0, recipe: texts[0] };
  for (const r of texts) {
    const short = cpuTime(f, new Array<string>(10).fill(build(r, small))) / 10;
    const long = cpuTime(f, [build(r, small * 10)]);
    const ratio = long / Math.max(short, 0.001);
    if (ratio > worst.ratio) worst = { ratio, short, long, recipe: r };
  }
  const text = JSON.stringify(worst.recipe.prefix + worst.recipe.unit + '…' + worst.recipe.suffix);
  const cells = [name, small.toLocaleString('en'), worst.short.toFixed(2), worst.long.toFixed(2)];
  return `| ${cells.join(' | ')} | ${worst.ratio.toFixed(1)}× | ${text} |`;
}

console.log('| function | short text, characters | CPU ms, short | CPU ms, 10× | ratio | worst text |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const c of [...EXTRACTORS, ...CHANNEL_ENTRIES]) console.log(row(c));
