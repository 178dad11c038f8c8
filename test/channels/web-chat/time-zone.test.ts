/**
 * The customer's time zone, from the localTimezone Web Chat sends with each activity: the reply time the bot promises
 * and the follow-ups name that zone's wall clock; an unknown or malformed zone is ignored (UTC), never refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, startTestApp } from '../../helpers.ts';

let app: Redress;
beforeAll(async () => {
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', { jobs: false });
});
afterAll(async () => {
  await app?.stop();
});

/** A Direct Line conversation over the real HTTP API, each message sent with `localTimezone`. */
async function chat(localTimezone: unknown) {
  const started = await fetch(`${app.url}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { conversationId, token } = (await started.json()) as { conversationId: string; token: string };
  const auth = { authorization: `Bearer ${token}` };
  let n = 0;
  const say = async (text: string) => {
    const res = await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'tz-user' }, text, localTimezone, id: `m${++n}` }),
    });
    expect(res.status).toBe(200);
  };
  const botSaid = async () => {
    const res = await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, { headers: auth });
    const body = (await res.json()) as { activities: Array<{ from: { role: string }; text: string }> };
    return body.activities.filter((a) => a.from.role === 'bot').map((a) => a.text);
  };
  return { say, botSaid };
}

const STORY =
  'My washing machine from order 30017 has been leaking since last Saturday and I want a repair. Dana Cruz, dana.cruz@example.com';

describe('the customer time zone', () => {
  it('names the promised reply time and the follow-up on the customer clock', async () => {
    const c = await chat('Asia/Shanghai');
    await c.say(STORY);
    await c.say('yes');
    const opened = (await c.botSaid()).find((t) => /recorded your complaint as (CMP-\d{6})/.test(t))!;
    expect(opened).toMatch(/You'll hear from us by \d\d:\d\d GMT\+8 on \w+day \d+ \w+\./);
    const reference = /CMP-\d{6}/.exec(opened)![0];
    // The promise is the ticket's due time, on Shanghai's clock.
    const { rows } = await app.db.query<{ sla_due_at: Date }>('SELECT sla_due_at FROM tickets WHERE reference = $1', [
      reference,
    ]);
    const due = new Date(rows[0].sla_due_at.getTime() + 8 * 3_600_000);
    const hhmm = `${String(due.getUTCHours()).padStart(2, '0')}:${String(due.getUTCMinutes()).padStart(2, '0')}`;
    expect(opened).toContain(`${hhmm} GMT+8 on`);
    // The acknowledgement sent later, from the stored conversation, keeps the zone.
    await app.scheduler.fireDue(new Date(Date.now() + 2 * 3_600_000));
    await expect
      .poll(async () => (await c.botSaid()).join('\n'), { timeout: 10_000 })
      .toMatch(new RegExp(`received complaint ${reference}.*by \\d\\d:\\d\\d GMT\\+8 on`, 's'));
  });

  it.each([['Mars/Olympus_Mons'], [42], ['x'.repeat(500)]])('ignores a zone it cannot use (%s): UTC', async (zone) => {
    const c = await chat(zone);
    await c.say(STORY);
    await c.say('yes');
    expect((await c.botSaid()).join('\n')).toMatch(/You'll hear from us by \d\d:\d\d UTC on/);
  });
});
