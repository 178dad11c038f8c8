import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN, staffGet } from '../../helpers.ts';
import { startSlackApp, type SlackApp } from './slack-harness.ts';

// The customer's earlier tickets on the Slack card (issue #16, item 5): the real app, the Web API stand-in.
let app: Redress;
let slack: SlackApp['slack'];
let harness: SlackApp;
beforeAll(async () => {
  harness = await startSlackApp();
  ({ app, slack } = harness);
});
afterAll(async () => {
  await harness?.stop();
});

let k = 0;
const say = (key: string, text: string) =>
  app.engine.handle({
    channel: 'webchat',
    conversationKey: key,
    messageKey: `${key}-${k++}`,
    text,
    sender: { id: key },
  });
/** A complaint on conversation `key` (a later one after "new complaint"), confirmed; returns its reference. */
const complain = async (key: string, order: number, who: string, again = false) => {
  if (again) await say(key, 'new complaint');
  await say(key, `My kettle from order ${order} arrived broken yesterday, I want a replacement. ${who}`);
  const ref = (await say(key, 'yes')).ticketReference;
  expect(ref).toMatch(/^CMP-/);
  return ref!;
};
/** The history line on `ref`'s card as last drawn, or undefined when the card has none. */
const historyLine = (ref: string): string | undefined => {
  const drawn = slack.calls.filter(
    (c) =>
      (c.method === 'chat.update' || (c.method === 'chat.postMessage' && !c.args.thread_ts)) &&
      (c.args.blocks as any[] | undefined)?.[0]?.text?.text?.startsWith(`${ref} `),
  );
  expect(drawn.length).toBeGreaterThan(0);
  const block = (drawn.at(-1)!.args.blocks as any[]).find((b) => b.block_id === 'history');
  return block?.elements[0].text;
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** How the card writes the day a ticket was opened ("4 Dec"; the year only when it is not this one). */
const day = async (ref: string) => {
  const d = new Date((await staffGet(app, `/api/tickets/${ref}`)).body.createdAt);
  const year = d.getUTCFullYear() === new Date().getUTCFullYear() ? '' : ` ${d.getUTCFullYear()}`;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year}`;
};
const category = async (ref: string) =>
  ((await staffGet(app, `/api/tickets/${ref}`)).body.category as string).replace(/_/g, ' ');

describe('earlier tickets on the Slack card', () => {
  it('a repeat customer: remedy, cause and score of the earlier ticket; a first complaint shows none', async () => {
    const first = await complain('sh-ana', 80101, 'Ana Ruiz, ana@example.com');
    const r = await fetch(`${app.url}/api/tickets/${first}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        status: 'resolved',
        resolution: { remedy: 'refund', amount: 30, currency: 'EUR', cause: 'partner_or_dealer', message: 'Refunded.' },
      }),
    });
    expect(r.status).toBe(200);
    // The score is what the satisfaction check stores (its own tests cover the reply); here it is set directly.
    await app.db.query('UPDATE tickets SET satisfaction = 4 WHERE reference = $1', [first]);
    // Someone else, typing the same name and email: typed contact points link nothing.
    const other = await complain('sh-other', 80102, 'Ana Ruiz, ana@example.com');
    const second = await complain('sh-ana', 80103, 'Ana Ruiz, ana@example.com', true);
    await app.slack!.sync();

    expect(historyLine(second)).toBe(
      `Earlier: ${first} · ${await day(first)} · ${await category(first)} · refund, partner or dealer · 4/5`,
    );
    expect(historyLine(first)).toBeUndefined();
    expect(historyLine(other)).toBeUndefined();
  });

  it('lists the newest five and counts the rest; another customer’s tickets never appear', async () => {
    const refs: string[] = [];
    for (let i = 0; i < 8; i++) refs.push(await complain('sh-many', 80200 + i, 'Bo Lind, bo@example.com', i > 0));
    const stranger = await complain('sh-stranger', 80299, 'Cy Lee, cy@example.com');
    await app.slack!.sync();

    const last = refs.at(-1)!;
    const line = historyLine(last)!;
    const shown = [...line.matchAll(/CMP-\d+/g)].map((m) => m[0]);
    expect(shown).toEqual(refs.slice(2, 7).reverse());
    expect(line).toMatch(/; \+2 more$/);
    // Unresolved and unscored: the status stands in for the remedy, and there is no score.
    expect(line).toContain(`${refs[6]} · ${await day(refs[6])} · ${await category(refs[6])} · open;`);
    expect(line).not.toContain(stranger);
    expect(historyLine(stranger)).toBeUndefined();
    // The ticket JSON lists all seven.
    expect((await staffGet(app, `/api/tickets/${last}`)).body.history.map((h: any) => h.reference)).toEqual(
      refs.slice(0, 7).reverse(),
    );
  });
});
