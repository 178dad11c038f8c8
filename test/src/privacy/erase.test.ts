import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import type { Inbound, Outbound } from '../../../src/core/ports.ts';
import { customerCommand } from '../../../src/cli/customer.ts';
import { eraseCustomer } from '../../../src/privacy/erase.ts';
import { scrubEventData } from '../../../src/domain/erased.ts';
import type { Queryable } from '../../../src/store/db.ts';
import { changeStatus } from '../../../src/staff/tickets.ts';
import { missing, staffGet, startTestApp } from '../../helpers.ts';

const DAY = 86_400_000;
const EMAIL = 'dana.quill@example.org';
// Everything that identifies Dana or repeats her words: her name (also in her email), the products, order numbers, phone.
const NEEDLES = ['quill', 'zorblax', 'florpington', '88213', '77120', '5550132', '555 0132'];

const kinds = [
  { kind: 'pglite' as const, skip: undefined },
  { kind: 'pg' as const, skip: missing('postgres') },
];

/** Every row of every text, json and bytea column in `schema` that contains `needle` (case-insensitive), as table.column. */
async function whereIs(db: Queryable, schema: string, needle: string): Promise<string[]> {
  const cols = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = $1 AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY') ORDER BY 1, 2`,
    [schema],
  );
  const found: string[] = [];
  for (const c of cols.rows) {
    const col = `"${c.column_name}"`;
    const test = `${c.data_type === 'bytea' ? `encode(${col}, 'escape')` : `${col}::text`} ILIKE '%' || $1 || '%'`;
    const n = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${c.table_name}" WHERE ${test}`, [
        needle,
      ])
    ).rows[0].n;
    if (n) found.push(`${c.table_name}.${c.column_name} (${n})`);
  }
  return found;
}

