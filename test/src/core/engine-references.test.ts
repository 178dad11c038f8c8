import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../dialogs/router.ts';
import { packFor } from '../../../dialogs/language/index.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { Engine } from '../../../src/core/engine.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, testConfig, testDb } from '../../helpers.ts';

// The dialog names the reference and promises the reply time from the start: nothing is patched into its replies
// afterwards, and a reference is taken only for a turn that opens a ticket, so references have no gaps.
describe('the ticket a turn opens is prepared before the dialog phrases it', () => {
  let db: Db;
  let engine: Engine;
  const NOW = new Date('2026-11-24T10:00:00Z');
  beforeAll(async () => {
    db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
    engine = new Engine({
      db,
      router: createRouter(loadRoutingConfig('dialogs/routing.yaml')),
      config: testConfig(),
      clock: () => NOW,
    });
  });
  afterAll(async () => db?.close());

  /** How many references were ever taken (a fresh sequence reports last_value 1 before its first number). */
  const seq = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS n FROM ticket_reference_seq',
        )
      ).rows[0].n,
    );
  const chat = (key: string, n: number, text: string) =>
    engine.handle({ channel: 'test', conversationKey: key, messageKey: `${key}-${n}`, text, sender: { id: key } });

  it('takes no reference for the turns before the ticket, and the ticket gets the next one, named in the reply', async () => {
    const before = await seq();
    const story = 'My kettle from order 70011 stopped working yesterday. I want a refund. Bo Lin, bo@example.com';
    const first = await chat('ref-a', 1, story);
    expect(first.ticketReference).toBeUndefined();
    expect(await seq()).toBe(before);
    const done = await chat('ref-a', 2, 'yes');
    expect(await seq()).toBe(before + 1);
    const reference = done.ticketReference!;
    expect(done.replies.map((r) => r.text).join('\n')).toContain(reference);
    expect(done.replies.map((r) => r.text).join('\n')).not.toMatch(/\{\{/);
    const second = await chat('ref-b', 1, story.replace('kettle', 'toaster').replace('70011', '70022'));
    const next = (await chat('ref-b', 2, 'yes')).ticketReference!;
    // Two turns each, one ticket each: consecutive numbers.
    expect(Number(next.slice(4))).toBe(Number(reference.slice(4)) + 1);
    expect(second.ticketReference).toBeUndefined();
  });

  it('the reply time promised in the reply, kept in the state and set on the ticket are one and the same', async () => {
    const done = await chat('ref-a', 3, 'the handle also came off');
    const state = (await db.query<{ state: any }>("SELECT state FROM conversations WHERE conversation_key = 'ref-a'"))
      .rows[0].state;
    const ticket = (
      await db.query<{ sla_due_at: Date }>('SELECT sla_due_at FROM tickets WHERE reference = $1', [
        state.ticketReference,
      ])
    ).rows[0];
    expect(new Date(state.ticketDueAt).getTime()).toBe(ticket.sla_due_at.getTime());
    expect(done.replies.map((r) => r.text).join('\n')).toContain(packFor('en').formatDue(state.ticketDueAt));
  });
});
