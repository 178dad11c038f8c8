import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN, DATABASE_URL, staffGet, startTestApp } from '../../helpers.ts';

// A customer's earlier tickets in the staff API's ticket JSON (issue #16 item 5): the same customer's tickets opened
// before this one, newest first, with the latest resolution's remedy and cause and the score; never another customer's.
let app: Redress;
beforeAll(async () => {
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', { jobs: false });
});
afterAll(async () => {
  await app?.stop();
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
const complain = async (key: string, text: string, again = false) => {
  if (again) await say(key, 'new complaint');
  await say(key, text);
  const ref = (await say(key, 'yes')).ticketReference;
  expect(ref).toMatch(/^CMP-/);
  return ref!;
};
const resolve = async (ref: string, resolution: Record<string, unknown>) => {
  const r = await fetch(`${app.url}/api/tickets/${ref}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ status: 'resolved', resolution }),
  });
  expect(r.status).toBe(200);
};
const view = async (ref: string) => {
  const r = await staffGet(app, `/api/tickets/${ref}`);
  expect(r.status).toBe(200);
  return r.body;
};

describe('the ticket JSON lists the customer’s earlier tickets', () => {
  it('newest first, with remedy, cause and score; another customer’s ticket is not listed', async () => {
    const first = await complain(
      'hist-ana',
      'My kettle from order 70101 arrived broken yesterday, I want a replacement. Ana Ruiz, ana@example.com',
    );
    await resolve(first, {
      remedy: 'refund',
      amount: 20,
      currency: 'EUR',
      cause: 'partner_or_dealer',
      message: 'Refunded.',
    });
    // The score is what the satisfaction check stores (its own tests cover the reply); here it is set directly.
    await app.db.query('UPDATE tickets SET satisfaction = 4 WHERE reference = $1', [first]);
    // Another customer complains in between, with the same name and email typed: typed points link nothing.
    const other = await complain(
      'hist-other',
      'My kettle from order 70102 arrived broken yesterday, I want a replacement. Ana Ruiz, ana@example.com',
    );
    const second = await complain(
      'hist-ana',
      'The courier left my lamp, order 70103, in the rain yesterday and it is ruined. I want a refund. Ana Ruiz, ana@example.com',
      true,
    );
    const third = await complain(
      'hist-ana',
      'My toaster from order 70104 arrived broken yesterday, I want a replacement. Ana Ruiz, ana@example.com',
      true,
    );

    const t = await view(third);
    expect(t.history.map((h: any) => h.reference)).toEqual([second, first]);
    expect(t.historyTotal).toBe(2);
    const f = await view(first);
    expect(t.history[1]).toEqual({
      reference: first,
      createdAt: f.createdAt,
      category: f.category,
      status: 'resolved',
      remedy: 'refund',
      cause: 'partner_or_dealer',
      satisfaction: 4,
    });
    // Not resolved yet: no remedy or cause, no score.
    expect(t.history[0]).toMatchObject({
      reference: second,
      status: 'open',
      remedy: null,
      cause: null,
      satisfaction: null,
    });
    expect(JSON.stringify(t.history)).not.toContain(other);

    // Only earlier tickets: the first has none, the second only the first; the other customer has none at all.
    expect((await view(first)).history).toEqual([]);
    expect((await view(second)).history.map((h: any) => h.reference)).toEqual([first]);
    expect((await view(other)).history).toEqual([]);
    expect((await view(other)).historyTotal).toBe(0);
  });

  it('the latest resolution counts when a ticket was reopened and resolved again', async () => {
    const first = await complain(
      'hist-bo',
      'My kettle from order 70201 arrived broken yesterday, I want a replacement. Bo Lind, bo@example.com',
    );
    await resolve(first, { remedy: 'apology', cause: 'misunderstanding', message: 'Sorry.' });
    const reopen = await fetch(`${app.url}/api/tickets/${first}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ status: 'reopened' }),
    });
    expect(reopen.status).toBe(200);
    await resolve(first, { remedy: 'replacement', cause: 'product_defect', message: 'A new one is on its way.' });
    const next = await complain(
      'hist-bo',
      'My toaster from order 70202 arrived broken yesterday, I want a replacement. Bo Lind, bo@example.com',
      true,
    );
    expect((await view(next)).history).toMatchObject([
      { reference: first, remedy: 'replacement', cause: 'product_defect' },
    ]);
  });
});
