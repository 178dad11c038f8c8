import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { emailSender } from '../../../channels/email/send.ts';
import { slackCustomerSender } from '../../../channels/slack/customer.ts';
import { DATABASE_URL, startTestApp } from '../../helpers.ts';
import { startSink } from '../../channels/email/mail-harness.ts';
import { startFakeSlack } from '../../channels/slack/fake-slack.ts';

const routing = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
for (const d of routing.departments) d.slack_channel = `C${d.id.toUpperCase().replace(/_/g, '')}`;
const routingFile = join(mkdtempSync(join(tmpdir(), 'redress-outage-')), 'routing.yaml');
writeFileSync(routingFile, stringify(routing));

// SMTP and the Slack Web API down for minutes (time moved on by passing `now` to the outbox): nothing is lost,
// nothing is sent twice, and one conversation's messages arrive in the order they were written.
let app: Redress;
let sink: Awaited<ReturnType<typeof startSink>>;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let mailer: ReturnType<typeof emailSender>;
beforeAll(async () => {
  sink = await startSink();
  slack = await startFakeSlack();
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    env: {
      ROUTING_CONFIG: routingFile,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'outage-secret-123',
      SLACK_API_URL: slack.url,
    },
  });
  mailer = emailSender({ smtpUrl: sink.url, from: 'Complaints <complaints@shop.example>' });
  app.deliver.register('email', mailer);
  app.deliver.register('slack', slackCustomerSender(app.slack!.app));
});
afterAll(async () => {
  await app?.stop();
  mailer?.close();
  await sink?.close();
  await slack?.close();
});

const MIN = 60_000;
let k = 0;
async function say(channel: string, key: string, text: string, address: Record<string, unknown>) {
  await app.engine.handle({
    channel,
    conversationKey: key,
    messageKey: `${key}-${k++}`,
    text,
    sender: { id: key },
    address,
    style: channel === 'email' ? 'letter' : 'chat',
  });
  await app.outbox.idle(); // the turn's own delivery attempt
}
const pending = async (channel: string) =>
  (
    await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE channel = $1 AND delivery = 'pending'",
      [channel],
    )
  ).rows[0].n;

describe('outbox batches', () => {
  it('never cut one answer (a reply group) in two, however many are waiting', async () => {
    // 70 answers of several messages each, all waiting at once (the channel had no sender when they were written).
    // Answers of different sizes (a greeting gets one message, a complaint several), so claim boundaries fall mid-answer.
    for (let i = 0; i < 70; i++) {
      const text =
        i % 4 === 0 ? 'hello' : `My kettle from order ${70000 + i} arrived broken yesterday. I want a refund.`;
      await app.engine.handle({
        channel: 'batchy',
        conversationKey: `b${i}`,
        messageKey: `b${i}-1`,
        text,
        sender: { id: `b${i}` },
      });
    }
    const out = await app.db.query<{ id: number; reply_to: number }>(
      "UPDATE messages SET delivery = 'pending', next_attempt_at = now() WHERE channel = 'batchy' AND direction = 'out' RETURNING id, reply_to",
    );
    const expected = new Map<number, number[]>();
    for (const r of out.rows.sort((a, b) => a.id - b.id))
      expected.set(r.reply_to, [...(expected.get(r.reply_to) ?? []), r.id]);
    expect(out.rowCount).toBeGreaterThan(100); // more than one claim's worth
    expect(new Set([...expected.values()].map((ids) => ids.length)).size).toBeGreaterThan(1);
    const groups: string[][] = [];
    app.deliver.register('batchy', {
      async send(group) {
        groups.push(group.map((m) => String(m.id)));
      },
    });
    await app.outbox.flush(new Date(Date.now() + MIN));
    expect(groups).toHaveLength(expected.size);
    expect(groups.map((g) => g.join()).sort()).toEqual([...expected.values()].map((ids) => ids.join()).sort());
  });
});

