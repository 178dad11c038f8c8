import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, staffGet, startTestApp } from '../../helpers.ts';
import { startFakeSlack } from './fake-slack.ts';
import { complainTo } from './slack-harness.ts';
import { startSink } from '../email/mail-harness.ts';

const SECRET = 'slack-signing-secret-for-tests';
const routing = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
for (const d of routing.departments) d.slack_channel = `C${d.id.toUpperCase().replace(/_/g, '')}`;
routing.departments.find((d: any) => d.id === 'quality').oncall = 'SONCALL01';
routing.departments.find((d: any) => d.id === 'quality').escalation_slack = 'CESCALATE';
const STAFF = ['U0STAFF01', 'U0STAFF02', 'U0STAFF03', 'U0STAFF09'];
const dir = mkdtempSync(join(tmpdir(), 'redress-slack-'));
writeFileSync(join(dir, 'routing.yaml'), stringify(routing));

let app: Redress;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let sink: Awaited<ReturnType<typeof startSink>>;
let mailer: { close(): void } | undefined;
beforeAll(async () => {
  slack = await startFakeSlack();
  for (const d of routing.departments) slack.members(d.slack_channel, STAFF);
  sink = await startSink();
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    env: {
      ROUTING_CONFIG: join(dir, 'routing.yaml'),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
    },
  });
  // The email push channel, for the staff reply to an email customer (the inbox is not needed here).
  const { emailSender } = await import('../../../channels/email/send.ts');
  const sender = emailSender({ smtpUrl: sink.url, from: 'Complaints <complaints@shop.example>' });
  mailer = sender;
  app.deliver.register('email', sender);
});
afterAll(async () => {
  await app?.stop();
  mailer?.close(); // its pooled SMTP connection would hold the sink open
  await slack?.close();
  await sink?.close();
});

