/** The official botframework-directlinejs client streaming over the `ws` package, and what it received. */
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Redress } from '../../../src/main.ts';

const require = createRequire(import.meta.url);
// The client expects browser globals: XMLHttpRequest for its REST calls, WebSocket for the stream.
(globalThis as any).XMLHttpRequest = require('xhr2');
(globalThis as any).WebSocket = require('ws');
const { DirectLine } = await import('botframework-directlinejs');

/** The activity fields the tests read. */
export interface Seen {
  type: string;
  id: string;
  text?: string;
  from: { role?: string };
  channelData?: { clientActivityID?: string };
}

/** A fresh chat's token and conversation, as the page gets them. */
export async function newChat(url: string): Promise<{ conversationId: string; token: string; streamUrl: string }> {
  const r = await fetch(`${url}/v3/directline/tokens/generate`, { method: 'POST' });
  expect(r.status).toBe(200);
  return r.json();
}

/**
 * A streaming client on `url` for an existing chat. `random: () => 0` is the client's own knob for its reconnection
 * delay (3 s plus up to 12 s at random): the shortest keeps the tests short.
 */
export function streamingClient(url: string, chat: { conversationId: string; token: string }) {
  const dl = new DirectLine({
    domain: `${url}/v3/directline`,
    token: chat.token,
    conversationId: chat.conversationId,
    webSocket: true,
    random: () => 0,
  } as any);
  const seen: Seen[] = [];
  const sub = dl.activity$.subscribe((a: any) => seen.push(a));
  let n = 0;
  return {
    seen,
    /** The bot's messages' texts, in order. */
    bot: () => seen.filter((a) => a.type === 'message' && a.from.role === 'bot').map((a) => a.text ?? ''),
    /** Posts `text` as the customer and waits until the bot's messages after it match `expected`. */
    async turn(text: string, expected: RegExp): Promise<void> {
      const before = seen.filter((a) => a.type === 'message' && a.from.role === 'bot').length;
      await new Promise<string>((resolve, reject) =>
        dl
          .postActivity({
            type: 'message',
            from: { id: 'customer-1', name: 'Customer' },
            text,
            channelData: { clientActivityID: `c-${++n}` },
          } as any)
          .subscribe({ next: resolve, error: reject }),
      );
      await expect
        .poll(
          () =>
            seen
              .filter((a) => a.type === 'message' && a.from.role === 'bot')
              .slice(before)
              .map((a) => a.text)
              .join('\n'),
          { timeout: 20_000, interval: 100 },
        )
        .toMatch(expected);
    },
    /** Stops the client: the subscription first, which closes its socket, so ending raises no reconnection. */
    end(): void {
      sub.unsubscribe();
      dl.end();
    },
  };
}

/** Ids of the messages stored in web chat conversation `key`, in order. */
export async function storedIds(app: Redress, key: string): Promise<string[]> {
  const r = await app.db.query<{ id: number }>(
    `SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE c.channel = 'webchat' AND c.conversation_key = $1 ORDER BY m.id`,
    [key],
  );
  return r.rows.map((x) => String(x.id));
}

/** Records the URL of every HTTP request `app` receives (upgrades not included: they are no 'request'). */
export function requestLog(app: Redress): string[] {
  const urls: string[] = [];
  app.server.server.on('request', (req: { method?: string; url?: string }) => urls.push(`${req.method} ${req.url}`));
  return urls;
}

/**
 * Files the washing-machine complaint of order `order` through `say` (which posts and waits for the bot's answer),
 * answering whatever the dialog asks next: on a busy machine it may ask for a detail it did not catch in the first
 * message. Returns how many messages the customer sent.
 */
export async function fileComplaint(
  say: (text: string, expected: RegExp) => Promise<void>,
  lastBot: () => string,
  order: string,
): Promise<number> {
  const answers: Array<[RegExp, string]> = [
    [/recorded your complaint as CMP-\d{6}/, ''],
    [/email address or phone/, 'sam.lee@example.com'],
    [/your name/, 'Sam Lee'],
    [/Which product/, 'a washing machine'],
    [/When did/, 'last Saturday'],
    [/What would you like/, 'a repair'],
    [/order, booking or account number/, order],
    [/what happened/i, 'it leaks water'],
  ];
  await say(
    `My washing machine from order ${order} has been leaking since last Saturday and I want a repair.`,
    /Let me check I've understood: your washing machine has been leaking/,
  );
  let sent = 1;
  let next = 'yes';
  for (; next && sent < 9; sent++) {
    await say(next, /\?|CMP-\d{6}/);
    next = answers.find(([re]) => re.test(lastBot()))?.[1] ?? '';
  }
  expect(lastBot()).toMatch(/recorded your complaint as CMP-\d{6}/);
  return sent;
}
