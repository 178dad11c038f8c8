/** Stories tidied for retelling, and the core a restatement keeps when no kind of problem fits (real tweets). */
import { describe, expect, it } from 'vitest';
import { storyCore, tidyStory } from '../../../dialogs/understand/story-text.ts';

describe('tidyStory', () => {
  it.each([
    [
      'i have complained a dozen times &amp; yet my papers are still thrown FAR from my door.',
      'i have complained a dozen times & yet my papers are still thrown FAR from my door.',
    ],
    [
      'Really ? 1st replacement blender lasted 5 smoothies, 2nd not even 1. #badservice #badproduct',
      'Really ? 1st replacement blender lasted 5 smoothies, 2nd not even 1.',
    ],
    [
      'logged into the website, but article still demanding i sign in http://t.co/mcgkfk7fSx',
      'logged into the website, but article still demanding i sign in',
    ],
    ["Totally stumped and I've been trying very hard. :-(", "Totally stumped and I've been trying very hard."],
    [
      'discovered it has small fraying at the bottom of the zip - help! thanks',
      'discovered it has small fraying at the bottom of the zip',
    ],
    ['the #1 seller sent a #fail product 😡', 'the #1 seller sent a fail product'],
    [
      '.@nvidiacc @NVIDIAQuadro CUDA driver Lion update, please? http://t.co/cil6HT1',
      'CUDA driver Lion update, please?',
    ],
    ['My order from @ZARA_Care never came', 'My order from @ZARA_Care never came'],
  ])('%s', (text, tidy) => {
    expect(tidyStory(text)).toBe(tidy);
  });
  it('a message that is only a sign-off keeps its word', () => {
    expect(tidyStory('help')).toBe('help');
  });
});

describe('storyCore', () => {
  it('a short story is kept whole', () => {
    expect(storyCore("Your website no longer remembers that I'm a subscriber.", false)).toBe(
      "Your website no longer remembers that I'm a subscriber.",
    );
  });
  it('the sentence with the complaint, not the greeting or the context before it', () => {
    expect(storyCore('ASUS G60 Series. Bought it to play games but guess not BF3', false)).toBe(
      'Bought it to play games but guess not BF3',
    );
  });
  it('a long sentence is cut at the clause that says what went wrong, with the clauses before it that fit', () => {
    const s =
      'I placed an order with express delivery on the 19th and have been given a tracking number, but the courier says it is invalid and nobody can tell me why';
    const core = storyCore(s, false);
    expect(core).toMatch(/invalid/);
    expect(core.split(' ').length).toBeLessThanOrEqual(16);
  });
  it('a clause with no boundary in reach is cut at 16 words, with an ellipsis', () => {
    const s =
      'Need help delivery of the paper on Sundays to any stores in or around Grapevine TX is lacking most weeks now';
    expect(storyCore(s, false)).toMatch(/^Need help delivery .*…$/);
  });
  it('Chinese: the clause with the complaint, within 24 characters', () => {
    const s =
      '我上周在你们网站买了一台洗衣机，送货师傅很准时，结果用了两天就坏了，打客服电话也没人接，真是太让人失望了';
    const core = storyCore(s, true);
    expect(core).toMatch(/坏了/);
    expect([...core].length).toBeLessThanOrEqual(24);
  });
  it('"Please, …" is asked, not told', () => {
    expect(storyCore('please i cant find a driver for my video card', false)).toBe(
      'I cant find a driver for my video card',
    );
  });
});