/** A request signed as Slack signs it. */
function signed(body: string, type: string, secret = SECRET, headers: Record<string, string> = {}) {
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return fetch(`${app.url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': type, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig, ...headers },
    body,
  });
}
const action = (actionId: string, value: string, user = 'U0STAFF01', selected = false) =>
  signed(
    `payload=${encodeURIComponent(
      JSON.stringify({
        type: 'block_actions',
        user: { id: user, username: 'staff' },
        team: { id: 'T00000000' },
        api_app_id: 'A00000000',
        token: 'legacy',
        trigger_id: `trig-${Math.random()}`,
        channel: { id: 'CQUALITY' },
        container: { type: 'message', message_ts: '1.1', channel_id: 'CQUALITY' },
        actions: [
          {
            action_id: actionId,
            block_id: 'b',
            type: selected ? 'static_select' : 'button',
            ...(selected ? { selected_option: { value } } : { value }),
            action_ts: `${Date.now() / 1000}${Math.random()}`,
          },
        ],
      }),
    )}`,
    'application/x-www-form-urlencoded',
  );
const complain = (channel: string, key: string, text: string, address: Record<string, unknown> = {}) =>
  complainTo(app, channel, key, text, address);
const posts = (ref: string) =>
  slack.calls.filter(
    (c) => c.method === 'chat.postMessage' && !c.args.thread_ts && JSON.stringify(c.args.blocks ?? '').includes(ref),
  );

describe('Slack staff console', () => {
  let ref: string;

  it('answers url_verification and refuses a forged signature without writing anything', async () => {
    const ok = await signed(
      JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }),
      'application/json',
    );
    expect(await ok.json()).toEqual({ challenge: 'abc123' });
    const before = (await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM slack_seen')).rows[0].n;
    const forged = await signed(
      JSON.stringify({
        type: 'event_callback',
        event_id: 'EvForged',
        event: { type: 'message', channel: 'CQUALITY', user: 'U1', text: 'hi', ts: '1.2', thread_ts: '1.1' },
      }),
      'application/json',
      'wrong-secret',
    );
    expect(forged.status).toBe(401);
    expect((await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM slack_seen')).rows[0].n).toBe(before);
  });

  it('posts a routed ticket once to its department channel with the buttons; customer text cannot ping anyone', async () => {
    ref = await complain(
      'webchat',
      'wc-slack',
      'My kettle from order 90121 arrived broken and caught fire yesterday <!channel> <@U123> *bold* — I want a replacement. Ana Ruiz, ana@example.com',
    );
    await app.slack!.sync();
    await app.slack!.sync();
    const p = posts(ref);
    expect(p).toHaveLength(1);
    expect(p[0].args.channel).toBe('CQUALITY');
    const blocks = p[0].args.blocks as any[];
    const actions = blocks.find((b) => b.type === 'actions').elements.map((e: any) => e.action_id);
    expect(actions).toEqual(['claim', 'reply', 'resolve', 'reassign', 'severity', 'tier']);
    expect(JSON.stringify(blocks)).toContain('<!subteam^SONCALL01>');
    // Customer words only in plain_text (no mentions there) or escaped.
    const mrkdwn = JSON.stringify(
      blocks.flatMap((b) => [b.text, ...(b.fields ?? []), ...(b.elements ?? [])]).filter((x) => x?.type === 'mrkdwn'),
    );
    expect(mrkdwn).not.toMatch(/<!channel>|<@U123>/);
    expect(p[0].args.text).not.toMatch(/<!channel>|<@U123>/);
    // What the customer writes next goes to the thread, escaped.
    await app.engine.handle({
      channel: 'webchat',
      conversationKey: 'wc-slack',
      messageKey: 'wc-slack-more',
      text: 'Also: <!channel> <@U123> *bold* please hurry',
      sender: { id: 'wc-slack' },
    });
    await app.slack!.sync();
    const line = slack.calls.find(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts && /Customer wrote/.test(c.args.text),
    )!;
    expect(line.args.text).toBe('Customer wrote: Also: &lt;!channel&gt; &lt;@U123&gt; *bold* please hurry');
    for (const c of slack.calls) expect(JSON.stringify(c.args)).not.toMatch(/<!channel>|<@U123>/);
  });

  it('Claim, Change severity, Reassign and Resolve change the ticket and update the message in place', async () => {
    expect((await action('claim', ref)).status).toBe(200);
    await expect
      .poll(async () => (await staffGet(app, `/api/tickets/${ref}`)).body.status, { timeout: 5000 })
      .toBe('in_progress');
    await app.slack!.sync();
    let t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.status).toBe('in_progress');
    expect(t.events.find((e: any) => e.kind === 'claimed')).toMatchObject({ actor: 'slack:U0STAFF01' });
    expect(t.claimedBy).toBe('U0STAFF01');
    const update = slack.calls.filter((c) => c.method === 'chat.update').at(-1)!;
    expect(JSON.stringify(update.args.blocks)).toContain('claimed by <@U0STAFF01>');
    expect(
      slack.calls.some(
        (c) => c.method === 'chat.postMessage' && c.args.thread_ts && /claimed this ticket/.test(c.args.text),
      ),
    ).toBe(true);

    await action('severity', `${ref}|serious`, 'U0STAFF01', true);
    await action('reassign', `${ref}|after_sales`, 'U0STAFF02', true);
    // Resolve opens a modal (test/channels/slack/resolve.test.ts tries it in full); its submission resolves.
    await action('resolve', ref, 'U0STAFF02');
    await expect
      .poll(() => slack.calls.filter((c) => c.method === 'views.open').at(-1)?.args.view ?? '', { timeout: 5000 })
      .toContain('resolve_ticket');
    const field = (value: string | null, selected = false) => ({
      value: selected ? { selected_option: { value } } : { value },
    });
    await signed(
      `payload=${encodeURIComponent(
        JSON.stringify({
          type: 'view_submission',
          team: { id: 'T00000000' },
          user: { id: 'U0STAFF02', username: 'staff2' },
          api_app_id: 'A00000000',
          token: 'legacy',
          trigger_id: 'trig-r',
          view: {
            id: 'V0RESOLVE1',
            hash: 'r1',
            type: 'modal',
            callback_id: 'resolve_ticket',
            private_metadata: ref,
            state: {
              values: {
                remedy: field('replacement', true),
                amount: field(null),
                currency: field('EUR'),
                cost: field('35'),
                cause: field('product_defect', true),
                message: field('A new kettle is on its way.'),
              },
            },
          },
        }),
      )}`,
      'application/x-www-form-urlencoded',
    );
    await expect
      .poll(
        async () => {
          const b = (await staffGet(app, `/api/tickets/${ref}`)).body;
          return [b.severity, b.department, b.status];
        },
        { timeout: 5000 },
      )
      .toEqual(['serious', 'after_sales', 'resolved']);
    await app.slack!.sync();
    t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t).toMatchObject({ severity: 'serious', department: 'after_sales', status: 'resolved' });
    expect(t.followups.find((f: any) => f.kind === 'satisfaction_check')).toMatchObject({ state: 'scheduled' });
    expect(t.events.map((e: any) => e.actor)).toEqual(expect.arrayContaining(['slack:U0STAFF01', 'slack:U0STAFF02']));
    expect(JSON.stringify(slack.calls.filter((c) => c.method === 'chat.update').at(-1)!.args.blocks)).toMatch(
      /resolved/,
    );
    // Reassigned to another department, the ticket moves to that department's channel.
    await app.slack!.sync();
    expect(
      slack.calls.some(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.args.channel === 'CQUALITY' &&
          c.args.text === 'Moved to <#CAFTERSALES>; follow it there.',
      ),
    ).toBe(true);
    const moved = posts(ref).filter((c) => c.args.channel === 'CAFTERSALES');
    expect(moved).toHaveLength(1);
    // The card in its new channel shows the resolution: posted so, or updated in place when the post came first (the
    // Resolve modal is submitted after the reassignment, and each action syncs at once).
    const card = [
      moved[0],
      ...slack.calls.filter((c) => c.method === 'chat.update' && c.args.channel === 'CAFTERSALES'),
    ];
    expect(JSON.stringify(card.at(-1)!.args.blocks)).toMatch(/resolved — claimed by <@U0STAFF01>/);
  });

  it('only members of the department channel (or its named staff) can act; others are told, privately, and nothing changes', async () => {
    const other = await complain(
      'webchat',
      'wc-outsider',
      'My new phone from order 66221 arrived with a cracked screen yesterday. I want a replacement. Al Ma, al@example.com',
    );
    await app.slack!.sync();
    await action('claim', other, 'U0OUTSIDER');
    await expect
      .poll(() => slack.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0OUTSIDER').length, {
        timeout: 5000,
      })
      .toBe(1);
    expect(slack.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0OUTSIDER')!.args.text).toBe(
      `Only members of <#CQUALITY> can act on ${other}.`,
    );
    const t = (await staffGet(app, `/api/tickets/${other}`)).body;
    expect(t).toMatchObject({ status: 'open', claimedBy: null });
    expect(t.events.some((e: any) => e.actor === 'slack:U0OUTSIDER')).toBe(false);
    // A reply by an outsider in the thread does not reach the customer either.
    const { slack_ts: ts } = (
      await app.db.query<{ slack_ts: string }>(
        'SELECT s.ts AS slack_ts FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [other],
      )
    ).rows[0];
    await signed(
      JSON.stringify({
        type: 'event_callback',
        event_id: 'Ev0OUTSIDE',
        event: {
          type: 'message',
          channel: 'CQUALITY',
          channel_type: 'channel',
          user: 'U0OUTSIDER',
          text: 'Give me your card number',
          ts: `${Date.now() / 1000}`,
          thread_ts: ts,
        },
      }),
      'application/json',
    );
    await expect
      .poll(() => slack.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0OUTSIDER').length, {
        timeout: 5000,
      })
      .toBe(2);
    expect(
      (await app.db.query("SELECT 1 FROM messages WHERE text = 'Give me your card number' AND direction = 'out'"))
        .rowCount,
    ).toBe(0);
  });

  it('Reply to customer opens a modal; its submission reaches the customer once, an empty one is refused', async () => {
    const r = await complain(
      'webchat',
      'wc-modal',
      'The courier left my new phone, order 77331, in the rain yesterday and it is broken. I want a replacement. Jo Yi, jo@example.com',
    );
    await app.slack!.sync();
    await action('reply', r, 'U0STAFF03');
    await expect
      .poll(() => JSON.stringify(slack.calls.filter((c) => c.method === 'views.open').at(-1)?.args ?? ''), {
        timeout: 5000,
      })
      .toContain('reply_to_customer');
    const open = slack.calls.filter((c) => c.method === 'views.open').at(-1)!;
    const view = typeof open.args.view === 'string' ? JSON.parse(open.args.view) : open.args.view;
    expect(open.args.trigger_id).toMatch(/^trig-/);
    expect(view).toMatchObject({ type: 'modal', callback_id: 'reply_to_customer', private_metadata: r });
    const submit = (text: string, hash: string) =>
      signed(
        `payload=${encodeURIComponent(
          JSON.stringify({
            type: 'view_submission',
            team: { id: 'T00000000' },
            user: { id: 'U0STAFF03', username: 'staff3' },
            api_app_id: 'A00000000',
            token: 'legacy',
            trigger_id: 'trig-v',
            view: {
              id: 'V0MODAL1',
              hash,
              type: 'modal',
              callback_id: 'reply_to_customer',
              private_metadata: r,
              state: { values: { reply: { text: { type: 'plain_text_input', value: text } } } },
            },
          }),
        )}`,
        'application/x-www-form-urlencoded',
      );
    const empty = await submit('   ', 'h1');
    expect(await empty.json()).toEqual({ response_action: 'errors', errors: { reply: 'Write the reply to send.' } });
    expect((await submit('A courier will collect it tomorrow <!channel>.', 'h2')).status).toBe(200);
    expect((await submit('A courier will collect it tomorrow <!channel>.', 'h2')).status).toBe(200); // Slack's retry
    const sent = async () =>
      (
        await app.db.query<{ text: string }>(
          "SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = 'wc-modal' AND m.direction = 'out' AND m.text LIKE 'A courier%'",
        )
      ).rows;
    await expect.poll(sent, { timeout: 5000 }).toHaveLength(1);
    await app.slack!.sync();
    const line = slack.calls.find(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts && /replied to the customer/.test(c.args.text),
    )!;
    expect(line.args.text).toBe(
      '<@U0STAFF03> replied to the customer: A courier will collect it tomorrow &lt;!channel&gt;.',
    );
  });

  it("shows a Chinese customer's own words beside the restatement", async () => {
    let r: { ticketReference?: string } = {};
    for (const [i, text] of [
      '我在你们店买的手机屏幕碎了，订单号 88812345，我要退款',
      '是的',
      '昨天',
      '我叫张伟',
      '13800138000',
    ].entries()) {
      r = await app.engine.handle({
        channel: 'webchat',
        conversationKey: 'wc-zh',
        messageKey: `wc-zh-${i}`,
        text,
        sender: { id: 'wc-zh' },
      });
    }
    await app.slack!.sync();
    const blocks = JSON.stringify(posts(r.ticketReference!)[0].args.blocks);
    expect(blocks).toContain(
      'Original text (Chinese, simplified): 我在你们店买的手机屏幕碎了，订单号 88812345，我要退款',
    );
  });

  it('an SLA warning in the thread mentions whoever claimed the ticket', async () => {
    const sla = await complain(
      'webchat',
      'wc-sla',
      'My new phone, order 44019, arrived with a cracked screen yesterday. I want a replacement. Ed Wu, ed@example.com',
    );
    await app.slack!.sync();
    await action('claim', sla, 'U0STAFF09');
    await expect
      .poll(async () => (await staffGet(app, `/api/tickets/${sla}`)).body.status, { timeout: 5000 })
      .toBe('in_progress');
    expect(await app.scheduler.fireDue(new Date(Date.now() + 5 * 86_400_000))).toBeGreaterThanOrEqual(1);
    await app.slack!.sync();
    const warnings = slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && /SLA warning/.test(c.args.text ?? ''),
    );
    expect(warnings.map((w) => w.args.text)).toContainEqual(expect.stringMatching(/^<@U0STAFF09> SLA warning: due /));
    // Past the SLA, the breach is escalated to the department's escalation target, here a channel.
    const ts = (
      await app.db.query<{ slack_ts: string }>(
        'SELECT s.ts AS slack_ts FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [sla],
      )
    ).rows[0].slack_ts;
    const breach = slack.calls.find(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && /SLA breached/.test(c.args.text),
    )!;
    expect(breach.args.text).toMatch(/^<#CESCALATE> SLA breached \(was due .+\): escalated to quality-lead$/);
    expect(
      slack.calls.some(
        (c) => c.method === 'chat.postMessage' && c.args.channel === 'CESCALATE' && c.args.text.startsWith(`${sla} (`),
      ),
    ).toBe(true);
    expect(
      (await staffGet(app, `/api/tickets/${sla}`)).body.events.filter((e: any) => e.kind === 'sla_breached'),
    ).toHaveLength(1);
  });

  it('a staff reply in the thread reaches a web-chat customer; a retried event has no second effect', async () => {
    const { slack_ts: ts, slack_channel: channel } = (
      await app.db.query<{ slack_ts: string; slack_channel: string }>(
        'SELECT s.ts AS slack_ts, s.channel AS slack_channel FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [ref],
      )
    ).rows[0];
    const event = JSON.stringify({
      token: 'x',
      team_id: 'T00000000',
      api_app_id: 'A00000000',
      type: 'event_callback',
      event_id: 'Ev0REPLY1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        channel,
        channel_type: 'channel',
        user: 'U0STAFF01',
        text: 'We have issued your refund &amp; a voucher.',
        ts: `${Date.now() / 1000}`,
        thread_ts: ts,
      },
    });
    expect((await signed(event, 'application/json')).status).toBe(200);
    expect(
      (
        await signed(event, 'application/json', SECRET, {
          'x-slack-retry-num': '1',
          'x-slack-retry-reason': 'http_timeout',
        })
      ).status,
    ).toBe(200);
    // Slack is acknowledged first and the work done after, so the reply lands shortly after the 200.
    const replies = async () =>
      (
        await app.db.query<{ text: string }>(
          "SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = 'wc-slack' AND m.direction = 'out' AND m.text LIKE 'We have issued%'",
        )
      ).rows.map((r) => r.text);
    await expect.poll(replies, { timeout: 5000 }).toEqual(['We have issued your refund & a voucher.']);
    await new Promise((r) => setTimeout(r, 300));
    expect(await replies()).toHaveLength(1);
    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.events.filter((e: any) => e.kind === 'staff_reply')).toHaveLength(1);
  });

  it('a staff reply reaches an email customer by email, in their thread', async () => {
    const eref = await complain(
      'email',
      '<orig-1@customer.example>',
      'My sofa, order 88110, arrived torn yesterday. I want a replacement. Bo Lin',
      {
        email: 'bo@customer.example',
        subject: 'Torn sofa',
        lastMessageId: '<orig-1@customer.example>',
        references: ['<orig-1@customer.example>'],
      },
    );
    await app.slack!.sync();
    const ts = (
      await app.db.query<{ slack_ts: string; slack_channel: string }>(
        'SELECT s.ts AS slack_ts, s.channel AS slack_channel FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [eref],
      )
    ).rows[0];
    await signed(
      JSON.stringify({
        type: 'event_callback',
        event_id: 'Ev0REPLY2',
        event: {
          type: 'message',
          channel: ts.slack_channel,
          user: 'U0STAFF03',
          text: 'A new sofa is on its way.',
          ts: `${Date.now() / 1000}`,
          thread_ts: ts.slack_ts,
        },
      }),
      'application/json',
    );
    await expect
      .poll(
        async () => {
          await app.outbox.flush();
          return sink.mails.find((m) => m.text?.includes('A new sofa is on its way.'));
        },
        { timeout: 10_000 },
      )
      .toBeTruthy();
    const mail = sink.mails.find((m) => m.text?.includes('A new sofa is on its way.'))!;
    expect(mail.inReplyTo).toBe('<orig-1@customer.example>');
    expect(mail.subject).toBe(`Re: Torn sofa [${eref}]`);
  });

  it("/complaints lists the channel department's open tickets and shows one, ephemerally", async () => {
    const open = await complain(
      'webchat',
      'wc-cmd',
      'My new phone from order 66001 arrived with a cracked screen yesterday. I want a replacement. Di Ho, di@example.com',
    );
    const command = (text: string) =>
      signed(
        new URLSearchParams({
          token: 'legacy',
          team_id: 'T00000000',
          channel_id: 'CQUALITY',
          channel_name: 'quality',
          user_id: 'U0STAFF01',
          user_name: 'staff',
          command: '/complaints',
          text,
          response_url: 'https://hooks.slack.com/commands/T0/1/x',
          trigger_id: '1.2.3',
          api_app_id: 'A00000000',
        }).toString(),
        'application/x-www-form-urlencoded',
      );
    const list = await (await command('open')).json();
    expect(list.response_type).toBe('ephemeral');
    expect(list.text).toContain(open);
    const one = await (await command(open)).json();
    expect(one.text).toMatch(new RegExp(`^${open} — `));
    expect(one.text).toMatch(/cracked screen/);
    expect((await (await command('nonsense')).json()).text).toMatch(/Usage/);
  });

  it('a person who messages the bot directly goes through the same dialog, answered in the DM', async () => {
    const dm = (id: string, text: string) =>
      signed(
        JSON.stringify({
          type: 'event_callback',
          event_id: id,
          team_id: 'T00000000',
          event: {
            type: 'message',
            channel: 'D0CUSTOMER',
            channel_type: 'im',
            user: 'U0CUSTOMER',
            text,
            ts: `${Date.now() / 1000}`,
          },
        }),
        'application/json',
      );
    await dm('Ev0DM1', 'My new phone from order 55010 arrived with a cracked screen yesterday <!channel>');
    const answers = () =>
      slack.calls
        .filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'D0CUSTOMER')
        .map((c) => c.args.text as string);
    await expect
      .poll(
        async () => {
          await app.outbox.flush();
          return answers().join('\n');
        },
        { timeout: 5000 },
      )
      .toMatch(/Let me check I've understood: your phone \(order 55010\) arrived damaged, with a cracked screen/);
    expect(answers().join('\n')).not.toMatch(/<!channel>/);
    await dm('Ev0DM2', 'yes');
    await expect
      .poll(
        async () => {
          await app.outbox.flush();
          return answers().join('\n');
        },
        { timeout: 5000 },
      )
      .toMatch(/Thank you for confirming/);
  });

  it('a 429 is retried after Retry-After, and the post is not lost', async () => {
    await app.slack!.sync(); // nothing else waiting: the limit falls on the new ticket's post
    slack.rateLimit('chat.postMessage', 1, 1);
    const r2 = await complain(
      'webchat',
      'wc-429',
      'The courier was rude and threw my new phone over the fence, order 77001, yesterday. I want an apology. Cy Park, cy@example.com',
    );
    expect(r2).toMatch(/^CMP-/);
    await app.slack!.sync();
    expect(posts(r2)).toHaveLength(0);
    expect(slack.calls.some((c) => c.method === 'chat.postMessage (429)')).toBe(true);
    await app.slack!.sync(); // still inside Retry-After: no new attempt
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage (429)')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100));
    await app.slack!.sync();
    expect(posts(r2)).toHaveLength(1);
  });

  it("erasing the customer deletes the bot's thread posts that carry their words and redraws the card; staff messages stay", async () => {
    const r = await complain(
      'webchat',
      'wc-erase',
      'My toaster from order 88123 sparked and burnt the counter yesterday. I want a refund. Bo Chan, bo.chan@example.com',
    );
    await app.slack!.sync();
    await app.engine.handle({
      channel: 'webchat',
      conversationKey: 'wc-erase',
      messageKey: 'wc-erase-more',
      text: 'My neighbour Dee Park saw it too.',
      sender: { id: 'wc-erase' },
    });
    await app.slack!.sync();
    const card = (
      await app.db.query<{ slack_channel: string; slack_ts: string }>(
        'SELECT s.channel AS slack_channel, s.ts AS slack_ts FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [r],
      )
    ).rows[0];
    const staffTs = slack.humanPost(card.slack_channel, card.slack_ts, 'U0STAFF01', 'Looking into it');
    const before = slack.thread(card.slack_channel, card.slack_ts);
    expect(before.map((m) => m.text).join('\n')).toContain('Dee Park');
    const botReplies = before.filter((m) => m.bot_id && m.ts !== card.slack_ts).map((m) => m.ts);
    expect(botReplies.length).toBeGreaterThanOrEqual(1);

    const { eraseCustomer } = await import('../../../src/privacy/erase.ts');
    expect(
      (await eraseCustomer(app.db, { email: 'bo.chan@example.com' }, { actor: 'test', now: new Date() })).found,
    ).toBe(true);
    const calls = slack.calls.length;
    await app.slack!.sync();
    const after = slack.thread(card.slack_channel, card.slack_ts);
    // Left: the card, the staff member's own message, and the line saying what happened.
    expect(after.map((m) => m.ts)).toEqual([card.slack_ts, staffTs, after[2].ts]);
    expect(after[2].text).toMatch(/personal data was erased/);
    const deleted = slack.calls
      .slice(calls)
      .filter((c) => c.method === 'chat.delete')
      .map((c) => c.args.ts);
    expect(deleted.sort()).toEqual([...botReplies].sort());
    const update = slack.calls
      .slice(calls)
      .filter((c) => c.method === 'chat.update')
      .at(-1)!;
    expect(update.args.ts).toBe(card.slack_ts);
    expect(JSON.stringify(update.args)).not.toMatch(/Bo Chan|bo\.chan|toaster|88123|Dee Park/);
    // Nothing more to delete on the next sync.
    const n = slack.calls.length;
    await app.slack!.sync();
    expect(slack.calls.slice(n).filter((c) => c.method === 'chat.delete')).toEqual([]);
  });

  it('erasing also reaches a card left behind in the channel a ticket moved out of', async () => {
    const r = await complain(
      'webchat',
      'wc-moved',
      'My kettle from order 88456 started leaking boiling water yesterday. I want a replacement. Eli Moss, eli.moss@example.com',
    );
    expect(r).toMatch(/^CMP-/);
    await app.slack!.sync();
    const first = (
      await app.db.query<{ slack_channel: string; slack_ts: string }>(
        'SELECT s.channel AS slack_channel, s.ts AS slack_ts FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [r],
      )
    ).rows[0];
    expect((await action('reassign', `${r}|after_sales`, 'U0STAFF02', true)).status).toBe(200);
    await expect
      .poll(async () => (await staffGet(app, `/api/tickets/${r}`)).body.department, { timeout: 5000 })
      .toBe('after_sales');
    await app.slack!.sync();
    await app.slack!.sync();
    const now = (
      await app.db.query<{ slack_channel: string; slack_ts: string }>(
        'SELECT s.channel AS slack_channel, s.ts AS slack_ts FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [r],
      )
    ).rows[0];
    expect(now.slack_channel).toBe('CAFTERSALES');
    expect(now.slack_channel).not.toBe(first.slack_channel);
    expect(slack.thread(first.slack_channel, first.slack_ts).length).toBeGreaterThan(1);

    const { eraseCustomer } = await import('../../../src/privacy/erase.ts');
    expect(
      (await eraseCustomer(app.db, { email: 'eli.moss@example.com' }, { actor: 'test', now: new Date() })).found,
    ).toBe(true);
    const calls = slack.calls.length;
    await app.slack!.sync();
    expect(
      (
        await app.db.query<{ slack_retry_at: Date | null }>(
          'SELECT s.retry_at AS slack_retry_at FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
          [r],
        )
      ).rows[0].slack_retry_at,
    ).toBeNull();
    // The old thread keeps only its card, redrawn without the customer's words; the new one its card and the notice.
    expect(slack.thread(first.slack_channel, first.slack_ts).map((m) => m.ts)).toEqual([first.slack_ts]);
    const oldUpdate = slack.calls.slice(calls).find((c) => c.method === 'chat.update' && c.args.ts === first.slack_ts)!;
    expect(JSON.stringify(oldUpdate.args)).not.toMatch(/Eli Moss|eli\.moss|kettle|88456/);
    const current = slack.thread(now.slack_channel, now.slack_ts);
    expect(current.map((m) => m.ts)).toEqual([now.slack_ts, current[1].ts]);
    expect(current[1].text).toMatch(/personal data was erased/);
  });

  it('erasing deletes an SLA-breach notice that quoted the complaint in the escalation channel', async () => {
    const r = await complain(
      'webchat',
      'wc-breach-erase',
      'My new blender, order 33071, arrived with a cracked jug yesterday. I want a replacement. Flo Tan, flo.tan@example.com',
    );
    expect(r).toMatch(/^CMP-/);
    await app.slack!.sync();
    expect(await app.scheduler.fireDue(new Date(Date.now() + 30 * 86_400_000))).toBeGreaterThanOrEqual(1);
    await app.slack!.sync();
    const notice = slack.calls.find(
      (c) =>
        c.method === 'chat.postMessage' && c.args.channel === 'CESCALATE' && String(c.args.text).startsWith(`${r} (`),
    );
    expect(notice).toBeDefined();
    const posted = (
      await app.db.query<{ slack_elsewhere: Array<{ channel: string; ts: string; card: boolean }> }>(
        'SELECT s.elsewhere AS slack_elsewhere FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [r],
      )
    ).rows[0].slack_elsewhere;
    expect(posted).toEqual([{ channel: 'CESCALATE', ts: expect.any(String), card: false }]);
    expect(slack.thread('CESCALATE', posted[0].ts)).toHaveLength(1);

    const { eraseCustomer } = await import('../../../src/privacy/erase.ts');
    expect(
      (await eraseCustomer(app.db, { email: 'flo.tan@example.com' }, { actor: 'test', now: new Date() })).found,
    ).toBe(true);
    await app.slack!.sync();
    expect(slack.thread('CESCALATE', posted[0].ts)).toEqual([]);
  });

  it("a post the bot can no longer reach does not hold up erasing the ticket's current card", async () => {
    const r = await complain(
      'webchat',
      'wc-away',
      'My kettle from order 88789 started leaking boiling water yesterday. I want a replacement. Ida Park, ida.park@example.com',
    );
    expect(r).toMatch(/^CMP-/);
    await app.slack!.sync();
    const first = (
      await app.db.query<{ slack_channel: string; slack_ts: string }>(
        'SELECT s.channel AS slack_channel, s.ts AS slack_ts FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [r],
      )
    ).rows[0];
    await action('reassign', `${r}|after_sales`, 'U0STAFF02', true);
    await expect
      .poll(async () => (await staffGet(app, `/api/tickets/${r}`)).body.department, { timeout: 5000 })
      .toBe('after_sales');
    await app.slack!.sync();
    await app.slack!.sync();
    const now = (
      await app.db.query<{ slack_channel: string; slack_ts: string }>(
        'SELECT s.channel AS slack_channel, s.ts AS slack_ts FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [r],
      )
    ).rows[0];
    // The bot is taken out of the old department's channel.
    slack.removeBot(first.slack_channel);
    const { eraseCustomer } = await import('../../../src/privacy/erase.ts');
    await eraseCustomer(app.db, { email: 'ida.park@example.com' }, { actor: 'test', now: new Date() });
    await app.slack!.sync();
    const current = slack.thread(now.slack_channel, now.slack_ts);
    expect(current.map((m) => m.ts)).toEqual([now.slack_ts, current[1].ts]);
    expect(current[1].text).toMatch(/personal data was erased/);
    // Done, not waiting to retry: the event was passed.
    const t = (
      await app.db.query<{ slack_retry_at: Date | null }>(
        'SELECT s.retry_at AS slack_retry_at FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
        [r],
      )
    ).rows[0];
    expect(t.slack_retry_at).toBeNull();
  });
});
