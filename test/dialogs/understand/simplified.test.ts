/** Reading Traditional text through its Simplified form, once, and cutting the customer's own words. */
import { describe, expect, it } from 'vitest';
import { toSimplified } from '../../../dialogs/language/detect.ts';
import { replaceOnSimplified, simplifiedOf } from '../../../dialogs/understand/simplified.ts';

describe('simplifiedOf', () => {
  it("is OpenCC's conversion, for many texts in turn (the remembered ones never go stale)", () => {
    const texts = Array.from({ length: 30 }, (_, i) => `訂單${i}號的吸塵器壞了，我要求退貨`);
    for (let round = 0; round < 2; round++) for (const t of texts) expect(simplifiedOf(t)).toBe(toSimplified(t));
    expect(simplifiedOf('plain English')).toBe('plain English');
  });
});

describe('replaceOnSimplified', () => {
  const WANT = /我?要求(?:退货|换货)/g;
  it('cuts the match found on the Simplified form from the Traditional text, keeping its script elsewhere', () => {
    expect(replaceOnSimplified('吸塵器壞了，我要求退貨', WANT, () => '')).toBe('吸塵器壞了，');
  });
  it("keeps the customer's words where the replacement leaves the match as it was", () => {
    expect(replaceOnSimplified('吸塵器壞了，我要求退貨', WANT, (m) => m)).toBe('吸塵器壞了，我要求退貨');
  });
  it('where the conversion changed the length (二噁英 → 二𫫇英, a character outside the BMP), reads and cuts the Simplified text', () => {
    const text = '二噁英超标，我要求退貨';
    expect(simplifiedOf(text).length).toBe(text.length + 1);
    expect(replaceOnSimplified(text, WANT, () => '')).toBe('二𫫇英超标，');
  });
  it('works on Simplified and on text without Chinese as a plain replace', () => {
    expect(replaceOnSimplified('吸尘器坏了，我要求换货', WANT, () => '')).toBe('吸尘器坏了，');
    expect(replaceOnSimplified('order 4411', /4411/g, () => 'N')).toBe('order N');
  });
});