describe.each(kinds)('customer erasure on $kind', ({ kind, skip }) => {
  let app: Redress;
  const sent: Outbound[][] = [];
  let smtpUp = false;
  beforeAll(async () => {
    if (skip) return;
    app = await startTestApp(kind, { jobs: false });
    // A mail server that is down until the test says otherwise: replies to the email customer wait in the outbox.
    app.deliver.register('email', {
      newExternalId: () => `<${randomUUID()}@shop.example>`,
      async send(group) {
        if (!smtpUp) throw new Error('connection refused');
        sent.push(group);
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });
  let k = 0;
  const chat = (key: string, text: string) =>
    app.engine.handle({
      channel: 'webchat',
      conversationKey: key,
      messageKey: `${key}-${k++}`,
      text,
      sender: { id: key },
    });
  const complain = async (key: string, text: string) => {
    await chat(key, text);
    const r = await chat(key, 'yes');
    expect(r.ticketReference).toMatch(/^CMP-\d+$/);
    return r;
  };
  const one = async <R>(sql: string, params: unknown[] = []) => (await app.db.query<R>(sql, params)).rows[0];
  const period = () =>
    `from=${new Date(Date.now() - DAY).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10)}`;
  const figures = async () => {
    const { body } = await staffGet(app, `/api/summary?${period()}`);
    const { topIssues: _quotes, ...rest } = body; // quotes are the customers' words: erased on purpose
    return rest;
  };

  let danaWeb: { conversationId: number; ticketReference?: string };
  let danaMail: { conversationId: number; ticketReference?: string };
  let lee: { conversationId: number; ticketReference?: string };

  it.skipIf(skip)(
    'erases one customer across web chat and email, keeps the figures, and leaves everyone else alone',
    async () => {
      danaWeb = await complain(
        'web-1',
        `My Zorblax blender caught fire and burnt the kitchen, order 88213, last Monday. I want a refund. Dana Quill, ${EMAIL}, +1 415 555 0132`,
      );
      const mail: Inbound = {
        channel: 'email',
        conversationKey: '<a1@mail.example.org>',
        messageKey: '<a1@mail.example.org>',
        externalId: '<a1@mail.example.org>',
        style: 'letter',
        text: 'Leaking Florpington kettle.\nHello, the Florpington kettle I bought leaks boiling water, order 77120, bought on 3 March. I want a replacement.\nDana Quill',
        sender: { id: EMAIL, name: 'Dana Quill' },
        address: {
          email: EMAIL,
          name: 'Dana Quill',
          subject: 'Leaking Florpington kettle',
          lastMessageId: '<a1@mail.example.org>',
          references: ['<a1@mail.example.org>'],
        },
        payload: { subject: 'Leaking Florpington kettle', messageId: '<a1@mail.example.org>' },
        attachments: [
          {
            name: 'quill-receipt.pdf',
            contentType: 'application/pdf',
            content: Buffer.from(`Receipt for Dana Quill <${EMAIL}>: Florpington kettle`),
          },
        ],
      };
      danaMail = await app.engine.handle(mail);
      expect(danaMail.ticketReference).toMatch(/^CMP-/);
      lee = await complain(
        'web-2',
        'The Grumbleworth hotel room was filthy, booking 55321, last night. I want a partial refund. Lee Park, lee.park@example.net',
      );
      await app.outbox.idle();

      // Staff resolve Dana's chat ticket; the satisfaction check goes out; her low score reopens it and schedules a second follow-up.
      await changeStatus(app.db, {
        reference: danaWeb.ticketReference!,
        change: { status: 'resolved', note: 'Rang Dana Quill, refund sent' },
        actor: 'staff-api',
        now: new Date(),
        satisfactionDays: 7,
      });
      await app.scheduler.fireDue(new Date(Date.now() + 7 * DAY + 60_000));
      await app.outbox.idle();
      const low = await chat('web-1', '2 - the Zorblax replacement is broken too');
      expect(low.replies.map((r) => r.text).join()).toMatch(/reopened/);
      const pending = await one<{ n: number }>(
        "SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND delivery = 'pending'",
        [danaMail.conversationId],
      );
      expect(pending.n).toBeGreaterThan(0);
      for (const needle of NEEDLES) expect(await whereIs(app.db, app.db.schema, needle), needle).not.toEqual([]);
      const before = await figures();
      expect(before.received.total).toBe(3);
      expect(before.satisfaction.answered).toBe(1);

      const r = await eraseCustomer(
        app.db,
        { email: ' Dana.Quill@Example.ORG ' },
        { actor: 'dpo@shop.example', now: new Date() },
      );
      expect(r).toMatchObject({
        found: true,
        dryRun: false,
        conversations: 2,
        tickets: 2,
        attachments: 1,
        previous: [],
      });
      expect(r.customers).toBeGreaterThanOrEqual(2);
      expect(r.messages).toBeGreaterThan(4);
      expect(r.outboxCancelled).toBe(pending.n);
      expect(r.followupsCancelled).toBeGreaterThan(0);

      // The strong test: nothing in any column of any table still holds her address, name, words, orders or phone.
      // The erasure's subject hash is a keyed SHA-256 in hex: 64 random hex digits hold a 5-digit needle by chance about
      // once in 10,000 runs (CI once found "77120" in it). It is the one column that cannot hold the data.
      const found = async (needle: string) =>
        (await whereIs(app.db, app.db.schema, needle)).filter((w) => !w.startsWith('erasures.subject_hash'));
      for (const needle of NEEDLES) expect(await found(needle), needle).toEqual([]);
      // ...while Lee's data is all there.
      expect((await whereIs(app.db, app.db.schema, 'grumbleworth')).map((c) => c.split(' ')[0])).toEqual(
        expect.arrayContaining(['messages.text', 'tickets.record', 'conversations.state']),
      );
      expect(
        await one('SELECT name FROM customers c JOIN conversations v ON v.customer_id = c.id WHERE v.id = $1', [
          lee.conversationId,
        ]),
      ).toEqual({ name: 'Lee Park' });
      expect(await one("SELECT count(*)::int AS n FROM contact_points WHERE value = 'lee.park@example.net'")).toEqual({
        n: 1,
      });
      expect(await one('SELECT erased_at FROM conversations WHERE id = $1', [lee.conversationId])).toEqual({
        erased_at: null,
      });

      // The figures are the same: the tickets still count, by department, severity, status, SLA and score.
      expect(await figures()).toEqual(before);
      const ticket = (await staffGet(app, `/api/tickets/${danaWeb.ticketReference}`)).body;
      expect(ticket).toMatchObject({
        status: 'reopened',
        restatement: '[erased]',
        satisfaction: 2,
        customer: { name: null, email: [], phone: [] },
      });
      expect(ticket.events.filter((e: any) => e.kind === 'erased')).toEqual([
        expect.objectContaining({ actor: 'dpo@shop.example', data: { erasureId: r.erasureId, reason: 'request' } }),
      ]);
      expect(ticket.events.find((e: any) => e.kind === 'satisfaction').data).toEqual({ score: 2, comment: '[erased]' });
      expect((await staffGet(app, `/api/tickets/${danaMail.ticketReference}`)).body.attachments).toEqual([]);

      // Recorded with counts and who asked, and a hash instead of the address.
      const rec = await one<{
        reason: string;
        requested_by: string;
        subject_hash: string;
        counts: Record<string, number>;
      }>('SELECT * FROM erasures WHERE id = $1', [r.erasureId]);
      expect(rec).toMatchObject({
        reason: 'request',
        requested_by: 'dpo@shop.example',
        counts: { conversations: 2, tickets: 2, attachments: 1, customers: r.customers, messages: r.messages },
      });
      expect(rec.subject_hash).toMatch(/^[0-9a-f]{64}$/);

      // Nothing more goes to her: the cancelled replies stay unsent and no follow-up fires into her conversations.
      smtpUp = true;
      const messagesBefore = await one<{ n: number }>(
        'SELECT count(*)::int AS n FROM messages WHERE conversation_id = ANY($1::bigint[])',
        [[danaWeb.conversationId, danaMail.conversationId]],
      );
      expect(await app.outbox.flush(new Date(Date.now() + DAY))).toEqual({ sent: 0, failed: 0 });
      await app.scheduler.fireDue(new Date(Date.now() + 60 * DAY));
      expect(sent).toEqual([]);
      expect(
        await one('SELECT count(*)::int AS n FROM messages WHERE conversation_id = ANY($1::bigint[])', [
          [danaWeb.conversationId, danaMail.conversationId],
        ]),
      ).toEqual(messagesBefore);
      expect(
        await one(
          "SELECT count(*)::int AS n FROM followups WHERE conversation_id = ANY($1::bigint[]) AND state = 'scheduled'",
          [[danaWeb.conversationId, danaMail.conversationId]],
        ),
      ).toEqual({ n: 0 });

      // The audit trail is still append-only outside an erasure.
      await expect(app.db.query("UPDATE ticket_events SET data = '{}' WHERE kind = 'erased'")).rejects.toThrow(
        /append-only/,
      );
      // Her old chat key now starts a fresh conversation instead of reopening the erased one.
      const fresh = await chat('web-1', 'hello again');
      expect(fresh.conversationId).not.toBe(danaWeb.conversationId);
    },
  );

  it.skipIf(skip)('a second erasure finds nothing and says so; an unknown customer is not an error', async () => {
    const erasures = await one<{ n: number }>('SELECT count(*)::int AS n FROM erasures');
    const again = await eraseCustomer(app.db, { email: EMAIL }, { actor: 'dpo@shop.example', now: new Date() });
    expect(again).toMatchObject({
      found: false,
      customers: 0,
      conversations: 0,
      messages: 0,
      tickets: 0,
      attachments: 0,
      erasureId: null,
    });
    expect(again.previous).toHaveLength(1);
    expect(again.note).toMatch(/nothing to erase/);
    const nobody = await eraseCustomer(app.db, { phone: '+44 20 7946 0958' }, { actor: 'dpo', now: new Date() });
    expect(nobody).toMatchObject({ found: false, customers: 0, erasureId: null, previous: [] });
    expect(await one('SELECT count(*)::int AS n FROM erasures')).toEqual(erasures);
  });

  it.skipIf(skip)('finds a customer by a phone number written any way; the CLI dry-runs unless --yes', async () => {
    const sam = await complain(
      'web-3',
      'My Snorkel broadband contract was mis-sold last Tuesday, account 99123. I want a refund. My name is Sam Oak, call me on (415) 555-0199',
    );
    expect(await one("SELECT value FROM contact_points WHERE kind = 'phone' AND value = '+14155550199'")).toBeTruthy();
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const dry = (await customerCommand(['erase', '415.555.0199'], app.db, { phoneRegion: 'US' })) as Record<
        string,
        unknown
      >;
      expect(dry).toMatchObject({ found: true, dryRun: true, conversations: 1, tickets: 1, erasureId: null });
      expect(await whereIs(app.db, app.db.schema, 'snorkel')).not.toEqual([]);
      const done = (await customerCommand(
        ['erase', '+1 415 555 0199', '--yes', '--actor', 'ticket DSR-7'],
        app.db,
      )) as Record<string, unknown>;
      expect(done).toMatchObject({ found: true, dryRun: false, conversations: 1, tickets: 1 });
      expect(JSON.parse(String(write.mock.calls.at(-1)![0]))).toEqual(done);
    } finally {
      write.mockRestore();
    }
    expect(await whereIs(app.db, app.db.schema, 'snorkel')).toEqual([]);
    expect(await one('SELECT requested_by FROM erasures ORDER BY id DESC LIMIT 1')).toEqual({
      requested_by: 'ticket DSR-7',
    });
    expect(
      await one('SELECT erased_at IS NOT NULL AS erased FROM conversations WHERE id = $1', [sam.conversationId]),
    ).toEqual({ erased: true });
  });

  it.skipIf(skip)('malformed identifiers and bad commands are usage errors', async () => {
    const now = new Date();
    for (const who of [
      { email: 'dana.quill@' },
      { email: 'not an email' },
      { phone: '12' },
      { phone: 'call me' },
      {},
      { email: EMAIL, phone: '+14155550132' },
    ]) {
      await expect(eraseCustomer(app.db, who, { actor: 'x', now }), JSON.stringify(who)).rejects.toMatchObject({
        code: 'USAGE',
      });
    }
    for (const argv of [
      ['erase'],
      ['erase', 'a@b.example', 'c@d.example'],
      ['purge'],
      ['purge', '--days', '0'],
      ['purge', '--days', 'soon'],
      ['frobnicate'],
      [],
      ['erase', 'x@y.example', '--bogus'],
    ]) {
      await expect(customerCommand(argv, app.db), argv.join(' ')).rejects.toMatchObject({ code: 'USAGE' });
    }
  });
});

describe('event data scrubbing', () => {
  it('keeps scores, ids, statuses and departments; erases every other string', () => {
    expect(
      scrubEventData({
        score: 1,
        comment: 'awful, ask for Dana',
        from: 'resolved',
        note: 'called her',
        routing: { department: 'quality', severity: 'urgent', reasons: ['keyword "fire"'], slaHours: 4 },
        messages: [1, 2],
        changed: ['email'],
        ok: true,
        none: null,
      }),
    ).toEqual({
      score: 1,
      comment: '[erased]',
      from: 'resolved',
      note: '[erased]',
      routing: { department: 'quality', severity: 'urgent', reasons: ['[erased]'], slaHours: 4 },
      messages: [1, 2],
      changed: ['email'],
      ok: true,
      none: null,
    });
  });
});
