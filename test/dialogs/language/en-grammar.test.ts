import { describe, expect, it } from 'vitest';
import { agree, wishEn } from '../../../dialogs/language/en-grammar.ts';

describe('English agreement in the restatement', () => {
  it.each([
    ['your headphones', 'are'],
    ['your jeans (order 4411)', 'are'],
    ['your bins', 'are'],
    ['your noodles', 'are'],
    ['your kettle', 'is'],
    ['your glass', 'is'],
    ['your bus pass', 'is'],
    ['your order 4411', 'is'],
    [undefined, 'is'],
  ])('%s → %s', (subject, verb) => {
    expect(agree(subject, 'is', 'are')).toBe(verb);
  });

  it.each([
    ['call you back', 'us to call you back'],
    ['find your bag', 'us to find your bag'],
    ['You want the money found or returned', 'the money found or returned'],
    ['you would like to change it to 12 months', 'us to change it to 12 months'],
    ['please send someone now', 'us to send someone now'],
    ['a full refund and an apology', 'a full refund and an apology'],
  ])('the wish "%s" follows "you would like" as "%s"', (wish, said) => {
    expect(wishEn(wish)).toBe(said);
  });
});
