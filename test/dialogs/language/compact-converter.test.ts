/**
 * The flat-map converters give OpenCC's output character for character: held to opencc-js itself (the oracle) on
 * every Chinese review in the test data, their Traditional versions, and the edge cases of its matching rules.
 */
import { readFileSync } from 'node:fs';
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { compactConverter } from '../../../dialogs/language/compact-converter.ts';

const s2tw = { mine: compactConverter('s2tw'), oracle: OpenCC.Converter({ from: 'cn', to: 'tw' }) };
const tw2s = { mine: compactConverter('tw2s'), oracle: OpenCC.Converter({ from: 'tw', to: 'cn' }) };
const reviews = readFileSync('test/fixtures/shared-data/zh-shopping-complaints.csv', 'utf8')
  .split('\n')
  .filter(Boolean);

describe('compact OpenCC converters', () => {
  it('Simplified → Traditional (Taiwan) equals opencc-js on 1,000 real reviews', () => {
    const differ = reviews.filter((r) => s2tw.mine(r) !== s2tw.oracle(r));
    expect(differ).toEqual([]);
    // Not a converter that returns its input: most reviews change.
    expect(reviews.filter((r) => s2tw.mine(r) !== r).length).toBeGreaterThan(900);
  });

  it('Traditional → Simplified equals opencc-js on the same reviews in Traditional script', () => {
    const traditional = reviews.map((r) => s2tw.oracle(r));
    const differ = traditional.filter((r) => tw2s.mine(r) !== tw2s.oracle(r));
    expect(differ).toEqual([]);
    expect(traditional.filter((r) => tw2s.mine(r) !== r).length).toBeGreaterThan(900);
  });

  it.each([
    ['empty', ''],
    ['no Han', 'order 4411, $20.00 — "quoted"'],
    ['phrases that differ from their characters', '头发干了以后理发，后来又发现了面条'],
    ['a character outside the BMP', '𠀀发𡃁后台'],
    ['an ideographic description sequence', '⿰氵青发⿱艹⿰日月里'],
    ['a lone surrogate', '发\ud800后'],
    ['CJK compatibility ideographs', '\uf900\uf901 里面'],
  ])('%s: same as opencc-js both ways', (_name, text) => {
    expect(s2tw.mine(text)).toBe(s2tw.oracle(text));
    expect(tw2s.mine(text)).toBe(tw2s.oracle(text));
  });
});
