import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { parseImapUrl } from '../../../channels/email/inbox.ts';
import { startRedress, type Redress } from '../../../src/main.ts';
import { eraseCustomer } from '../../../src/privacy/erase.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, missing, testConfig, testDb } from '../../helpers.ts';
import { startDovecot, type Dovecot } from './dovecot.ts';
import { append, rawMail, startSink } from './mail-harness.ts';

const skip = missing('dovecot');

describe.skipIf(skip)('erasing a customer deletes their mail from the IMAP mailbox', () => {
  let dovecot: Dovecot;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let db: Db;
  let app: Redress;

  /** Message-IDs in the mailbox now, read with a separate IMAP client. */
  const inMailbox = async (): Promise<string[]> => {
    const c = parseImapUrl(dovecot.url);
    const client = new ImapFlow({ host: c.host, port: c.port, secure: c.secure, auth: c.auth, logger: false });
    await client.connect();
    try {
      await client.mailboxOpen(c.mailbox);
      const ids: string[] = [];
      if ((client.mailbox as { exists: number }).exists)
        for await (const m of client.fetch('1:*', { envelope: true })) ids.push(m.envelope?.messageId ?? '');
      return ids;
    } finally {
      await client.logout();
    }
  };
  const answers = (id: string) => sink.mails.filter((m) => m.inReplyTo === id).length;

  beforeAll(async () => {
    dovecot = await startDovecot();
    sink = await startSink();
    db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
    const env = {
      ...(DATABASE_URL ? { DATABASE_URL } : {}),
      IMAP_URL: dovecot.url,
      SMTP_URL: sink.url,
      MAIL_FROM: 'Complaints <complaints@shop.example>',
      MAIL_POLL_SECONDS: '1',
    };
    app = await startRedress(testConfig(env), { db, jobs: false });
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
    await dovecot?.stop();
    await db?.close();
  });

  it("deletes exactly the erased customer's mails, and a re-read of the mailbox does not bring them back", async () => {
    const zoe = ['<zoe-1@erase.example>', '<zoe-2@erase.example>'];
    // Another customer whose Message-ID contains Zoe's as a substring: IMAP's header search would match it too.
    const other = '<x<zoe-1@erase.example>@other.example>';
    const kept = '<kim-1@other.example>';
    await append(
      dovecot,
      rawMail({
        from: 'Zoe Lind <zoe@erase.example>',
        subject: 'Broken lamp',
        body: 'My lamp from order 70011 arrived smashed yesterday. I want a refund.',
        messageId: zoe[0],
      }),
      rawMail({
        from: 'Zoe Lind <zoe@erase.example>',
        subject: 'Re: Broken lamp',
        body: 'Also the bulb was missing.',
        messageId: zoe[1],
        inReplyTo: zoe[0],
      }),
      rawMail({
        from: 'Kim Orr <kim@other.example>',
        subject: 'Late parcel',
        body: 'My parcel from order 70012 is a week late. I want it delivered.',
        messageId: kept,
      }),
      rawMail({
        from: 'Xi Wu <xi@other.example>',
        subject: 'Rude courier',
        body: 'The courier for order 70013 was rude yesterday. I want an apology.',
        messageId: other,
      }),
    );
    // Zoe's two mails may be answered by one mail (the outbox sends a conversation's waiting replies together).
    await expect
      .poll(() => [answers(zoe[0]) + answers(zoe[1]) > 0, answers(kept), answers(other)], { timeout: 30_000 })
      .toEqual([true, 1, 1]);
    await app.outbox.flush();
    const before = [...zoe, kept, other].map(answers);
    expect((await inMailbox()).sort()).toEqual([...zoe, kept, other].sort());

    const r = await eraseCustomer(db, { email: 'zoe@erase.example' }, { actor: 'test', now: new Date() });
    expect(r.found).toBe(true);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM mailbox_erasures')).rows[0].n).toBe(2);
    await app.inbox!.check();
    expect((await inMailbox()).sort()).toEqual([kept, other].sort());
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM mailbox_erasures')).rows[0].n).toBe(0);

    // Read the whole mailbox again (as after a new UIDVALIDITY): nothing of Zoe's comes back, nothing is answered twice.
    await db.query('DELETE FROM channel_checkpoints');
    await app.inbox!.check();
    await app.outbox.flush();
    expect([...zoe, kept, other].map(answers)).toEqual(before);
    const words = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE text LIKE '%lamp%' OR text LIKE '%bulb%'",
    );
    expect(words.rows[0].n).toBe(0);
  });
});
