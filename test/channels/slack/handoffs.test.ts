import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN, staffGet } from '../../helpers.ts';
import { buttonPress, signedSlack, startSlackApp, type SlackApp } from './slack-harness.ts';

// Hand-offs on the Slack console (issue #16, item 3): the real app, signed Slack requests, the Web API stand-in.
const API_TOKEN = 'systems-token-0123456789';
let app: Redress;
let slack: SlackApp['slack'];
let harness: SlackApp;
beforeAll(async () => {
  harness = await startSlackApp({
    // Every department has an on-call group: an unclaimed ticket's hand-off mentions it.
    tweak: (routing) => {
      for (const d of routing.departments) d.oncall = `S${d.id.toUpperCase().replace(/_/g, '')}`;
    },
    staff: ['U0STAFF01', 'U0STAFF02'],
    env: { API_TOKEN },
  });
  ({ app, slack } = harness);
});
afterAll(async () => {
  await harness?.stop();
});

/** A Claim button press, signed as Slack signs it. */
const claim = (reference: string, user: string) =>
  signedSlack(app, buttonPress('claim', reference, user), 'application/x-www-form-urlencoded');

let k = 0;
const say = (key: string, text: string) =>
  app.engine.handle({
    channel: 'webchat',
    conversationKey: key,
    messageKey: `${key}-${k++}`,
    text,
    sender: { id: key },
    style: 'chat',
  });
/** The blocks of `ref`'s card as last drawn (its post, then its updates). */
const card = (ref: string) => {
  const drawn = slack.calls.filter(
    (c) =>
      (c.method === 'chat.update' || (c.method === 'chat.postMessage' && !c.args.thread_ts)) &&
      JSON.stringify(c.args.blocks ?? '').includes(ref),
  );
  return drawn.at(-1)!.args.blocks as any[];
};
/** The hand-off badges on `ref`'s card. */
const badges = (ref: string) =>
  card(ref)
    .filter((b) => b.block_id === 'handoffs')
    .flatMap((b) => b.elements.map((e: any) => e.text as string));
/** The replies in the thread of `ref`'s card, as Slack holds them. */
const thread = async (ref: string) => {
  const { channel, ts } = (
    await app.db.query<{ channel: string; ts: string }>(
      'SELECT s.channel, s.ts FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
      [ref],
    )
  ).rows[0];
  return slack
    .thread(channel, ts)
    .filter((m) => m.ts !== ts)
    .map((m) => ({ text: m.text ?? '' }));
};

