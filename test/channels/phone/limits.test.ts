import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, collapseBlankLines, nonEmptyLines } from '../../../channels/phone/limits.ts';
import { parseTranscript } from '../../../channels/phone/parse.ts';
import { isRedressError } from '../../../src/core/errors.ts';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, startTestApp } from '../../helpers.ts';

const vtt = (cues: number) =>
  'WEBVTT\n\n' +
  Array.from(
    { length: cues },
    (_, i) =>
      `00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000 --> 00:00:59.000\n<v ${i % 2 ? 'Customer' : 'Agent'}>line ${i}\n`,
  ).join('\n');
const srt = (cues: number) =>
  Array.from(
    { length: cues },
    (_, i) => `${i + 1}\n00:00:01,000 --> 00:00:02,000\n${i % 2 ? 'Customer' : 'Agent'}: line ${i}\n`,
  ).join('\n');
const plain = (lines: number) =>
  Array.from({ length: lines }, (_, i) => `${i % 2 ? 'Customer' : 'Agent'}: line ${i}`).join('\n');

/** The coded error parseTranscript throws, or undefined when it parses. */
function refusal(text: string, type: string, max?: number) {
  try {
    parseTranscript(Buffer.from(text), type, max);
    return undefined;
  } catch (e) {
    if (!isRedressError(e)) throw e;
    return { code: e.code, status: e.status, message: e.message };
  }
}

describe('transcript line limit', () => {
  it('200,000 WebVTT cues are refused with 413 TRANSCRIPT_TOO_LONG before the WebVTT parser runs', () => {
    expect(refusal(vtt(200_000), 'text/vtt')).toMatchObject({
      code: 'TRANSCRIPT_TOO_LONG',
      status: 413,
      message: expect.stringMatching(/at most 5000/),
    });
  });

  it('every format is held to the limit; at the limit it parses', () => {
    expect(refusal(vtt(50), 'text/vtt', 50)).toBeUndefined();
    expect(refusal(vtt(51), 'text/vtt', 50)?.code).toBe('TRANSCRIPT_TOO_LONG');
    expect(refusal(srt(50), 'application/x-subrip', 50)).toBeUndefined();
    expect(refusal(srt(51), 'application/x-subrip', 50)?.code).toBe('TRANSCRIPT_TOO_LONG');
    expect(refusal(plain(50), 'text/plain', 50)).toBeUndefined();
    expect(refusal(plain(51), 'text/plain', 50)?.code).toBe('TRANSCRIPT_TOO_LONG');
    const lens = (n: number) =>
      JSON.stringify({
        Participants: [
          { ParticipantId: 'a', ParticipantRole: 'AGENT' },
          { ParticipantId: 'c', ParticipantRole: 'CUSTOMER' },
        ],
        Transcript: Array.from({ length: n }, (_, i) => ({ ParticipantId: i % 2 ? 'c' : 'a', Content: `line ${i}` })),
      });
    expect(refusal(lens(50), 'application/json', 50)).toBeUndefined();
    expect(refusal(lens(51), 'application/json', 50)?.code).toBe('TRANSCRIPT_TOO_LONG');
    // Amazon Transcribe lists words: what counts is the lines they make (a change of speaker starts one).
    const transcribe = (turns: number) =>
      JSON.stringify({
        results: {
          items: Array.from({ length: turns * 3 }, (_, i) => ({
            type: 'pronunciation',
            start_time: String(i),
            speaker_label: `spk_${Math.floor(i / 3) % 2}`,
            alternatives: [{ content: 'word' }],
          })),
        },
      });
    expect(refusal(transcribe(50), 'application/json', 50)).toBeUndefined();
    expect(refusal(transcribe(51), 'application/json', 50)?.code).toBe('TRANSCRIPT_TOO_LONG');
  });

  it('blank lines do not count, and a file of millions of them builds no array of millions', () => {
    expect(collapseBlankLines('a\r\n\r\n\n  \n\tb\n')).toBe('a\n\n\tb\n');
    expect(nonEmptyLines('a\n\n  \nb\nc')).toBe(3);
    expect(countOf('x --> y --> z', '-->')).toBe(2);
    const padded = plain(40).split('\n').join('\n'.repeat(50_000));
    expect(refusal(padded, 'text/plain', 50)).toBeUndefined();
    expect(refusal('\n'.repeat(5_000_000), 'text/plain')?.code).toBe('TRANSCRIPT_INVALID');
  });
});

describe('POST /api/transcripts over the line limit', () => {
  const API_TOKEN = 'systems-token-0123456789';
  let app: Redress;
  beforeAll(async () => {
    app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
      jobs: false,
      env: { API_TOKEN, TRANSCRIPT_MAX_LINES: '100' },
    });
  });
  afterAll(async () => app?.stop());

  it('is refused with 413 TRANSCRIPT_TOO_LONG and writes nothing', async () => {
    const before = Number((await app.db.query<{ n: number }>('SELECT count(*) AS n FROM messages')).rows[0].n);
    const r = await fetch(`${app.url}/api/transcripts?callId=long-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/vtt' },
      body: vtt(101),
    });
    expect(r.status).toBe(413);
    expect((await r.json()).error).toMatchObject({
      code: 'TRANSCRIPT_TOO_LONG',
      message: expect.stringMatching(/at most 100/),
    });
    expect(Number((await app.db.query<{ n: number }>('SELECT count(*) AS n FROM messages')).rows[0].n)).toBe(before);
    const ok = await fetch(`${app.url}/api/transcripts?callId=short-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/vtt' },
      body: vtt(100),
    });
    expect([200, 201]).toContain(ok.status);
  });
});
