/** Slack's per-ticket state: migration 0015 moves it out of tickets intact, and the console's queue works on its table. */
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/store/db.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { slackThreadRowSchema, slackThreads } from '../../../src/store/slack.ts';
import { addEvent } from '../../../src/store/tickets.ts';
import { DATABASE_URL, missing, schemaName, testDb } from '../../helpers.ts';
import { fixtureConversation, fixtureTicket } from './ticket-fixture.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';
const open = (): Promise<Db> =>
  openDb(DATABASE_URL ? { databaseUrl: DATABASE_URL, schema: schemaName() } : { schema: schemaName() });

describe(`migration 0015 on ${kind}`, () => {
  // The database as it was before: migrations up to 0014, Slack's state in columns of tickets.
  const before = mkdtempSync(join(tmpdir(), 'redress-migrations-'));
  for (const f of readdirSync('migrations').filter((f) => f < '0015')) cpSync(join('migrations', f), join(before, f));
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await migrate(db, before);
  });
  afterAll(async () => db?.close());

  it("copies every ticket's Slack state into slack_threads and drops the columns, keeping claimed_by", async () => {
    // Written as the old code wrote them: a posted, claimed ticket mid-backoff, and one not posted yet.
    const retry = new Date('2030-01-02T03:04:05.000Z');
    const elsewhere = [{ channel: 'COLD', ts: '1.000001', card: true }];
    const legacy = async (n: number, slack: unknown[]) => {
      const { conv, customer } = await fixtureConversation(db, `legacy-${n}`);
      return (
        await db.query<{ id: number }>(
          `INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, record, restatement, sla_due_at,
                                claimed_by, slack_channel, slack_ts, slack_event_cursor, slack_retry_at, slack_failures, slack_elsewhere)
           VALUES ($1, $2, $3, 'webchat', 'en', 'quality', 'product_quality', 'ordinary', 'open', '{}', 'x', now() + interval '3 days',
                   $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [`CMP-${900000 + n}`, conv, customer, ...slack],
        )
      ).rows[0].id;
    };
    const posted = await legacy(1, ['U0STAFF01', 'CQUALITY', '2.000002', 41, retry, 3, JSON.stringify(elsewhere)]);
    const unposted = await legacy(2, [null, null, null, 0, null, 0, '[]']);

    expect(await migrate(db)).toContain('0015_slack_threads.sql');

    const rows = (await db.query('SELECT * FROM slack_threads ORDER BY ticket_id')).rows.map((r) =>
      slackThreadRowSchema.parse(r),
    );
    expect(rows).toEqual([
      {
        ticket_id: posted,
        channel: 'CQUALITY',
        ts: '2.000002',
        event_cursor: 41,
        retry_at: retry,
        failures: 3,
        elsewhere,
      },
      { ticket_id: unposted, channel: null, ts: null, event_cursor: 0, retry_at: null, failures: 0, elsewhere: [] },
    ]);
    const columns = (
      await db.query<{ name: string }>(
        "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'tickets'",
      )
    ).rows.map((c) => c.name);
    expect(columns.filter((c) => c.startsWith('slack_'))).toEqual([]);
    expect(columns).toContain('claimed_by');
    expect((await db.query('SELECT claimed_by FROM tickets WHERE id = $1', [posted])).rows[0]).toEqual({
      claimed_by: 'U0STAFF01',
    });
  });
});

describe(`the Slack console's queue on ${kind}`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb(kind);
  });
  afterAll(async () => db?.close());

  let n = 0;
  const ticket = () => fixtureTicket(db, `queue-${++n}`);

  it('has a SlackThreadRow field for every column of slack_threads, and no other', async () => {
    const columns = await db.query<{ name: string }>(
      "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'slack_threads'",
    );
    expect(columns.rows.map((c) => c.name).sort()).toEqual(Object.keys(slackThreadRowSchema.shape).sort());
  });

  it('queues a new ticket, leases it to one caller, and finds it by its card once posted', async () => {
    const store = slackThreads(db);
    const t = await ticket();
    const now = new Date();
    expect((await store.unposted(now)).map((c) => c.reference)).toEqual([t.reference]);
    // Leased: a second sync (another process) does not post it too.
    expect(await store.unposted(now)).toEqual([]);
    expect(await store.posted(t.id, 'CQUALITY', '5.000005')).toBe(true);
    expect(await store.posted(t.id, 'CQUALITY', '6.000006')).toBe(false);
    expect(await store.byMessage('CQUALITY', '5.000005')).toEqual({ reference: t.reference, department: 'quality' });

    await db.transaction((tx) => addEvent(tx, t.id, 'claimed', 'slack:U0STAFF01'));
    const [synced] = await store.withNewEvents(now);
    expect(synced.card).toMatchObject({ id: t.id, slackChannel: 'CQUALITY', slackTs: '5.000005', elsewhere: [] });
    expect(synced.events.map((e) => e.kind)).toEqual(['claimed']);
    await store.advance(t.id, synced.events[0].id);
    await store.release(t.id);
    expect(await store.withNewEvents(now)).toEqual([]);

    // Moved to another department's channel: the old card is remembered, and the ticket is queued to post again.
    await store.moved(t.id);
    expect(await store.byMessage('CQUALITY', '5.000005')).toBeUndefined();
    const [again] = await store.unposted(now);
    expect(again).toMatchObject({
      id: t.id,
      slackTs: null,
      elsewhere: [{ channel: 'CQUALITY', ts: '5.000005', card: true }],
    });
  });

  it('backs off after failures, 30 s doubling, or as long as Slack said', async () => {
    const store = slackThreads(db);
    const t = await ticket();
    const now = new Date('2031-01-01T00:00:00.000Z');
    const retryAt = async () =>
      (await db.query<{ retry_at: Date }>('SELECT retry_at FROM slack_threads WHERE ticket_id = $1', [t.id])).rows[0]
        .retry_at;
    await store.failed(t.id, now);
    expect(await retryAt()).toEqual(new Date(now.getTime() + 30_000));
    await store.failed(t.id, now);
    expect(await retryAt()).toEqual(new Date(now.getTime() + 60_000));
    await store.failed(t.id, now, 7);
    expect(await retryAt()).toEqual(new Date(now.getTime() + 7_000));
  });

  // Two connections are needed to hold a transaction open beside the sync: PostgreSQL only (PGlite has one).
  it.skipIf(missing('postgres'))(
    'skips a ticket while a transaction adding its event is still open, so the cursor never passes that event',
    async () => {
      const store = slackThreads(db);
      const t = await ticket();
      const now = new Date();
      await store.unposted(now);
      await store.posted(t.id, 'CQUALITY', `7.${t.id}`);
      let commit!: () => void;
      const held = new Promise<void>((r) => (commit = r));
      let added!: () => void;
      const adding = new Promise<void>((r) => (added = r));
      const open = db.transaction(async (tx) => {
        await addEvent(tx, t.id, 'claimed', 'slack:U0STAFF01');
        added();
        await held;
      });
      try {
        await adding;
        // A later event commits first: syncing it now would move the cursor past the one still in flight.
        await db.transaction((tx) => addEvent(tx, t.id, 'resolved', 'slack:U0STAFF02'));
        expect((await store.withNewEvents(now)).map((s) => s.card.id)).not.toContain(t.id);
      } finally {
        commit();
        await open;
      }
      const synced = (await store.withNewEvents(now)).find((s) => s.card.id === t.id);
      expect(synced?.events.map((e) => e.kind)).toEqual(['claimed', 'resolved']);
    },
  );
});