describe('hand-offs on the Slack console', () => {
  it('a customer who asks for a manager after the ticket is claimed: the thread mentions the claimer, the card gets a badge', async () => {
    await say(
      'ho-claimed',
      'My kettle from order 90121 arrived broken yesterday, I want a replacement. Ana Ruiz, ana@example.com',
    );
    const ref = (await say('ho-claimed', 'yes')).ticketReference!;
    expect(ref).toBeTruthy();
    await app.slack!.sync();
    // No hand-off yet: no badge, and no hand-off line.
    expect(badges(ref)).toEqual([]);
    expect(JSON.stringify(slack.calls)).not.toContain('Hand-off');

    expect((await claim(ref, 'U0STAFF02')).status).toBe(200);
    await expect
      .poll(async () => (await staffGet(app, `/api/tickets/${ref}`)).body.claimedBy, { timeout: 5000 })
      .toBe('U0STAFF02');
    await say('ho-claimed', 'I want to speak to the manager');
    await app.slack!.sync();

    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.handoff).toBe(true);
    const line = slack.calls.find((c) => c.method === 'chat.postMessage' && /Hand-off/.test(c.args.text ?? ''))!;
    expect(line.args.thread_ts).toBeTruthy();
    expect(line.args.channel).toBe('CQUALITY');
    expect(line.args.text).toBe(
      '<@U0STAFF02> Hand-off: :raising_hand: Asked for a person (customer asked for a person). A person should take this ticket over.',
    );
    // The claimer is mentioned, not the on-call group.
    expect(line.args.text).not.toContain('subteam');
    expect(badges(ref)).toEqual(['*:raising_hand: Asked for a person* — customer asked for a person']);
    // A later sync draws it again the same way, and says nothing twice.
    const lines = slack.calls.filter((c) => /Hand-off/.test(c.args.text ?? '')).length;
    await app.slack!.sync();
    expect(slack.calls.filter((c) => /Hand-off/.test(c.args.text ?? '')).length).toBe(lines);
  });

  it('a manager asked for at the start, on an unclaimed ticket: the line mentions the on-call group', async () => {
    const r = await say(
      'ho-start',
      'I want to speak to a manager. The kettle from order 90125 arrived broken. bob@example.com',
    );
    const ref = r.ticketReference!;
    expect(ref).toBeTruthy();
    await app.slack!.sync();
    const line = slack.calls.find(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.thread_ts &&
        /Hand-off/.test(c.args.text) &&
        c.args.text.includes('handed off'),
    )!;
    expect(line.args.text).toMatch(
      /^<!subteam\^SQUALITY> Hand-off: :raising_hand: Asked for a person \(customer handed off to a person\)/,
    );
    expect(badges(ref)).toEqual(['*:raising_hand: Asked for a person* — customer handed off to a person']);
  });

  it('a legal threat: badge with the routing reason, and the on-call group is told', async () => {
    await say(
      'ho-legal',
      'My kettle from order 90122 arrived broken yesterday, I want a replacement or I will take you to court. Cy Lee, cy@example.com',
    );
    const ref = (await say('ho-legal', 'yes')).ticketReference!;
    await app.slack!.sync();
    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.severity).toBe('urgent');
    expect(badges(ref)).toEqual(['*:warning: Legal / regulator threat* — urgent: legal threat (court)']);
    const lines = (await thread(ref)).filter((l) => l.text.includes('Legal / regulator threat'));
    expect(lines).toHaveLength(1);
    expect(lines[0].text).toBe(
      '<!subteam^SQUALITY> Hand-off: :warning: Legal / regulator threat (urgent: legal threat (court)). A person should take this ticket over.',
    );
  });

  it('a legal threat made after the ticket opened: a badge and one line, and a repeat of it raises nothing', async () => {
    await say(
      'ho-later',
      'My kettle from order 90124 arrived broken yesterday, I want a replacement. Di Park, di@example.com',
    );
    const ref = (await say('ho-later', 'yes')).ticketReference!;
    expect(ref).toBeTruthy();
    await app.slack!.sync();
    expect(badges(ref)).toEqual([]);
    await say('ho-later', 'Nobody has called me. If this is not sorted by Friday I will see you in court.');
    await say('ho-later', 'I mean it, I will take you to court.');
    await app.slack!.sync();
    expect(badges(ref)).toEqual(['*:warning: Legal / regulator threat* — urgent: legal threat (court)']);
    const lines = (await thread(ref)).filter((l) => l.text.includes('Legal / regulator threat'));
    expect(lines.map((l) => l.text)).toEqual([
      '<!subteam^SQUALITY> Hand-off: :warning: Legal / regulator threat (urgent: legal threat (court)). A person should take this ticket over.',
    ]);
  });

  it('a regulator threat in Chinese, and an abuse hand-off later on the same ticket: both badges', async () => {
    await say(
      'ho-zh',
      '我昨天买的电水壶坏了，订单号 90123，我要换货，不然我要去消协投诉。我叫李明，邮箱 li@example.com',
    );
    const ref = (await say('ho-zh', '对')).ticketReference!;
    expect(ref).toBeTruthy();
    await app.slack!.sync();
    expect(badges(ref)).toEqual(['*:warning: Legal / regulator threat* — urgent: regulator or media (消协)']);
    for (const insult of ['you idiots', 'stupid bot', 'useless bot']) await say('ho-zh', insult);
    await app.slack!.sync();
    expect(badges(ref)).toEqual([
      '*:warning: Legal / regulator threat* — urgent: regulator or media (消协)',
      '*:no_entry: Abuse hand-off* — repeated abuse',
    ]);
    const abuse = (await thread(ref)).filter((l) => l.text.includes('Abuse hand-off'));
    expect(abuse.map((l) => l.text)).toEqual([
      '<!subteam^SQUALITY> Hand-off: :no_entry: Abuse hand-off (repeated abuse). A person should take this ticket over.',
    ]);
  });

  it('a caller who left only a phone number: a call-back badge, and the on-call group is told', async () => {
    const form = new FormData();
    form.set(
      'file',
      new Blob([readFileSync('test/fixtures/transcripts/call-zh.txt')], { type: 'text/plain' }),
      'call.txt',
    );
    form.set('callId', 'ho-call-1');
    const r = await fetch(`${app.url}/api/transcripts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}` },
      body: form,
    });
    expect(r.status).toBe(201);
    const t = await r.json();
    expect(t.customer).toMatchObject({ email: [], phone: ['+8613800138000'] });
    await app.slack!.sync();
    expect(badges(t.reference)).toEqual([
      '*:telephone_receiver: Call-back needed* — phone caller with no email address: call them back',
    ]);
    const lines = (await thread(t.reference)).filter((l) => /Hand-off/.test(l.text));
    expect(lines.map((l) => l.text)).toEqual([
      `<!subteam^S${t.department.toUpperCase().replace(/_/g, '')}> Hand-off: :telephone_receiver: Call-back needed (phone caller with no email address: call them back). A person should take this ticket over.`,
    ]);

    // Resolved after someone claimed it: nobody can write to this caller, so the claimer gets a call-back task with
    // the words to say (issue #16 item 1), and nothing waits in an outbox that could never send it.
    expect((await claim(t.reference, 'U0STAFF02')).status).toBe(200);
    await expect
      .poll(async () => (await staffGet(app, `/api/tickets/${t.reference}`)).body.claimedBy, { timeout: 5000 })
      .toBe('U0STAFF02');
    const resolved = await fetch(`${app.url}/api/tickets/${t.reference}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'resolved',
        resolution: { remedy: 'repair', cause: 'product_defect', message: '维修师傅明天上午上门。' },
      }),
    });
    expect(resolved.status).toBe(200);
    await app.slack!.sync();
    const tasks = (await thread(t.reference)).filter((l) => /Call-back task/.test(l.text));
    expect(tasks.map((l) => l.text)).toEqual([
      expect.stringMatching(
        /^<@U0STAFF02> :telephone_receiver: Call-back task \(resolution\): phone \+8613800138000 and tell them: .*维修师傅明天上午上门。$/s,
      ),
    ]);
    const pending = await app.db.query(
      "SELECT 1 FROM messages m JOIN tickets t ON t.conversation_id = m.conversation_id WHERE t.reference = $1 AND m.delivery = 'pending'",
      [t.reference],
    );
    expect(pending.rows).toEqual([]);
  });

  it('an ordinary complaint gets neither a badge nor a hand-off line', async () => {
    await say(
      'ho-plain',
      'My kettle from order 90124 arrived broken yesterday, I want a replacement. Dee Moss, dee@example.com',
    );
    const ref = (await say('ho-plain', 'yes')).ticketReference!;
    await app.slack!.sync();
    expect(badges(ref)).toEqual([]);
    expect((await thread(ref)).filter((l) => /Hand-off/.test(l.text))).toEqual([]);
  });
});
