/** The widget's options (issue #18 item 4): validation shared by /embed.js and its frame page, and text contrast. */
import { describe, expect, it } from 'vitest';
import { embedOptionsOf, textColourOn } from '../../../channels/web-chat/embed-options.ts';

describe('embed options', () => {
  it('keeps valid options and drops invalid ones', () => {
    expect(embedOptionsOf({ title: '  Talk to us ', color: '#FC0', lang: 'zh-Hant', position: 'left' })).toEqual({
      title: 'Talk to us',
      color: '#FC0',
      lang: 'zh-Hant',
      position: 'left',
    });
    expect(embedOptionsOf({ title: '   ', color: 'red', lang: 'fr', position: 'top', embed: '1' })).toEqual({
      title: undefined,
      color: undefined,
      lang: undefined,
      position: undefined,
    });
    // A repeated parameter arrives as a list: absent, not its first value.
    expect(embedOptionsOf({ color: ['#000', '#fff'] }).color).toBeUndefined();
    expect(embedOptionsOf({ color: '#12345' }).color).toBeUndefined();
    expect(embedOptionsOf(undefined)).toEqual({});
  });

  it('cuts the title to 60 whole characters', () => {
    // 59 letters and an emoji of two UTF-16 units: 60 characters, kept whole; one more letter is cut.
    const title = 'a'.repeat(59) + '😀';
    expect(embedOptionsOf({ title }).title).toBe(title);
    expect(embedOptionsOf({ title: title + 'b' }).title).toBe(title);
  });

  it('picks the text colour that contrasts more', () => {
    // #ffcc00: luminance 0.644; against white 1.05/0.694 = 1.5, against #111111 0.694/0.0556 = 12.5.
    expect(textColourOn('#ffcc00')).toBe('#111111');
    // #777: luminance 0.184; white 1.05/0.234 = 4.48, #111111 0.234/0.0556 = 4.22: white, narrowly.
    expect(textColourOn('#777')).toBe('#ffffff');
    expect(textColourOn('#1f3a5f')).toBe('#ffffff');
    expect(textColourOn('#ffffff')).toBe('#111111');
  });
});
