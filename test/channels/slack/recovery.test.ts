import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { staffGet } from '../../helpers.ts';
import { openTicket, scoreAfterResolution } from '../../src/staff/recovery-fixture.ts';
import { buttonPress, signedSlack, startSlackApp, viewSubmission, type SlackApp } from './slack-harness.ts';

// Recovering unhappy customers on the Slack console (issue #16 item 4), through signed requests against the Web API
// stand-in: a low score posts a recovery task in the ticket's thread mentioning its owner with its deadline and a
// Record contact button; the modal records the contact as a ticket event of the one who submitted it; the reminder
// mentions the owner and the breach the department's escalation target.
let app: Redress;
let slack: SlackApp['slack'];
let harness: SlackApp;
beforeAll(async () => {
  harness = await startSlackApp({
    tweak: (routing) => {
      const quality = routing.departments.find((d: any) => d.id === 'quality');
      Object.assign(quality, { lead: 'U0LEAD01', escalation_slack: 'CESCALATE' });
    },
    staff: ['U0STAFF01', 'U0STAFF02', 'U0LEAD01'],
    env: { SATISFACTION_CHECK_DAYS: '1', SECOND_FOLLOWUP_DAYS: '1' },
  });
  ({ app, slack } = harness);
});
afterAll(async () => {
  await harness?.stop();
});

const HOUR = 3_600_000;
const click = (actionId: string, value: string, user: string) =>
  signedSlack(app, buttonPress(actionId, value, user), 'application/x-www-form-urlencoded');
/** Submits the Record contact modal of `reference`. */
const submit = (reference: string, outcome: string | null, note: string | null, user: string) =>
  signedSlack(
    app,
    viewSubmission(
      'recovery_record',
      reference,
      {
        outcome: { value: { type: 'static_select', selected_option: outcome ? { value: outcome } : null } },
        note: { value: { type: 'plain_text_input', value: note } },
      },
      user,
      `VR${reference.replace(/\D/g, '')}${outcome ?? ''}`,
    ),
    'application/x-www-form-urlencoded',
  );
/** The ticket's thread posts, in order. */
const thread = async (ref: string) => {
  const ts = (
    await app.db.query<{ ts: string }>(
      'SELECT s.ts FROM slack_threads s JOIN tickets t ON t.id = s.ticket_id WHERE t.reference = $1',
      [ref],
    )
  ).rows[0].ts;
  return slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts).map((c) => c.args);
};
const line = async (ref: string, pattern: RegExp) => (await thread(ref)).find((a) => pattern.test(a.text ?? ''));
const opened = () => slack.calls.filter((c) => c.method === 'views.open');

