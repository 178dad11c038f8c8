import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { staffGet } from '../../helpers.ts';
import { startSink } from '../email/mail-harness.ts';
import { buttonPress, complainTo, signedSlack, startSlackApp, type SlackApp } from './slack-harness.ts';

// The Resolve button opens a modal (issue #16 item 2): its submission records the remedy, cost and root cause, sends
// the customer the message on their own channel, and is a ticket event of the staff member who resolved.
let app: Redress;
let slack: SlackApp['slack'];
let harness: SlackApp;
let sink: Awaited<ReturnType<typeof startSink>>;
let mailer: { close(): void } | undefined;
beforeAll(async () => {
  harness = await startSlackApp({
    // A deployment's own list of causes replaces the default one.
    tweak: (routing) => {
      routing.root_causes = [
        { id: 'courier_damage', fault: 'partner', label: { en: 'Damaged by the courier', 'zh-Hans': '快递损坏' } },
        { id: 'faulty_batch', fault: 'product', label: { en: 'Faulty batch', 'zh-Hans': '批次问题' } },
      ];
    },
    staff: ['U0STAFF01', 'U0STAFF02'],
    env: { SATISFACTION_CHECK_DAYS: '3' },
  });
  ({ app, slack } = harness);
  sink = await startSink();
  const { emailSender } = await import('../../../channels/email/send.ts');
  const sender = emailSender({ smtpUrl: sink.url, from: 'Complaints <complaints@shop.example>' });
  mailer = sender;
  app.deliver.register('email', sender);
});
afterAll(async () => {
  await harness?.stop();
  mailer?.close();
  await sink?.close();
});

const signed = (body: string, type: string) => signedSlack(app, body, type);
const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
const click = (actionId: string, value: string, user = 'U0STAFF01', channel = 'CQUALITY') =>
  signed(buttonPress(actionId, value, user, channel), 'application/x-www-form-urlencoded');
/** The Resolve modal's state as Slack sends it: selects carry selected_option, inputs a value. */
const values = (f: {
  remedy?: string;
  amount?: string;
  currency?: string;
  cost?: string;
  cause?: string;
  message?: string;
}) => ({
  remedy: { value: { type: 'static_select', selected_option: f.remedy ? { value: f.remedy } : null } },
  amount: { value: { type: 'number_input', value: f.amount ?? null } },
  currency: { value: { type: 'plain_text_input', value: f.currency ?? null } },
  cost: { value: { type: 'number_input', value: f.cost ?? null } },
  cause: { value: { type: 'static_select', selected_option: f.cause ? { value: f.cause } : null } },
  message: { value: { type: 'plain_text_input', value: f.message ?? null } },
});
const submit = (reference: string, f: Parameters<typeof values>[0], hash: string, user = 'U0STAFF02') =>
  signed(
    form({
      type: 'view_submission',
      team: { id: 'T00000000' },
      user: { id: user, username: 'staff' },
      api_app_id: 'A00000000',
      token: 'legacy',
      trigger_id: 'trig-v',
      view: {
        id: `V0${reference.replace(/\D/g, '')}`,
        hash,
        type: 'modal',
        callback_id: 'resolve_ticket',
        private_metadata: reference,
        state: { values: values(f) },
      },
    }),
    'application/x-www-form-urlencoded',
  );
const complain = (channel: string, key: string, text: string, address: Record<string, unknown> = {}) =>
  complainTo(app, channel, key, text, address);
const outbound = async (key: string) =>
  (
    await app.db.query<{ text: string }>(
      "SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = $1 AND m.direction = 'out' ORDER BY m.id",
      [key],
    )
  ).rows.map((r) => r.text);

