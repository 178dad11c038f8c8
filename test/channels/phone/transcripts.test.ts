import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../channels/phone/parse.ts';
import { extractFromCall } from '../../../dialogs/evidence.ts';
import { unspeak } from '../../../dialogs/spoken.ts';

const DIR = 'test/fixtures/transcripts/';
const NOW = new Date('2026-11-24T10:00:00Z');
const read = (file: string, type = '') => parseTranscript(readFileSync(DIR + file), type);
const values = (file: string, type = '', regions: Array<'US' | 'CN'> = ['US']) => {
  const t = read(file, type);
  const { fields } = extractFromCall(t.lines, { now: NOW, regions });
  return { t, fields, v: Object.fromEntries(Object.entries(fields).map(([k, e]) => [k, e!.value])) };
};

describe('every transcript format yields the same record from the same call', () => {
  const expected = {
    name: 'Miriam Cole',
    orderNumber: 'AB7712',
    occurredOn: '2026-11-14',
    resolution: 'refund',
    email: 'miriam.cole@gmail.com',
    phone: '+14155550132',
  };
  it.each([
    ['call.txt', 'text/plain', 'plain', 'labels'],
    ['call.vtt', 'text/vtt', 'webvtt', 'labels'],
    ['call.srt', 'application/x-subrip', 'srt', 'labels'],
    ['call.aws-transcribe.json', 'application/json', 'aws-transcribe', 'heuristic'],
    ['call.contact-lens.json', 'application/json', 'aws-contact-lens', 'labels'],
    ['call.google.json', 'application/json', 'google-stt', 'heuristic'],
    ['call.twilio.json', '', 'twilio-sentences', 'heuristic'],
  ])('%s', (file, type, format, speakers) => {
    const { t, fields, v } = values(file, type);
    expect(t.format).toBe(format);
    expect(t.speakers).toBe(speakers);
    expect(v).toMatchObject(expected);
    // Each field names the line it came from, and that line says it.
    expect(t.lines.find((l) => l.n === fields.name!.line)!.text).toContain('Miriam Cole');
    expect(fields.orderNumber).toMatchObject({ source: 'customer', confidence: 0.9 });
    expect(fields.description!.value).toMatch(/voicemail/);
    expect(fields.description!.value).not.toMatch(/in the and/);
  });
});

describe('spoken forms', () => {
  it.each([
    ['email me at john dot smith at gmail dot com please', 'email me at john.smith@gmail.com please'],
    ['call me on four one five, five five five, zero one three two', 'call me on 4155550132'],
    ['the order number is A B one two three.', 'the order number is AB123 .'],
    ['order number double five one two', 'order number 5512 '],
    ['我的电话是一三八零零一三八零零零', '我的电话是13800138000'],
    ['我三月三日买的', '我三月三日买的'],
    ['I bought one of those on one day', 'I bought one of those on one day'],
  ])('%s', (spoken, written) => expect(unspeak(spoken)).toBe(written));
});

describe('who said it matters', () => {
  it('a Chinese call: Chinese numerals, labels, the customer’s words only', () => {
    const { t, v } = values('call-zh.txt', 'text/plain', ['CN']);
    expect(t.speakers).toBe('labels');
    expect(v).toMatchObject({
      orderNumber: '12345678',
      phone: '+8613800138000',
      name: '王芳',
      resolution: 'refund',
      product: '衣服',
    });
  });

  it('the agent’s unconfirmed guess is not taken; a confirmed read-back is', () => {
    const t = parseTranscript(
      Buffer.from(
        'Agent: Is that order 999111?\nCustomer: No, it is order 123456.\nAgent: And your email is ann at example dot com?\nCustomer: Yes, that is right.\n',
      ),
      'text/plain',
    );
    const { fields } = extractFromCall(t.lines, { now: NOW, regions: ['US'] });
    expect(fields.orderNumber).toMatchObject({ value: '123456', line: 2, source: 'customer' });
    expect(fields.email).toMatchObject({
      value: 'ann@example.com',
      line: 3,
      source: 'agent read-back confirmed by the customer',
      confidence: 0.8,
    });
  });

  it('speakers it cannot tell apart are reported, not guessed', () => {
    const t = parseTranscript(Buffer.from('Alex: Hello there.\nSam: Hi, good afternoon.\n'), 'text/plain');
    expect(t.speakers).toBe('unclear');
    expect(t.speakerNote).toMatch(/could not tell which of "Alex", "Sam" is the customer/);
    const { fields } = extractFromCall(t.lines, { now: NOW, regions: ['US'] });
    for (const e of Object.values(fields)) expect(e!.confidence).toBeLessThan(0.6);
  });
});

describe('bad files get a precise error', () => {
  it.each([
    [
      'JSON that is not',
      Buffer.from('{"results": [1, 2,'),
      'application/json',
      'TRANSCRIPT_INVALID',
      /not a valid JSON transcript/,
    ],
    [
      'JSON of another shape',
      Buffer.from('{"hello": "world"}'),
      'application/json',
      'UNSUPPORTED_MEDIA_TYPE',
      /not Amazon Transcribe/,
    ],
    [
      'an image',
      Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      'image/png',
      'UNSUPPORTED_MEDIA_TYPE',
      /plain text, WebVTT, SRT or JSON/,
    ],
    [
      'not UTF-8',
      Buffer.from([0x43, 0x3a, 0x20, 0xcd, 0xb6, 0xcb, 0xdf]),
      'text/plain',
      'TRANSCRIPT_INVALID',
      /not UTF-8/,
    ],
    [
      'no speaker labels',
      Buffer.from('just some words\nand more'),
      'text/plain',
      'TRANSCRIPT_INVALID',
      /has no speaker label/,
    ],
    [
      'an SRT cue without timing',
      Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nCustomer: hi\n\n2\nno timing here\n'),
      'application/x-subrip',
      'TRANSCRIPT_INVALID',
      /has no "start --> end" line/,
    ],
    ['empty', Buffer.from('   '), 'text/plain', 'TRANSCRIPT_INVALID', /empty/],
  ])('%s', (_name, bytes, type, code, message) => {
    let error: any;
    try {
      parseTranscript(bytes, type);
    } catch (e) {
      error = e;
    }
    expect(error?.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});
