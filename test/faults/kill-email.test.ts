/**
 * Fault: the bot process is killed with SIGKILL while it reads a mailbox (real Dovecot) and answers by SMTP (a real
 * smtp-server sink in this process, which outlives the bot). After a restart every mail has exactly one answer: one
 * stored turn, and one reply Message-ID at the sink (a reply sent just before the kill and sent again after it keeps
 * its Message-ID, which is how mail clients tell a resend from a second message).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASE_URL, missing } from '../helpers.ts';
import { startDovecot, type Dovecot } from '../channels/email/dovecot.ts';
import { append, rawMail, startSink } from '../channels/email/mail-harness.ts';
import {
  createDatabase,
  freePort,
  killAllChildren,
  spawnRedress,
  waitFor,
  type RedressChild,
  type TempDatabase,
} from './process.ts';

describe.skipIf(missing('postgres') || missing('dovecot'))('a bot process killed with SIGKILL mid-mailbox', () => {
  let db: TempDatabase;
  let dovecot: Dovecot;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let env: Record<string, string>;
  let child: RedressChild | undefined;
  beforeAll(async () => {
    db = await createDatabase(DATABASE_URL!);
    dovecot = await startDovecot();
    sink = await startSink();
    env = {
      DATABASE_URL: db.url,
      ADMIN_TOKEN,
      DIRECT_LINE_SECRET: randomBytes(32).toString('base64url'),
      IMAP_URL: dovecot.url,
      SMTP_URL: sink.url,
      MAIL_FROM: 'Complaints <complaints@shop.example>',
      MAIL_POLL_SECONDS: '1',
      MAIL_RATE_LIMIT_PER_HOUR: '1000',
      // A dead holder's mailbox lease and outbox claims run out quickly, so the test need not wait minutes.
      MAIL_LEASE_SECONDS: '3',
      OUTBOX_LEASE_SECONDS: '3',
      OUTBOX_SWEEP_SECONDS: '1',
      LOG_LEVEL: 'warn',
    };
  }, 60_000);
  afterAll(async () => {
    await killAllChildren();
    await sink?.close();
    await dovecot?.stop();
    await db?.drop();
  }, 60_000);

  it('every mail is answered exactly once after a restart', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `<kill-${i}-${randomBytes(3).toString('hex')}@customer.example>`);
    await append(
      dovecot,
      ...ids.map((messageId, i) =>
        rawMail({
          from: `Customer ${i} <c${i}@customer.example>`,
          subject: 'Broken kettle',
          body: `My kettle from order ${61000 + i} arrived broken yesterday. I want a refund.`,
          messageId,
        }),
      ),
    );
    child = await spawnRedress(env, { port: await freePort() });
    const repliedTo = () => new Set(sink.mails.map((m) => m.inReplyTo).filter((x) => x && ids.includes(x)));
    await waitFor('a first part answered', () => repliedTo().size >= 20, 120_000, 20);
    const beforeKill = repliedTo().size;
    expect(await child.kill('SIGKILL')).toBe('SIGKILL');
    const recorded = (
      await db.pool.query("SELECT count(*)::int AS n FROM messages WHERE channel = 'email' AND direction = 'in'")
    ).rows[0].n;

    child = await spawnRedress(env, { port: await freePort() });
    await waitFor('every mail answered', () => repliedTo().size === ids.length, 180_000, 100);
    await new Promise((r) => setTimeout(r, 1500)); // a late duplicate would show up here

    // One reply per mail at the sink: a resend (claimed before the kill, sent again after) keeps its Message-ID.
    const replyIds = new Map<string, Set<string>>();
    for (const m of sink.mails)
      if (m.inReplyTo && ids.includes(m.inReplyTo))
        replyIds.set(m.inReplyTo, (replyIds.get(m.inReplyTo) ?? new Set()).add(m.messageId!));
    expect([...replyIds.values()].filter((s) => s.size !== 1)).toEqual([]);
    const resent = sink.mails.filter((m) => m.inReplyTo && ids.includes(m.inReplyTo)).length - ids.length;
    // In the database: each mail stored once, answered by one turn, and nothing left to send.
    const stored = await db.pool.query(
      `SELECT i.message_key, count(DISTINCT i.id)::int AS n, count(o.id)::int AS replies FROM messages i LEFT JOIN messages o ON o.reply_to = i.id
        WHERE i.channel = 'email' AND i.direction = 'in' AND i.message_key = ANY($1) GROUP BY 1`,
      [ids],
    );
    expect(stored.rowCount).toBe(ids.length);
    expect(stored.rows.filter((r) => r.n !== 1 || r.replies < 1)).toEqual([]);
    expect(
      (await db.pool.query("SELECT count(*)::int AS n FROM messages WHERE channel = 'email' AND delivery = 'pending'"))
        .rows[0].n,
    ).toBe(0);
    console.log(
      `[kill mid-mailbox] 120 mails; answered before the kill: ${beforeKill}, recorded before the kill: ${recorded}; resent with the same Message-ID after the restart: ${resent}`,
    );
  });
});