describe('a recovery task on the Slack console', () => {
  it("posts the task in the ticket's thread for the lead, with its deadline, and records the contact from the modal", async () => {
    const ref = await openTicket(app, 'sl-rec-1');
    await app.slack!.sync();
    await scoreAfterResolution(app, ref, 'sl-rec-1', '1');
    await app.slack!.sync();
    const [task] = (await staffGet(app, `/api/tickets/${ref}/recovery`)).body.recovery;
    const post = (await line(ref, /Recovery task/))!;
    expect(post.text).toBe(
      `<@U0LEAD01> Recovery task (round 1): the customer scored 1/5. Contact them personally by <!date^${Math.floor(Date.parse(task.dueAt) / 1000)}^{date_short_pretty} {time}|${task.dueAt}> and record the outcome.`,
    );
    const blocks = typeof post.blocks === 'string' ? JSON.parse(post.blocks) : post.blocks;
    expect(blocks.find((b: any) => b.type === 'actions').elements).toEqual([
      expect.objectContaining({ action_id: 'recovery_record', value: ref }),
    ]);
    // Reopened by the score: a new SLA, said in the thread.
    expect((await line(ref, /^Reopened: a new SLA, due /))?.text).toContain(
      (await staffGet(app, `/api/tickets/${ref}`)).body.slaDueAt,
    );

    // Someone outside the department cannot open the modal; a member can.
    const before = opened().length;
    expect((await click('recovery_record', ref, 'U0OUTSIDE')).status).toBe(200);
    expect((await click('recovery_record', ref, 'U0STAFF01')).status).toBe(200);
    await expect.poll(() => opened().length, { timeout: 5000 }).toBe(before + 1);
    await expect
      .poll(() => slack.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0OUTSIDE').length)
      .toBe(1);
    expect(opened()).toHaveLength(before + 1);
    const view = opened().at(-1)!.args.view;
    const modal = typeof view === 'string' ? JSON.parse(view) : view;
    expect(modal).toMatchObject({ callback_id: 'recovery_record', private_metadata: ref });
    expect(modal.blocks.find((b: any) => b.block_id === 'outcome').element.options.map((o: any) => o.value)).toEqual([
      'recovered',
      'not_recovered',
      'unreachable',
    ]);

    // No outcome chosen: the modal says so and nothing is recorded.
    const refused = await submit(ref, null, 'tried', 'U0STAFF02');
    expect(await refused.json()).toMatchObject({ response_action: 'errors', errors: { outcome: expect.any(String) } });
    expect(
      (await submit(ref, 'recovered', 'Called him: a refund and a voucher, he is happy now.', 'U0STAFF02')).status,
    ).toBe(200);
    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.events.filter((e: any) => e.kind === 'recovery_recorded')).toEqual([
      expect.objectContaining({ actor: 'slack:U0STAFF02', data: expect.objectContaining({ outcome: 'recovered' }) }),
    ]);
    await app.slack!.sync();
    expect((await line(ref, /recorded the recovery contact/))?.text).toBe(
      '<@U0STAFF02> recorded the recovery contact (round 1): Recovered: the customer is satisfied — Called him: a refund and a voucher, he is happy now.',
    );
    // The second follow-up was waiting for this: it goes out now.
    expect(await app.scheduler.fireDue()).toBeGreaterThanOrEqual(1);
    expect((await staffGet(app, `/api/tickets/${ref}`)).body.followups).toContainEqual(
      expect.objectContaining({ kind: 'second_followup', state: 'sent' }),
    );
  });

  it('a claimed ticket’s task mentions the claimer; its reminder too, and its breach the escalation target', async () => {
    const ref = await openTicket(app, 'sl-rec-2');
    await app.slack!.sync();
    expect((await click('claim', ref, 'U0STAFF01')).status).toBe(200);
    await expect
      .poll(async () => (await staffGet(app, `/api/tickets/${ref}`)).body.claimedBy, { timeout: 5000 })
      .toBe('U0STAFF01');
    await scoreAfterResolution(app, ref, 'sl-rec-2', '2');
    await app.slack!.sync();
    expect((await line(ref, /Recovery task/))?.text).toMatch(/^<@U0STAFF01> Recovery task \(round 1\): .+ 2\/5/);
    await app.scheduler.fireDue(new Date(Date.now() + 37 * HOUR));
    await app.slack!.sync();
    expect((await line(ref, /Recovery reminder/))?.text).toMatch(
      /^<@U0STAFF01> Recovery reminder \(round 1\): the personal contact is due by <!date\^/,
    );
    await app.scheduler.fireDue(new Date(Date.now() + 49 * HOUR));
    await app.slack!.sync();
    expect((await line(ref, /Recovery breached/))?.text).toMatch(
      /^<#CESCALATE> Recovery breached \(round 1\): no contact recorded by <!date.+> \(owner <@U0STAFF01>\); escalated to quality-lead\.$/,
    );
    const t = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(t.events.filter((e: any) => e.kind === 'recovery_breached')).toHaveLength(1);
    // The deadline passed: the customer's second follow-up no longer waits.
    expect(t.followups).toContainEqual(expect.objectContaining({ kind: 'second_followup', state: 'sent' }));
  });
});
