import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { staffGet } from '../../helpers.ts';
import { buttonPress, signedSlack, startSlackApp, type SlackApp } from './slack-harness.ts';

// The customer's tier on the ticket card (issue #16 item 6): shown, changed with the card's select by department
// staff only, recorded with the Slack user, and applied to the same Slack user's next complaint.
let app: Redress;
let slack: SlackApp['slack'];
let harness: SlackApp;
beforeAll(async () => {
  harness = await startSlackApp({ staff: ['U0STAFF01'] });
  ({ app, slack } = harness);
});
afterAll(async () => {
  await harness?.stop();
});

const JSON_TYPE = 'application/json';
const FORM = 'application/x-www-form-urlencoded';
let e = 0;
/** A customer's message to the bot, signed as Slack delivers it: a DM, or a mention in a channel thread. */
const customerSays = (user: string, text: string, where: { dm: string } | { channel: string; thread: string }) => {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(++e).padStart(6, '0')}`;
  const event =
    'dm' in where
      ? { type: 'message', channel: where.dm, channel_type: 'im', user, text, ts }
      : {
          type: 'app_mention',
          channel: where.channel,
          user,
          text: `<@U00000000> ${text}`,
          ts,
          thread_ts: where.thread,
        };
  return signedSlack(
    app,
    JSON.stringify({
      token: 'x',
      team_id: 'T00000000',
      api_app_id: 'A00000000',
      type: 'event_callback',
      event_id: `Ev0TIER${e}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    }),
    JSON_TYPE,
  );
};
/** The ticket of the conversation `key` once the turns (done after Slack's acknowledgement) opened it. */
const ticketOf = async (key: string) => {
  const ref = async () =>
    (
      await app.db.query<{ reference: string }>(
        'SELECT t.reference FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.conversation_key = $1',
        [key],
      )
    ).rows[0]?.reference;
  await expect.poll(ref, { timeout: 15_000 }).toMatch(/^CMP-/);
  return (await staffGet(app, `/api/tickets/${await ref()}`)).body;
};
/** A choice in the card's tier select, as Slack sends it (a button press with a selected option instead of a value). */
const choose = (value: string, user: string, actionTs = `${Date.now() / 1000}${Math.random()}`) => {
  const press = JSON.parse(decodeURIComponent(buttonPress('tier', '', user).slice('payload='.length)));
  press.actions[0] = {
    ...press.actions[0],
    type: 'static_select',
    value: undefined,
    selected_option: { value },
    action_ts: actionTs,
  };
  return signedSlack(app, `payload=${encodeURIComponent(JSON.stringify(press))}`, FORM);
};
const cardOf = (ref: string, method: 'chat.postMessage' | 'chat.update') =>
  slack.calls.filter((c) => c.method === method && !c.args.thread_ts && String(c.args.text).startsWith(ref)).at(-1)
    ?.args;
const tierBlocks = (card: any) => ({
  field: card.blocks.flatMap((b: any) => b.fields ?? []).find((f: any) => f.text.startsWith('Tier: '))?.text,
  select: card.blocks.flatMap((b: any) => b.elements ?? []).find((x: any) => x.action_id === 'tier'),
});

describe('the tier on the Slack card', () => {
  it('shows the tier and the configured choices; only department staff change it, once, as themselves', async () => {
    expect(
      (
        await customerSays(
          'U0CUST01',
          'My kettle from order 55120 arrived broken on Monday. I want a refund. Mia Chen, mia@example.com',
          {
            dm: 'D0CUST01',
          },
        )
      ).status,
    ).toBe(200);
    await expect
      .poll(() => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'D0CUST01').length, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await customerSays('U0CUST01', 'yes', { dm: 'D0CUST01' });
    const t = await ticketOf('D0CUST01:');
    expect(t).toMatchObject({ tier: null, severity: 'ordinary' });
    await app.slack!.sync();
    const posted = tierBlocks(cardOf(t.reference, 'chat.postMessage'));
    expect(posted.field).toBe('Tier: Ordinary customer');
    expect(posted.select.options.map((o: any) => [o.value, o.text.text])).toEqual([
      [`${t.reference}|core`, 'Core customer'],
      [`${t.reference}|key`, 'Key customer'],
      [`${t.reference}|ordinary`, 'Ordinary customer'],
    ]);
    expect(posted.select.initial_option.value).toBe(`${t.reference}|ordinary`);

    // Someone outside the department is told no, and nothing changes.
    expect((await choose(`${t.reference}|core`, 'U0OUTSIDE')).status).toBe(200);
    await expect
      .poll(() => slack.calls.some((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0OUTSIDE'))
      .toBe(true);
    expect((await staffGet(app, `/api/tickets/${t.reference}`)).body.tier).toBeNull();

    const at = `${Date.now() / 1000}`;
    expect((await choose(`${t.reference}|core`, 'U0STAFF01', at)).status).toBe(200);
    await expect.poll(async () => (await staffGet(app, `/api/tickets/${t.reference}`)).body.tier).toBe('core');
    await choose(`${t.reference}|core`, 'U0STAFF01', at); // Slack's retry of the same choice
    const after = (await staffGet(app, `/api/tickets/${t.reference}`)).body;
    expect(after.events.filter((x: any) => x.kind === 'tier_changed')).toEqual([
      expect.objectContaining({ actor: 'slack:U0STAFF01', data: { from: 'ordinary', to: 'core' } }),
    ]);
    expect(after.tierChanges).toEqual([
      { from: null, to: 'core', by: 'slack:U0STAFF01', via: 'slack', at: expect.any(String) },
    ]);

    // The card is redrawn with the tier, and the thread says who changed it.
    await app.slack!.sync();
    const updated = tierBlocks(cardOf(t.reference, 'chat.update'));
    expect(updated.field).toBe('Tier: Core customer');
    expect(updated.select.initial_option.value).toBe(`${t.reference}|core`);
    expect(
      slack.calls.some(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.args.thread_ts &&
          c.args.text === "<@U0STAFF01> changed the customer's tier from ordinary to core",
      ),
    ).toBe(true);
  });

  it("the same Slack user's next complaint, in another conversation, is a core customer's", async () => {
    const thread = `${Math.floor(Date.now() / 1000)}.999001`;
    await customerSays(
      'U0CUST01',
      'The toaster from order 55121 arrived broken on Tuesday. I want a refund. Mia Chen, mia@example.com',
      {
        channel: 'CPUBLIC',
        thread,
      },
    );
    await expect
      .poll(() => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'CPUBLIC').length, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await customerSays('U0CUST01', 'yes', { channel: 'CPUBLIC', thread });
    const t = await ticketOf(`CPUBLIC:${thread}:U0CUST01`);
    expect(t).toMatchObject({ tier: 'core', severity: 'serious' });
    expect(t.routingReasons).toEqual(
      expect.arrayContaining(['serious: core customer (tier core)', 'SLA ×0.5 for tier core']),
    );
    // Another Slack user in the same channel is nobody's core customer.
    const other = `${Math.floor(Date.now() / 1000)}.999002`;
    await customerSays(
      'U0CUST02',
      'The blender from order 55122 arrived broken on Tuesday. I want a refund. Sam Obi, sam@example.com',
      {
        channel: 'CPUBLIC',
        thread: other,
      },
    );
    await expect
      .poll(() => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === other).length, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await customerSays('U0CUST02', 'yes', { channel: 'CPUBLIC', thread: other });
    expect(await ticketOf(`CPUBLIC:${other}:U0CUST02`)).toMatchObject({ tier: null, severity: 'ordinary' });
  });
});