describe('outbox when a channel is down', () => {
  it('SMTP down for minutes: replies wait, then go out once each and in the order they were written', async () => {
    const address = {
      email: 'lee@down.example',
      subject: 'Broken kettle',
      lastMessageId: '<o1@down.example>',
      references: ['<o1@down.example>'],
    };
    sink.down();
    await say(
      'email',
      '<o1@down.example>',
      'My kettle from order 44110 arrived broken yesterday. I want a refund. Lee Park',
      address,
    );
    expect(await pending('email')).toBeGreaterThan(0);
    // SMTP is back before the first reply's retry time, and the customer writes again: the new reply must not
    // overtake the one still waiting.
    sink.up();
    await say('email', '<o1@down.example>', 'It is a Breville kettle, model BKE820.', {
      ...address,
      lastMessageId: '<o2@down.example>',
    });
    expect(sink.mails).toHaveLength(0);
    sink.down();
    for (const minutes of [1, 3, 7, 15]) await app.outbox.flush(new Date(Date.now() + minutes * MIN));
    expect(sink.mails).toHaveLength(0);
    sink.up();
    await app.outbox.flush(new Date(Date.now() + 90 * MIN));
    // One email per customer message answered (its replies together), in the order the customer wrote.
    const answers = (
      await app.db.query<{ reply_to: number; text: string }>(
        "SELECT reply_to, string_agg(text, '\n' ORDER BY id) AS text FROM messages WHERE channel = 'email' AND direction = 'out' GROUP BY reply_to ORDER BY reply_to",
      )
    ).rows;
    expect(answers).toHaveLength(2);
    expect(sink.mails).toHaveLength(2);
    sink.mails.forEach((m, i) => expect(m.text).toContain(answers[i].text.split('\n')[0]));
    expect(sink.mails[0].text).toMatch(/sorry/i);
    expect(sink.mails[1].text).toMatch(/added this to complaint CMP-/);
    expect(await pending('email')).toBe(0);
    await app.outbox.flush(new Date(Date.now() + 300 * MIN));
    expect(sink.mails).toHaveLength(2);
  });

  it('Slack API down for minutes: the console post and the DM replies wait, then go out once, in order', async () => {
    slack.down();
    const address = { channel: 'D0OUTAGE', thread_ts: null };
    await say(
      'slack',
      'D0OUTAGE:',
      'My new phone from order 91230 arrived with a cracked screen yesterday. I want a replacement. Kim Ro, kim@example.com',
      address,
    );
    await say('slack', 'D0OUTAGE:', 'yes', address);
    await app.slack!.sync();
    expect(slack.calls.some((c) => c.method === 'chat.postMessage (503)')).toBe(true);
    // Each failure in a row doubles the wait before the console tries again: 30 s, 60 s, 120 s.
    const wait = async () =>
      (
        await app.db.query<{ s: number }>(
          "SELECT extract(epoch FROM s.retry_at - now())::float8 AS s FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.channel = 'slack'",
        )
      ).rows[0].s;
    const waits = [await wait()];
    for (let i = 0; i < 2; i++) {
      await app.db.query(
        "UPDATE slack_threads SET retry_at = now() - interval '1 second' WHERE ticket_id IN (SELECT id FROM tickets WHERE channel = 'slack')",
      );
      await app.slack!.sync();
      waits.push(await wait());
    }
    expect(waits.map((w) => Math.round(w / 10) * 10)).toEqual([30, 60, 120]);
    for (const minutes of [1, 5, 10]) await app.outbox.flush(new Date(Date.now() + minutes * MIN));
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
    slack.up();
    await app.outbox.flush(new Date(Date.now() + 120 * MIN));
    const dms = slack.calls
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'D0OUTAGE')
      .map((c) => c.args.text);
    const written = (
      await app.db.query<{ text: string }>(
        "SELECT text FROM messages WHERE channel = 'slack' AND direction = 'out' ORDER BY id",
      )
    ).rows.map((r) => r.text);
    expect(dms).toHaveLength(written.length);
    expect(dms.join('\n')).toMatch(/Let me check I've understood[\s\S]*Thank you for confirming/);
    expect(await pending('slack')).toBe(0);
    // The ticket's console message failed while Slack was down; it is posted once, by the sync after its retry time.
    const ref = (await app.db.query<{ reference: string }>("SELECT reference FROM tickets WHERE channel = 'slack'"))
      .rows[0].reference;
    const consolePosts = () =>
      slack.calls.filter(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.args.channel === 'CQUALITY' &&
          JSON.stringify(c.args.blocks ?? '').includes(ref),
      );
    expect(consolePosts()).toHaveLength(0);
    await app.db.query('UPDATE slack_threads SET retry_at = NULL'); // the sync waits 30 s after a failure; skip the wait
    await app.slack!.sync();
    await app.slack!.sync();
    expect(consolePosts()).toHaveLength(1);
  });
});
