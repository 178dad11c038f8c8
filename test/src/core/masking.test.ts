import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../dialogs/router.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { Engine } from '../../../src/core/engine.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, testConfig, testDb } from '../../helpers.ts';

describe('sensitive numbers never reach storage or replies', () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  });
  afterAll(async () => db?.close());

  it('masks a card number before the message is stored, and records that it did', async () => {
    const engine = new Engine({
      db,
      router: createRouter(loadRoutingConfig('dialogs/routing.yaml')),
      config: testConfig(),
    });
    const base = { channel: 'test', conversationKey: 'mask-1', sender: { id: 'm1' } };
    const first = await engine.handle({
      ...base,
      messageKey: 'mask-a',
      text: 'I was charged twice on card 4111 1111 1111 1111 for my broadband, order 55120, yesterday. I want a refund. Ann Lee, ann@example.com',
    });
    const done = await engine.handle({ ...base, messageKey: 'mask-b', text: 'yes' });
    expect(done.ticketReference).toMatch(/^CMP-/);
    const all =
      JSON.stringify((await db.query('SELECT text, payload FROM messages')).rows) +
      JSON.stringify((await db.query('SELECT record, restatement FROM tickets')).rows) +
      JSON.stringify((await db.query('SELECT state FROM conversations')).rows);
    expect(all).not.toMatch(/4111 1111 1111 1111|4111111111111111/);
    expect(first.replies.map((r) => r.text).join()).not.toContain('4111 1111');
    const inbound = (
      await db.query<{ text: string; payload: any }>("SELECT text, payload FROM messages WHERE message_key = 'mask-a'")
    ).rows[0];
    expect(inbound.text).toContain('[card •••• 1111]');
    expect(inbound.payload.masked).toEqual({ card: 1 });
  });
});
