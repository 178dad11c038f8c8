/** Drives a web-chat customer to an unhappy satisfaction answer through the real engine, staff API and scheduler. */
import { expect } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN } from '../../helpers.ts';

let n = 0;

/** A complaint the dialog files in two turns (the complaint, then "yes"). */
export const KETTLE =
  'My kettle, order 55120, arrived with a cracked lid last week. I want a replacement. Ana Ruiz, ana@example.com';

/** A web-chat turn of customer `key`. */
export function say(app: Redress, key: string, text: string) {
  return app.engine.handle({
    channel: 'webchat',
    conversationKey: key,
    messageKey: `${key}-${n++}`,
    text,
    sender: { id: key },
  });
}

/** POSTs JSON to the staff API with the token (or with `token`). */
export async function staffPost(app: Redress, path: string, body: unknown, token = ADMIN_TOKEN) {
  const r = await fetch(app.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as any };
}

/** Opens a ticket for customer `key` with `complaint` (confirmed), returning its reference. */
export async function openTicket(app: Redress, key: string, complaint = KETTLE): Promise<string> {
  await say(app, key, complaint);
  const r = await say(app, key, 'yes');
  expect(r.ticketReference, r.replies.map((x) => x.text).join('\n')).toMatch(/^CMP-/);
  return r.ticketReference!;
}

/**
 * Resolves ticket `ref` through the staff API, fires its satisfaction check (`days` ahead: SATISFACTION_CHECK_DAYS=1 in the tests using it) and answers it with
 * `score`, as customer `key` would.
 */
export async function scoreAfterResolution(app: Redress, ref: string, key: string, score: string, days = 1.01) {
  expect((await staffPost(app, `/api/tickets/${ref}/status`, { status: 'resolved' })).status).toBe(200);
  expect(await app.scheduler.fireDue(new Date(Date.now() + days * 86_400_000))).toBeGreaterThanOrEqual(1);
  return say(app, key, score);
}