describe('the Resolve modal', () => {
  it('opens with the configured remedies and root causes; a bad submission is refused field by field', async () => {
    const ref = await complain(
      'webchat',
      'wc-resolve-1',
      'The courier dropped my new kettle, order 61223, yesterday and it arrived broken. I want a replacement. Noa Pike, noa@example.com',
    );
    await app.slack!.sync();
    const before = slack.calls.filter((c) => c.method === 'views.open').length;
    expect((await click('resolve', ref)).status).toBe(200);
    await expect
      .poll(() => slack.calls.filter((c) => c.method === 'views.open').length, { timeout: 5000 })
      .toBe(before + 1);
    const open = slack.calls.filter((c) => c.method === 'views.open').at(-1)!;
    const view = typeof open.args.view === 'string' ? JSON.parse(open.args.view) : open.args.view;
    expect(view).toMatchObject({ type: 'modal', callback_id: 'resolve_ticket', private_metadata: ref });
    const block = (id: string) => view.blocks.find((b: any) => b.block_id === id);
    expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => [b.block_id, b.optional])).toEqual([
      ['remedy', false],
      ['amount', true],
      ['currency', true],
      ['cost', true],
      ['cause', false],
      ['message', false],
    ]);
    expect(block('remedy').element.options.map((o: any) => o.value)).toEqual([
      'refund',
      'replacement',
      'repair',
      'compensation',
      'apology',
      'explanation',
      'none',
    ]);
    expect(block('cause').element.options.map((o: any) => [o.value, o.text.text])).toEqual([
      ['courier_damage', 'Damaged by the courier (partner)'],
      ['faulty_batch', 'Faulty batch (product)'],
    ]);
    // Clicking Resolve alone changes nothing: the ticket is resolved by the modal's submission.
    expect((await staffGet(app, `/api/tickets/${ref}`)).body.status).toBe('open');

    const refused = async (f: Parameters<typeof values>[0], hash: string) =>
      (await (await submit(ref, f, hash)).json()) as { response_action: string; errors: Record<string, string> };
    expect(await refused({ remedy: 'refund', cause: 'courier_damage' }, 'e1')).toEqual({
      response_action: 'errors',
      errors: { message: 'write the message to the customer' },
    });
    expect(
      (await refused({ remedy: 'refund', amount: '20', cause: 'courier_damage', message: 'Refunded.' }, 'e2')).errors,
    ).toEqual({ currency: 'give the currency of the amount and cost' });
    expect(
      (await refused({ remedy: 'refund', amount: '-3', currency: 'EUR', cause: 'courier_damage', message: 'x' }, 'e3'))
        .errors,
    ).toEqual({ amount: 'must not be negative' });
    // A cause the configuration does not know (a stale modal after routing.yaml changed) is named with the known ones.
    expect((await refused({ remedy: 'refund', cause: 'product_defect', message: 'Refunded.' }, 'e4')).errors).toEqual({
      cause: 'unknown root cause "product_defect"; known: courier_damage, faulty_batch',
    });
    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.status).toBe('open');
    expect(t.resolutions).toEqual([]);
  });

  it('resolves once, tells the web-chat customer, and shows who resolved with what in the thread', async () => {
    const ref = await complain(
      'webchat',
      'wc-resolve-2',
      'My new kettle from order 61224 arrived broken yesterday, the box was crushed. I want a refund. Eli Ross, eli@example.com',
    );
    await app.slack!.sync();
    const f = {
      remedy: 'refund',
      amount: '39.90',
      currency: 'gbp',
      cost: '45',
      cause: 'courier_damage',
      message: 'We have refunded 39.90 GBP <!channel> to your card.',
    };
    expect((await submit(ref, f, 'h1')).status).toBe(200);
    expect((await submit(ref, f, 'h1')).status).toBe(200); // Slack's retry of the same submission
    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.status).toBe('resolved');
    expect(t.resolutions).toEqual([
      {
        remedy: 'refund',
        amount: 39.9,
        currency: 'GBP',
        cost: 45,
        cause: 'courier_damage',
        fault: 'partner',
        message: `About your complaint ${ref}, which we have now resolved:\n\n${f.message}`,
        resolvedBy: 'slack:U0STAFF02',
        at: expect.any(String),
      },
    ]);
    const resolved = t.events.filter((e: any) => e.kind === 'status_resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      actor: 'slack:U0STAFF02',
      data: { remedy: 'refund', amount: 39.9, currency: 'GBP', cost: 45, cause: 'courier_damage', fault: 'partner' },
    });
    expect(t.followups.find((x: any) => x.kind === 'satisfaction_check')).toMatchObject({ state: 'scheduled' });
    const due = Date.parse(t.followups.find((x: any) => x.kind === 'satisfaction_check').dueAt);
    expect(due - Date.parse(t.resolvedAt)).toBe(3 * 86_400_000);
    expect((await outbound('wc-resolve-2')).filter((m) => m.startsWith('About your complaint'))).toEqual([
      `About your complaint ${ref}, which we have now resolved:\n\n${f.message}`,
    ]);

    await app.slack!.sync();
    const line = slack.calls.find(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts && /resolved it:/.test(c.args.text),
    )!;
    expect(line.args.text).toBe(
      `<@U0STAFF02> resolved it: refund 39.9 GBP (cost 45 GBP), cause courier_damage (partner) — told the customer: About your complaint ${ref}, which we have now resolved:\n\nWe have refunded 39.90 GBP &lt;!channel&gt; to your card.`,
    );
    // Resolving again is refused in the modal, which stays open.
    const again = await (await submit(ref, f, 'h2')).json();
    expect(again).toEqual({
      response_action: 'errors',
      errors: { message: 'a resolved ticket cannot become resolved' },
    });
  });

  it('an email customer gets the resolution by email at once, in their thread', async () => {
    const ref = await complain(
      'email',
      '<orig-r1@customer.example>',
      'My desk, order 88120, arrived with a cracked top yesterday. I want a repair. Ada Moss',
      {
        email: 'ada@customer.example',
        subject: 'Cracked desk',
        lastMessageId: '<orig-r1@customer.example>',
        references: ['<orig-r1@customer.example>'],
      },
    );
    await app.slack!.sync();
    expect(
      (
        await submit(
          ref,
          {
            remedy: 'repair',
            cost: '80',
            currency: 'EUR',
            cause: 'faulty_batch',
            message: 'A carpenter will replace the top on Friday.',
          },
          'm1',
        )
      ).status,
    ).toBe(200);
    // The outbox is kicked at once: no sweep needed (jobs are off in this app).
    await expect
      .poll(() => sink.mails.find((m) => m.text?.includes('A carpenter will replace the top on Friday.')), {
        timeout: 10_000,
      })
      .toBeTruthy();
    const mail = sink.mails.find((m) => m.text?.includes('A carpenter will replace the top on Friday.'))!;
    expect(mail.text).toContain(`About your complaint ${ref}, which we have now resolved:`);
    expect(mail.inReplyTo).toBe('<orig-r1@customer.example>');
    expect(mail.subject).toBe(`Re: Cracked desk [${ref}]`);
    expect((await staffGet(app, `/api/tickets/${ref}`)).body.resolutions).toMatchObject([
      { remedy: 'repair', amount: null, cost: 80, currency: 'EUR', fault: 'product', resolvedBy: 'slack:U0STAFF02' },
    ]);
  });

  it('someone outside the department cannot resolve from the modal', async () => {
    const ref = await complain(
      'webchat',
      'wc-resolve-3',
      'My kettle, order 61225, arrived broken yesterday. I want a refund. Max Dow, max@example.com',
    );
    await app.slack!.sync();
    const r = await (
      await submit(ref, { remedy: 'refund', cause: 'faulty_batch', message: 'Refunded.' }, 'o1', 'U0OUTSIDER')
    ).json();
    expect(r).toEqual({
      response_action: 'errors',
      errors: { message: `Only members of the department's channel can resolve ${ref}.` },
    });
    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.status).toBe('open');
    expect(t.events.some((e: any) => e.actor === 'slack:U0OUTSIDER')).toBe(false);
  });
});
