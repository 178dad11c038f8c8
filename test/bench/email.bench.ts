/**
 * Email benchmark: 1,000 real complaints in a Dovecot mailbox; emails per second from the bot starting on the full
 * mailbox to the last reply arriving at the SMTP sink, next to how fast imapflow alone fetches the same messages.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ImapFlow } from 'imapflow';
import { startRedress } from '../../src/main.ts';
import { openDb } from '../../src/store/db.ts';
import { testConfig } from '../helpers.ts';
import { startDovecot } from '../channels/email/dovecot.ts';
import { append, rawMail, startSink } from '../channels/email/mail-harness.ts';

const N = Number(process.env.BENCH_EMAILS ?? 1000);
const DATABASE_URL = process.env.DATABASE_URL;
const tweets = parse(readFileSync('test/fixtures/en-twitter-complaints-sample.csv'), { columns: true }) as Array<{
  text: string;
}>;
const reviews = parse(readFileSync('test/fixtures/zh-shopping-complaints-sample.csv'), { columns: true }) as Array<{
  review: string;
}>;
const texts = [...tweets.map((t) => t.text), ...reviews.map((r) => r.review)];

const dovecot = await startDovecot();
const sink = await startSink();
const mails = Array.from({ length: N }, (_, i) =>
  rawMail({
    from: `customer${i}@bench.example`,
    subject: `Complaint ${i}`,
    body: `${texts[i % texts.length]}\n\nOrder ${100000 + i}, yesterday. I want a refund.`,
    messageId: `<bench-${i}@bench.example>`,
  }),
);
for (let i = 0; i < N; i += 100) await append(dovecot, ...mails.slice(i, i + 100));

// imapflow alone: fetch every message's full source once.
const raw = new ImapFlow({
  host: '127.0.0.1',
  port: dovecot.port,
  secure: false,
  auth: { user: dovecot.user, pass: dovecot.pass },
  logger: false,
});
await raw.connect();
await raw.mailboxOpen('INBOX');
let t = performance.now();
let fetched = 0;
for await (const m of raw.fetch('1:*', { source: true })) fetched += m.source ? 1 : 0;
const rawSeconds = (performance.now() - t) / 1000;
await raw.logout();

const schema = `bench_mail_${Date.now()}`;
const db = await openDb(DATABASE_URL ? { databaseUrl: DATABASE_URL, schema } : { schema });
t = performance.now();
const app = await startRedress(
  testConfig({
    ...(DATABASE_URL ? { DATABASE_URL } : {}),
    IMAP_URL: dovecot.url,
    SMTP_URL: sink.url,
    MAIL_FROM: 'Complaints <complaints@shop.example>',
    MAIL_POLL_SECONDS: '1',
    MAIL_RATE_LIMIT_PER_HOUR: '1000',
  }),
  { db, jobs: false },
);
while (sink.mails.length < N) {
  await new Promise((r) => setTimeout(r, 50));
  if (performance.now() - t > 600_000) throw new Error(`only ${sink.mails.length} replies after 10 minutes`);
}
const botSeconds = (performance.now() - t) / 1000;
await app.stop();
if (DATABASE_URL)
  await db.query(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`).catch(() => {});
await db.close();
await sink.close();
await dovecot.stop();

const rawRate = fetched / rawSeconds;
const botRate = N / botSeconds;
console.log(`\nEmail: ${N} complaints on ${DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`);
console.log(`| what | emails | seconds | emails/s |\n| --- | ---: | ---: | ---: |`);
console.log(`| imapflow fetch only | ${fetched} | ${rawSeconds.toFixed(2)} | ${rawRate.toFixed(0)} |`);
console.log(`| Redress: fetch, parse, turn, reply by SMTP | ${N} | ${botSeconds.toFixed(2)} | ${botRate.toFixed(0)} |`);
console.log(
  `ratio ${(botRate / rawRate).toFixed(3)} (goal >= 0.25): ${botRate / rawRate >= 0.25 ? 'HOLDS' : 'NOT MET'}`,
);
process.exit(0);
