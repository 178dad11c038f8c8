/**
 * Every extractor and every channel's entry into the dialog is linear in its input: at ten times the length the work
 * stays under twenty times, a ceiling only super-linear growth breaks (quadratic is 100×). The work is counted, not
 * timed (work-meter.ts): the characters each call has the regex engine and the string built-ins look at, a figure that
 * depends on the code path alone, so a busy machine cannot fail these tests and a quadratic re-reading always does.
 * Out of the count's sight are backtracking inside one regex (the eslint-plugin-regexp rules in eslint.config.js
 * reject such patterns) and loops that index the text (`text[i]`) in plain JavaScript. Times, and the same growth
 * measured in CPU time, are the bench's business (test/bench/understand-linear.bench.ts, test/bench/hostile.bench.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, recipes, type Recipe } from './adversarial.ts';
import { CHANNEL_ENTRIES, EXTRACTORS, type LinearCase } from './linear-cases.ts';
import { measureWork } from './work-meter.ts';

/** Asserts that the work of `c.f` grows at most linearly from `c.small` to ten times that on every generated text. */
function linear({ name, f, small }: LinearCase, numRuns = 6) {
  it(`${name}: 10× the text takes under 20× the work`, () => {
    // Built once, outside the count: the parsers' and converters' tables, so the short text does not carry them.
    f(build({ prefix: 'order', unit: '我 1. ', suffix: '' }, 200));
    fc.assert(
      fc.property(recipes, (r: Recipe) => {
        const short = measureWork(() => f(build(r, small))).work;
        const long = measureWork(() => f(build(r, small * 10))).work;
        expect(short, `${JSON.stringify(r)}: nothing counted at ${small}`).toBeGreaterThan(0);
        expect(
          long,
          `${JSON.stringify(r)}: ${short} characters read at ${small}, ${long} at ${small * 10} (${(long / short).toFixed(1)}×)`,
        ).toBeLessThan(20 * short);
      }),
      { numRuns, seed: 13, endOnFailure: true },
    );
  });
}

describe('every extractor is linear in its input', () => {
  for (const c of EXTRACTORS) linear(c);
});

describe('every channel entry into the dialog is linear, up to 100 KB', () => {
  for (const c of CHANNEL_ENTRIES) linear(c);
});
