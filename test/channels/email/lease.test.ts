import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedress, type Redress } from '../../../src/main.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, missing, testConfig, testDb } from '../../helpers.ts';
import { startDovecot, type Dovecot } from './dovecot.ts';
import { append, rawMail, startSink } from './mail-harness.ts';

const skip = missing('dovecot');

describe.skipIf(skip)('one mailbox, several processes: the lease', () => {
  let dovecot: Dovecot;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let db: Db;
  const apps: Redress[] = [];
  let n = 0;
  const start = async () => {
    const env = {
      ...(DATABASE_URL ? { DATABASE_URL } : {}),
      IMAP_URL: dovecot.url,
      SMTP_URL: sink.url,
      MAIL_FROM: 'Complaints <complaints@shop.example>',
      MAIL_POLL_SECONDS: '1',
      MAIL_LEASE_SECONDS: '3',
    };
    const app = await startRedress(testConfig(env), { db, jobs: false });
    apps.push(app);
    return app;
  };
  const holder = async () =>
    (
      await db.query<{ holder: string }>(
        "SELECT holder FROM leases WHERE name LIKE 'mailbox:%' AND expires_at >= now()",
      )
    ).rows[0]?.holder;
  const mail = async (count: number) => {
    const ids = Array.from({ length: count }, () => `<lease${Date.now()}-${n++}@customer.example>`);
    await append(
      dovecot,
      ...ids.map((messageId, i) =>
        rawMail({
          from: `Cust ${i} <c${n}-${i}@customer.example>`,
          subject: 'Broken kettle',
          body: `My kettle from order 5512${i} arrived broken yesterday. I want a refund.`,
          messageId,
        }),
      ),
    );
    return ids;
  };
  const answered = (ids: string[]) => ids.map((id) => sink.mails.filter((m) => m.inReplyTo === id).length);

  beforeAll(async () => {
    dovecot = await startDovecot();
    sink = await startSink();
    db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  });
  afterAll(async () => {
    for (const a of apps) await a.stop().catch(() => undefined);
    await sink?.close();
    await dovecot?.stop();
    await db?.close();
  });

  it('two processes: one reads, every mail is answered exactly once; a stopped holder hands over at once', async () => {
    const a = await start();
    await expect.poll(holder, { timeout: 10_000 }).toBeTruthy();
    const first = await holder();
    const b = await start();
    const ids = await mail(12);
    await expect.poll(() => answered(ids).every((x) => x >= 1), { timeout: 20_000 }).toBe(true);
    expect(await holder()).toBe(first);
    expect(answered(ids)).toEqual(ids.map(() => 1));
    expect(
      (
        await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM messages WHERE channel = 'email' AND direction = 'in'",
        )
      ).rows[0].n,
    ).toBe(12);

    // Graceful stop releases the lease; the other process takes the mailbox over and reads what comes next.
    const [holderApp, other] = a.inbox!.reading ? [a, b] : [b, a];
    await holderApp.stop();
    apps.splice(apps.indexOf(holderApp), 1);
    await expect.poll(() => other.inbox!.reading, { timeout: 10_000 }).toBe(true);
    expect(await holder()).toBeTruthy();
    expect(await holder()).not.toBe(first);
    const later = await mail(3);
    await expect.poll(() => answered(later), { timeout: 20_000 }).toEqual([1, 1, 1]);
    expect(answered(ids)).toEqual(ids.map(() => 1));
  });

  it('a holder that died (its lease left behind) is taken over once the lease runs out', async () => {
    for (const a of apps.splice(0)) await a.stop();
    await db.query(
      "INSERT INTO leases (name, holder, expires_at) SELECT name, 'dead-process', now() + interval '2 seconds' FROM (SELECT DISTINCT 'mailbox:' || stream AS name FROM channel_checkpoints WHERE stream LIKE 'imap:%') s ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at",
    );
    expect(await holder()).toBe('dead-process');
    const c = await start();
    expect(c.inbox!.reading).toBe(false);
    const ids = await mail(2);
    await expect.poll(() => answered(ids), { timeout: 20_000 }).toEqual([1, 1]);
    expect(await holder()).not.toBe('dead-process');
    expect(c.inbox!.reading).toBe(true);
  });
});
