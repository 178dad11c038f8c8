import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../dialogs/router.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { Engine } from '../../../src/core/engine.ts';
import { cutChars, cutInbound, MASK_MARGIN } from '../../../src/core/inbound-cut.ts';
import type { Db } from '../../../src/store/db.ts';
import { missing, testClock, testConfig, testDb } from '../../helpers.ts';

describe('cutting inbound text', () => {
  it('never splits a surrogate pair', () => {
    expect(cutChars('ab😀c', 3)).toBe('ab');
    expect(cutChars('ab😀c', 4)).toBe('ab😀');
    expect(cutChars('abc', 5)).toBe('abc');
  });

  it('keeps the original length and says whether words were dropped', () => {
    const base = { channel: 't', conversationKey: 'c', messageKey: 'm', sender: { id: 'u' } };
    const long = cutInbound({ ...base, text: 'x'.repeat(10_000) }, 100);
    expect(long).toMatchObject({ originalChars: 10_000, cut: true });
    expect(long.inbound.text).toHaveLength(100 + MASK_MARGIN);
    expect(cutInbound({ ...base, text: 'x'.repeat(100) + ' '.repeat(5000) }, 100).cut).toBe(false);
    expect(cutInbound({ ...base, text: 'short' }, 100)).toMatchObject({ originalChars: 5, cut: false });
  });
});

const kinds = [
  { kind: 'pglite' as const, skip: undefined },
  { kind: 'pg' as const, skip: missing('postgres') },
];

describe.each(kinds)('the engine stores at most what the dialog reads, on $kind', ({ kind, skip }) => {
  let db: Db;
  const config = testConfig();
  beforeAll(async () => {
    if (!skip) db = await testDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });
  const engine = () =>
    new Engine({ db, router: createRouter(loadRoutingConfig('dialogs/routing.yaml')), config, clock: testClock().now });
  const stored = async (id: number) =>
    (
      await db.query<{ text: string; original_chars: number }>(
        'SELECT text, original_chars FROM messages WHERE id = $1',
        [id],
      )
    ).rows[0];

  it.skipIf(skip)(
    'a 100,000-character message is stored cut to MAX_MESSAGE_CHARS with its original size, and the customer is told',
    async () => {
      const text = 'My kettle leaks boiling water all over the counter. '.repeat(2000).slice(0, 100_000);
      const r = await engine().handle({
        channel: 'test',
        conversationKey: 'long-1',
        messageKey: 'long-1',
        text,
        sender: { id: 'u1' },
      });
      const row = await stored(r.inboundId);
      expect(config.MAX_MESSAGE_CHARS).toBe(4000);
      expect(row.text).toBe(text.slice(0, 4000));
      expect(row.original_chars).toBe(100_000);
      expect(r.replies.map((x) => x.text).join('\n')).toContain('first 4000 characters');
    },
  );

  it.skipIf(skip)('a short message keeps its text and length, and no notice', async () => {
    const r = await engine().handle({
      channel: 'test',
      conversationKey: 'short-1',
      messageKey: 'short-1',
      text: 'My parcel never arrived',
      sender: { id: 'u2' },
    });
    expect(await stored(r.inboundId)).toEqual({ text: 'My parcel never arrived', original_chars: 23 });
    expect(r.replies.map((x) => x.text).join('\n')).not.toContain('characters');
  });

  it.skipIf(skip)('a card number straddling the cut is masked, not stored as a prefix of its digits', async () => {
    const card = '4111 1111 1111 1111';
    const text = 'a'.repeat(3990) + ' ' + card + ' and more words after it';
    const r = await engine().handle({
      channel: 'test',
      conversationKey: 'card-1',
      messageKey: 'card-1',
      text,
      sender: { id: 'u3' },
    });
    const row = await stored(r.inboundId);
    expect(row.text.length).toBeLessThanOrEqual(4000);
    expect(row.text).not.toMatch(/4111 1111/);
    expect(row.text).toContain('[card');
    expect(row.original_chars).toBe(text.length);
  });

  it.skipIf(skip)('only trailing blanks past the limit: stored cut, no notice', async () => {
    const text = 'The heater in my flat has been broken for a week. ' + ' '.repeat(20_000);
    const r = await engine().handle({
      channel: 'test',
      conversationKey: 'blank-1',
      messageKey: 'blank-1',
      text,
      sender: { id: 'u4' },
    });
    const row = await stored(r.inboundId);
    expect(row.text.length).toBeLessThanOrEqual(4000);
    expect(row.original_chars).toBe(text.length);
    expect(r.replies.map((x) => x.text).join('\n')).not.toContain('first 4000 characters');
  });
});
