import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRouter } from '../../../dialogs/router.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { customerCommand } from '../../../src/cli/customer.ts';
import { Engine } from '../../../src/core/engine.ts';
import { periodic } from '../../../src/jobs/periodic.ts';
import { previewClosed, purgeClosed, RetentionSweeper } from '../../../src/jobs/retention.ts';
import type { Db } from '../../../src/store/db.ts';
import { changeStatus } from '../../../src/staff/tickets.ts';
import { missing, testClock, testConfig, testDb } from '../../helpers.ts';

const routing = loadRoutingConfig('dialogs/routing.yaml');
const config = testConfig();
const DAY = 86_400_000;

const kinds = [
  { kind: 'pglite' as const, skip: undefined },
  { kind: 'pg' as const, skip: missing('postgres') },
];

describe.each(kinds)('retention on $kind', ({ kind, skip }) => {
  let db: Db;
  beforeAll(async () => {
    if (!skip) db = await testDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });
  // The engine runs on a test clock 40 days back; columns the database stamps with now() are moved back to match.
  const clock = testClock(new Date(Date.now() - 40 * DAY).toISOString());
  const engine = () => new Engine({ db, router: createRouter(routing), config, clock: clock.now });
  let k = 0;
  const complain = async (key: string, word: string) => {
    const base = { channel: 'webchat', conversationKey: key, sender: { id: key } };
    await engine().handle({
      ...base,
      messageKey: `${key}-${k++}`,
      text: `My ${word} kettle leaks, order 5512${k}, last Tuesday. I want a refund. Pat Kim, pat.${word}@example.com`,
    });
    const r = await engine().handle({ ...base, messageKey: `${key}-${k++}`, text: 'yes' });
    expect(r.ticketReference).toMatch(/^CMP-/);
    return { conversation: r.conversationId, reference: r.ticketReference! };
  };
  const resolve = (reference: string, now = clock.now()) =>
    changeStatus(db, { reference, change: { status: 'resolved' }, actor: 'staff-api', now, satisfactionDays: 7 });
  const age = async (conversation: number, days = 40) => {
    const shift = [conversation, days];
    await db.query(
      'UPDATE conversations SET created_at = created_at - make_interval(days => $2), updated_at = updated_at - make_interval(days => $2) WHERE id = $1',
      shift,
    );
    await db.query(
      'UPDATE messages SET created_at = created_at - make_interval(days => $2) WHERE conversation_id = $1',
      shift,
    );
    await db.query(
      'UPDATE tickets SET created_at = created_at - make_interval(days => $2), updated_at = updated_at - make_interval(days => $2) WHERE conversation_id = $1',
      shift,
    );
  };
  const text = async (conversation: number) =>
    (
      await db.query<{ text: string }>(
        "SELECT text FROM messages WHERE conversation_id = $1 AND direction = 'in' ORDER BY id LIMIT 1",
        [conversation],
      )
    ).rows[0].text;

  it.skipIf(skip)(
    'purges quiet finished conversations in batches, once, also with two sweepers at once; open and recent ones stay',
    async () => {
      const old = [];
      for (const word of ['alpha', 'bravo', 'charlie']) {
        const c = await complain(`old-${word}`, word);
        await resolve(c.reference);
        await age(c.conversation);
        old.push(c);
      }
      // A chat that never became a ticket is finished too once it has been quiet that long.
      const abandoned = (
        await engine().handle({
          channel: 'webchat',
          conversationKey: 'abandoned',
          messageKey: 'ab-1',
          text: 'hello, my name is Jo Doe',
          sender: { id: 'ab' },
        })
      ).conversationId;
      await age(abandoned);
      const open = await complain('old-open', 'delta');
      await age(open.conversation);
      const recent = await complain('recent', 'echo');
      await resolve(recent.reference, new Date());
      // Quiet ticket, but staff wrote to the customer last week: not quiet.
      const replied = await complain('old-replied', 'foxtrot');
      await resolve(replied.reference);
      await age(replied.conversation);
      await db.query(
        "INSERT INTO messages (conversation_id, direction, channel, text, created_at) VALUES ($1, 'out', 'webchat', 'any news on the kettle?', now() - interval '7 days')",
        [replied.conversation],
      );

      const now = new Date();
      expect(await previewClosed(db, { days: 30, now })).toMatchObject({ conversations: 4, tickets: 3 });
      const [a, b] = await Promise.all([
        purgeClosed(db, { days: 30, now, batch: 2 }),
        purgeClosed(db, { days: 30, now, batch: 2 }),
      ]);
      expect(a.conversations + b.conversations).toBe(4);
      expect(a.tickets + b.tickets).toBe(3);
      expect(a.customers + b.customers).toBe(4);
      expect(a.batches + b.batches).toBeGreaterThanOrEqual(2);

      for (const c of old) {
        expect(await text(c.conversation)).toBe('[erased]');
        const t = (
          await db.query<{ status: string; department: string; restatement: string; record: unknown; erased: number }>(
            "SELECT status, department, restatement, record, (SELECT count(*)::int FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'erased' AND e.data->>'reason' = 'retention') AS erased FROM tickets t WHERE reference = $1",
            [c.reference],
          )
        ).rows[0];
        expect(t).toMatchObject({
          status: 'resolved',
          restatement: '[erased]',
          record: { customerWords: [], declined: [] },
          erased: 1,
        });
        expect(t.department).toBeTruthy();
      }
      expect(await text(abandoned)).toBe('[erased]');
      const left = await db.query<{ value: string }>('SELECT value FROM contact_points ORDER BY value');
      expect(left.rows.map((r) => r.value)).toEqual([
        'pat.delta@example.com',
        'pat.echo@example.com',
        'pat.foxtrot@example.com',
      ]);
      for (const c of [open, recent, replied]) expect(await text(c.conversation)).toMatch(/kettle leaks/);
      // Every batch is on record, without a subject.
      const rec = (
        await db.query<{ n: number; conversations: number; subjects: number }>(
          "SELECT count(*)::int AS n, sum((counts->>'conversations')::int)::int AS conversations, count(subject_hash)::int AS subjects FROM erasures WHERE reason = 'retention'",
        )
      ).rows[0];
      expect(rec).toEqual({ n: a.batches + b.batches, conversations: 4, subjects: 0 });

      // Nothing is purged twice.
      expect(await purgeClosed(db, { days: 30, now })).toMatchObject({ conversations: 0, batches: 0 });
      // Once the open one is finished and quiet for 40 days, 30 days of retention takes it and 60 do not.
      await resolve(open.reference);
      await age(open.conversation);
      expect((await previewClosed(db, { days: 30, now })).conversations).toBe(1);
      expect((await previewClosed(db, { days: 60, now })).conversations).toBe(0);
    },
  );

  it.skipIf(skip)(
    'the sweeper purges on the periodic timer, does nothing when off, and the CLI purges by hand',
    async () => {
      const off = new RetentionSweeper({ db, days: 0 });
      expect((await off.sweep()).conversations).toBe(0);

      const c = await complain('sweep', 'golf');
      await resolve(c.reference);
      await age(c.conversation);
      const sweeper = new RetentionSweeper({ db, days: 30 });
      const timer = periodic('retention purge', 0.05, () => sweeper.sweep());
      timer.start();
      await expect.poll(async () => text(c.conversation), { timeout: 10_000, interval: 50 }).toBe('[erased]');
      await timer.stop();

      const d = await complain('cli', 'hotel');
      await resolve(d.reference);
      await age(d.conversation);
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await customerCommand(['purge', '--days', '30', '--dry-run'], db)).toMatchObject({
          dryRun: true,
          days: 30,
          conversations: 1,
        });
        expect(await text(d.conversation)).toMatch(/kettle leaks/);
        expect(await customerCommand(['purge', '--days', '30'], db)).toMatchObject({
          dryRun: false,
          days: 30,
          conversations: 1,
          tickets: 1,
        });
      } finally {
        write.mockRestore();
      }
      expect(await text(d.conversation)).toBe('[erased]');
    },
  );
});
