import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffGet } from '../../helpers.ts';
import { signedSlack, startSlackApp, viewSubmission, type SlackApp } from './slack-harness.ts';

// `/complaints new` (issue #16 item 7): the command opens a modal, its submission opens a ticket through the same path
// as POST /api/tickets with the Slack user as the one who logged it, and the card is posted.
let h: SlackApp;
beforeAll(async () => {
  h = await startSlackApp({ staff: ['U0STAFF01'] });
});
afterAll(() => h?.stop());

const FORM = 'application/x-www-form-urlencoded';
/** `/complaints <text>` typed by `user`, signed as Slack signs it. */
const command = (user: string, text: string) =>
  signedSlack(
    h.app,
    new URLSearchParams({
      token: 'legacy',
      team_id: 'T00000000',
      channel_id: 'CTRIAGE',
      channel_name: 'x',
      user_id: user,
      user_name: 'someone',
      command: '/complaints',
      text,
      response_url: 'https://hooks.slack.com/commands/T0/1/x',
      trigger_id: `trig-${user}`,
      api_app_id: 'A00000000',
    }).toString(),
    FORM,
  );
type Fields = { source?: string; text?: string; name?: string; email?: string; phone?: string };
/** The modal's submission as Slack sends it: the select carries selected_option, the inputs a value. */
const submit = async (viewId: string, f: Fields, user = 'U0STAFF01') => {
  const input = (type: string, value?: string) => ({ value: { type, value: value ?? null } });
  const values = {
    source: { value: { type: 'static_select', selected_option: f.source ? { value: f.source } : null } },
    text: input('plain_text_input', f.text),
    name: input('plain_text_input', f.name),
    email: input('email_text_input', f.email),
    phone: input('plain_text_input', f.phone),
  };
  // Slack's retry of a submission may carry another hash: the view and what was typed make it the same complaint.
  const r = await signedSlack(h.app, viewSubmission('new_complaint', '', values, user, viewId), FORM);
  expect(r.status).toBe(200);
  const body = await r.text();
  return body ? JSON.parse(body) : {};
};
const COMPLAINT =
  'Called the shop: the washing machine from order 77310 leaks since it was installed last Friday. She wants a repair.';
const staffTickets = async () =>
  (await h.app.db.query<{ reference: string }>("SELECT reference FROM tickets WHERE channel = 'staff'")).rows;

describe('/complaints new', () => {
  it('opens the modal for department staff only', async () => {
    const refused = await command('U0OUTSIDE', 'new');
    expect(await refused.json()).toEqual({
      response_type: 'ephemeral',
      text: "Sorry, only members of a department's Slack channel (or its named staff) can log complaints.",
    });
    expect(h.slack.calls.some((c) => c.method === 'views.open')).toBe(false);

    expect((await command('U0STAFF01', 'new')).status).toBe(200);
    await expect.poll(() => h.slack.calls.filter((c) => c.method === 'views.open').length).toBe(1);
    const open = h.slack.calls.find((c) => c.method === 'views.open')!;
    expect(open.args.trigger_id).toBe('trig-U0STAFF01');
    const view = typeof open.args.view === 'string' ? JSON.parse(open.args.view) : open.args.view;
    expect(view.callback_id).toBe('new_complaint');
    expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => [b.block_id, b.optional])).toEqual([
      ['source', false],
      ['text', false],
      ['name', true],
      ['email', true],
      ['phone', true],
    ]);
    expect(view.blocks[0].element.options.map((o: any) => o.value)).toEqual([
      'in_person',
      'letter',
      'phone_call',
      'partner',
    ]);
  });

  it('shows what is wrong in the modal and opens nothing', async () => {
    expect(await submit('V0BAD1', { name: 'Ada' })).toEqual({
      response_action: 'errors',
      errors: { source: 'Choose how the complaint came in.', text: 'Write the complaint.' },
    });
    const email = await submit('V0BAD2', { source: 'letter', text: COMPLAINT, email: 'not-an-address' });
    expect(email.response_action).toBe('errors');
    expect(Object.keys(email.errors)).toEqual(['email']);
    // Someone who is no department's staff cannot log one by submitting a modal they were never shown.
    expect((await submit('V0BAD3', { source: 'letter', text: COMPLAINT }, 'U0OUTSIDE')).errors).toEqual({
      text: "Sorry, only members of a department's Slack channel (or its named staff) can log complaints.",
    });
    expect(await staffTickets()).toEqual([]);
  });

  it('opens the ticket as POST /api/tickets does, with the source and the Slack user, once; the card is posted', async () => {
    const fields = {
      source: 'phone_call',
      text: COMPLAINT,
      name: 'Rosa Lind',
      email: 'rosa@example.com',
      phone: '+1 415 555 0142',
    };
    const done = await submit('V0NEW1', fields);
    expect(done.response_action).toBe('update');
    const [{ reference }] = await staffTickets();
    expect(JSON.stringify(done.view.blocks)).toContain(reference);
    expect(JSON.stringify(done.view.blocks)).toContain('sent to the customer by email');
    // Slack's retry of the same submission finds the same ticket.
    expect((await submit('V0NEW1', fields)).response_action).toBe('update');
    expect(await staffTickets()).toEqual([{ reference }]);

    const t = (await staffGet(h.app, `/api/tickets/${reference}`)).body;
    expect(t).toMatchObject({ channel: 'staff', source: 'phone_call', loggedBy: 'slack:U0STAFF01', status: 'open' });
    expect(t.record.orderNumber).toBe('77310');
    expect(t.customer.email).toContain('rosa@example.com');
    expect(t.events.filter((e: any) => e.kind === 'logged_by_staff')).toEqual([
      expect.objectContaining({
        actor: 'slack:U0STAFF01',
        data: { source: 'phone_call', loggedBy: 'slack:U0STAFF01' },
      }),
    ]);
    // The restatement is the turn's recorded reply, as for the API; the follow-ups are scheduled.
    const out = await h.app.db.query<{ text: string }>(
      `SELECT m.text FROM messages m JOIN tickets t ON t.conversation_id = m.conversation_id
        WHERE t.reference = $1 AND m.direction = 'out'`,
      [reference],
    );
    expect(out.rows.map((r) => r.text).join('\n')).toContain(t.restatement);
    expect(t.followups.map((f: any) => f.kind)).toEqual(expect.arrayContaining(['acknowledgement', 'sla_reminder']));

    await h.app.slack!.sync();
    await h.app.slack!.sync();
    const card = h.slack.calls.find(
      (c) => c.method === 'chat.postMessage' && !c.args.thread_ts && String(c.args.text).startsWith(reference),
    );
    expect(card?.args.channel).toBe(`C${t.department.toUpperCase().replace(/_/g, '')}`);
    expect(
      h.slack.calls.some(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.args.thread_ts &&
          c.args.text === '<@U0STAFF01> logged this complaint (phone call)',
      ),
    ).toBe(true);
  });

  it('a text with no complaint in it is refused in the modal; corrected, the same modal opens the ticket', async () => {
    const before = (await staffTickets()).length;
    const empty = await submit('V0NEW2', { source: 'letter', text: 'Thank you.' });
    expect(empty).toEqual({
      response_action: 'errors',
      errors: {
        text: "no complaint was found in the text, so no ticket was opened: write what went wrong, in the customer's words",
      },
    });
    expect((await staffTickets()).length).toBe(before);
    const fixed = await submit('V0NEW2', { source: 'letter', text: COMPLAINT.replace('77310', '77311') });
    expect(fixed.response_action).toBe('update');
    expect((await staffTickets()).length).toBe(before + 1);
  });
});
