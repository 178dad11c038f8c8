/**
 * The web chat's long-lived customer identity (issue #16 item 1): a resume token reopens the same conversation days
 * later through the official Direct Line client, with what was sent meanwhile; it opens no other conversation; a
 * revoked, expired, unknown or erased one gets a clear 401.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { eraseCustomer } from '../../../src/privacy/erase.ts';
import { ADMIN_TOKEN, DATABASE_URL, startTestApp, sweepUntil, testClock } from '../../helpers.ts';

const require = createRequire(import.meta.url);
// The official client expects browser globals, even with webSocket: false.
(globalThis as any).XMLHttpRequest = require('xhr2');
(globalThis as any).WebSocket = require('ws');
const { DirectLine } = await import('botframework-directlinejs');

const DAY = 86_400_000;
const clock = testClock();
let app: Redress;
beforeAll(async () => {
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    clock: clock.now,
    env: { SATISFACTION_CHECK_DAYS: '5', WEB_CHAT_RESUME_DAYS: '30' },
  });
});
afterAll(async () => {
  await app?.stop();
});

interface Session {
  conversationId: string;
  token: string;
  resumeToken?: string;
}
const dl = (path: string, method: string, bearer?: string) =>
  fetch(`${app.url}/v3/directline${path}`, {
    method,
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
  });
const generate = async () => (await (await dl('/tokens/generate', 'POST')).json()) as Session;
const resume = (resumeToken?: string) => dl('/tokens/resume', 'POST', resumeToken);

/** The official client on `session`, collecting the bot's messages in order; `say` posts and waits for a match. */
function client(session: Session) {
  const c = new DirectLine({
    domain: `${app.url}/v3/directline`,
    token: session.token,
    conversationId: session.conversationId,
    webSocket: false,
    pollingInterval: 150,
  });
  const bot: string[] = [];
  const sub = c.activity$.subscribe((a: any) => void (a.from.role === 'bot' && bot.push(a.text)));
  return {
    bot,
    async say(text: string, expected: RegExp) {
      const before = bot.length;
      await new Promise<string>((resolve, reject) =>
        c
          .postActivity({
            type: 'message',
            from: { id: 'customer', name: 'Customer' },
            text,
            channelData: { clientActivityID: randomUUID() },
          } as any)
          .subscribe({ next: resolve, error: reject }),
      );
      await expect.poll(() => bot.slice(before).join('\n'), { timeout: 15_000, interval: 100 }).toMatch(expected);
    },
    async sees(expected: RegExp) {
      await expect.poll(() => bot.join('\n'), { timeout: 15_000, interval: 100 }).toMatch(expected);
    },
    end() {
      sub.unsubscribe();
      c.end();
    },
  };
}

/** Files a complaint on `session` with the official client; returns the ticket reference. */
async function fileComplaint(session: Session, email: string): Promise<string> {
  const c = client(session);
  await c.say(
    `My kettle from order 52210 stopped working yesterday and I want a replacement. Ada Quist, ${email}`,
    /Have I got that right\?/,
  );
  await c.say('yes', /CMP-\d{6}/);
  const ref = c.bot.join('\n').match(/CMP-\d{6,}/)![0];
  c.end();
  return ref;
}

const resolve = (ref: string, message: string) =>
  fetch(`${app.url}/api/tickets/${ref}/status`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      status: 'resolved',
      resolution: { remedy: 'replacement', cause: 'product_defect', message },
    }),
  });

describe('web chat resume tokens', () => {
  it('reopens the same chat days later, with what was sent meanwhile, and the customer answers it', async () => {
    const first = await generate();
    expect(first.resumeToken).toMatch(/^[\w-]{40,}$/);
    const ref = await fileComplaint(first, 'ada.quist@example.com');

    // The customer closed the tab. Staff resolve it; five days later the satisfaction check goes out.
    expect((await resolve(ref, 'A new kettle leaves our warehouse today.')).status).toBe(200);
    clock.advance(6 * DAY);
    expect(await sweepUntil(app, clock.now())).toBeGreaterThan(0);

    // Six days later the same browser comes back with its resume token: a fresh Direct Line token, same conversation.
    const r = await resume(first.resumeToken);
    expect(r.status).toBe(200);
    const again = (await r.json()) as Session;
    expect(again.conversationId).toBe(first.conversationId);
    expect(again.token).not.toBe(first.token);

    const back = client(again);
    await back.sees(/A new kettle leaves our warehouse today\./);
    await back.sees(/How satisfied are you|satisf/i);
    // The whole conversation, in order and once each: the earlier restatement first, then what came meanwhile.
    const all = back.bot.join('\n');
    expect(all.indexOf(ref)).toBeLessThan(all.indexOf('A new kettle'));
    expect(new Set(back.bot).size).toBe(back.bot.length);
    await back.say('5, fully solved', /thank/i);
    back.end();
    const t = await app.db.query<{ satisfaction: number }>('SELECT satisfaction FROM tickets WHERE reference = $1', [
      ref,
    ]);
    expect(t.rows[0].satisfaction).toBe(5);
  });

  it("opens only its own conversation: one customer's tokens never reach another's chat", async () => {
    const a = await generate();
    const b = await generate();
    const ra = (await (await resume(a.resumeToken)).json()) as Session;
    expect(ra.conversationId).toBe(a.conversationId);
    expect(ra.conversationId).not.toBe(b.conversationId);
    // A's fresh Direct Line token is refused on B's conversation, and a resume token is no Direct Line token.
    expect((await dl(`/conversations/${b.conversationId}/activities`, 'GET', ra.token)).status).toBe(403);
    expect((await dl(`/conversations/${a.conversationId}/activities`, 'GET', a.resumeToken)).status).toBe(403);
    // tokens/refresh keeps the Direct Line token bound to its conversation.
    const refreshed = (await (await dl('/tokens/refresh', 'POST', ra.token)).json()) as Session;
    expect(refreshed.conversationId).toBe(a.conversationId);
  });

  it('answers a revoked, expired, unknown or missing resume token with a clear 401', async () => {
    const s = await generate();
    // Sliding: each use starts the 30 days again, so a chat used every three weeks stays open.
    clock.advance(20 * DAY);
    expect((await resume(s.resumeToken)).status).toBe(200);
    clock.advance(20 * DAY);
    expect((await resume(s.resumeToken)).status).toBe(200);
    // Unused for 31 days: expired.
    clock.advance(31 * DAY);
    const expired = await resume(s.resumeToken);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as any).error).toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/not used for 30 days and has expired; start a new chat/),
    });

    // "Start a new chat" revokes it for good; revoking twice, or an unknown token, answers the same.
    const t = await generate();
    expect((await dl('/tokens/resume', 'DELETE', t.resumeToken)).status).toBe(204);
    expect((await dl('/tokens/resume', 'DELETE', t.resumeToken)).status).toBe(204);
    expect((await dl('/tokens/resume', 'DELETE', 'no-such-token')).status).toBe(204);
    const revoked = await resume(t.resumeToken);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as any).error.message).toMatch(/it was revoked/);

    const unknown = await resume('x'.repeat(43));
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as any).error.message).toMatch(/not recognised/);
    expect((await resume()).status).toBe(401);
  });

  it("stops reopening an erased customer's chat", async () => {
    const s = await generate();
    await fileComplaint(s, 'erase.me@example.com');
    await eraseCustomer(app.db, { email: 'erase.me@example.com' }, { actor: 'dpo', now: clock.now() });
    const r = await resume(s.resumeToken);
    expect(r.status).toBe(401);
    expect(((await r.json()) as any).error.message).toMatch(/revoked/);
  });
});
