/** Telling a file's type by its first bytes, and the upload variables' checks at start (issue #18 item 3). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffType, typeName } from '../../../channels/web-chat/sniff.ts';
import { refusalText } from '../../../channels/web-chat/upload-text.ts';
import { loadConfig } from '../../../src/core/config.ts';

const bytes = (...x: Array<number | string>) =>
  Buffer.concat(x.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))));

describe('sniffType', () => {
  it('knows the five types by their signatures', () => {
    expect(sniffType(readFileSync('test/fixtures/uploads/kettle.jpg'))).toBe('image/jpeg');
    expect(sniffType(readFileSync('test/fixtures/uploads/receipt.pdf'))).toBe('application/pdf');
    expect(sniffType(bytes(0x89, 'PNG\r\n', 0x1a, '\n', 0, 0, 0, 13))).toBe('image/png');
    expect(sniffType(bytes('GIF89a', 1, 0, 1, 0, 0, 0))).toBe('image/gif');
    expect(sniffType(bytes('GIF87a', 1, 0, 1, 0, 0, 0))).toBe('image/gif');
    expect(sniffType(bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses what only looks like one by its name or a near miss', () => {
    expect(sniffType(Buffer.from('This is not a photo'))).toBeUndefined();
    expect(sniffType(bytes('MZ', 0x90, 0, 3, 0))).toBeUndefined(); // a Windows program
    expect(sniffType(bytes('RIFF', 0x24, 0, 0, 0, 'WAVEfmt '))).toBeUndefined(); // a WAV, not a WebP
    expect(sniffType(bytes(0x89, 'PNG'))).toBeUndefined(); // cut short
    expect(sniffType(bytes(0xff, 0xd8))).toBeUndefined();
    expect(sniffType(Buffer.alloc(0))).toBeUndefined();
    expect(sniffType(Buffer.from('GIF90a'))).toBeUndefined();
  });

  it('names types for people', () => {
    expect(['image/jpeg', 'image/webp', 'application/pdf', 'text/plain'].map(typeName)).toEqual([
      'JPEG',
      'WebP',
      'PDF',
      'text/plain',
    ]);
  });
});

describe('the refusal messages', () => {
  it('say the limit and the accepted types in the conversation’s language', () => {
    expect(refusalText({ kind: 'too_large', maxBytes: 10_485_760 }, 'en')).toBe(
      'Sorry, that file is too large for us to accept: uploads are limited to 10 MB in all. Please send a smaller file.',
    );
    expect(refusalText({ kind: 'too_large', maxBytes: 1_572_864 }, undefined)).toContain('limited to 1.5 MB');
    expect(refusalText({ kind: 'wrong_type', accepted: ['image/png'] }, 'en')).toBe(
      "Sorry, we can't accept that kind of file. You can send PNG files.",
    );
    expect(refusalText({ kind: 'wrong_type', accepted: ['image/jpeg', 'application/pdf'] }, 'zh-Hant')).toBe(
      '抱歉，我們無法接收這種文件。可以上傳的文件類型：JPEG 或 PDF。',
    );
    expect(refusalText({ kind: 'too_large', maxBytes: 10_485_760 }, 'zh-Hans')).toBe(
      '抱歉，文件太大，我们无法接收。每次上传的文件合计不能超过 10 MB。请发送较小的文件。',
    );
  });
});

describe('WEB_CHAT_UPLOAD_* at start', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (e) {
      return (e as { details: string[] }).details;
    }
  };

  it('defaults to 10 MB of photos and PDFs', () => {
    const c = loadConfig({});
    expect(c.WEB_CHAT_UPLOAD_MAX_BYTES).toBe(10_485_760);
    expect(c.WEB_CHAT_UPLOAD_TYPES).toEqual(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf']);
    expect(
      loadConfig({ WEB_CHAT_UPLOAD_TYPES: ' Image/PNG , application/pdf,image/png' }).WEB_CHAT_UPLOAD_TYPES,
    ).toEqual(['image/png', 'application/pdf']);
  });

  it('lists every problem at once', () => {
    expect(
      problems({ WEB_CHAT_UPLOAD_MAX_BYTES: '12', WEB_CHAT_UPLOAD_TYPES: 'image/jpeg,text/plain,image/svg+xml' }),
    ).toEqual([
      expect.stringMatching(/^WEB_CHAT_UPLOAD_MAX_BYTES: /),
      expect.stringMatching(/^WEB_CHAT_UPLOAD_TYPES: "text\/plain" is not a type uploads can be checked as/),
      expect.stringMatching(/^WEB_CHAT_UPLOAD_TYPES: "image\/svg\+xml" is not a type uploads can be checked as/),
    ]);
    expect(problems({ WEB_CHAT_UPLOAD_TYPES: ' , ' })).toEqual(['WEB_CHAT_UPLOAD_TYPES: names no type']);
  });
});
