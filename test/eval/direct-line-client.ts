/** A Direct Line conversation through the official botframework-directlinejs client, in Node (polling, no WebSocket). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The official client expects browser globals, even with webSocket: false.
(globalThis as any).XMLHttpRequest ??= require('xhr2');
(globalThis as any).WebSocket ??= require('ws');
const { DirectLine } = await import('botframework-directlinejs');

/** One customer's chat: send a message, get every bot reply the turn produced. */
export interface Chat {
  /** Sends `text` and resolves with the bot's replies to it (in order). */
  say(text: string): Promise<string[]>;
  end(): void;
}

/** Opens a conversation on the Redress at `baseUrl` (token from /v3/directline/tokens/generate). */
export async function openChat(
  baseUrl: string,
  userId: string,
  o: { pollingInterval?: number; turnTimeoutMs?: number } = {},
): Promise<Chat> {
  const r = await fetch(`${baseUrl}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!r.ok) throw new Error(`tokens/generate: ${r.status}`);
  const { token } = (await r.json()) as { token: string };
  const dl = new DirectLine({
    domain: `${baseUrl}/v3/directline`,
    token,
    webSocket: false,
    pollingInterval: o.pollingInterval ?? 200,
  });
  // The server answers a POST after the turn is stored, and the echo of the customer's message comes in the same page
  // as the bot's replies to it: the replies of a turn are the bot activities after that echo, until the next echo.
  const seen: Array<{ role: string; clientId?: string; text: string }> = [];
  const waiters = new Set<() => void>();
  const sub = dl.activity$.subscribe((a: any) => {
    seen.push({
      role: a.from?.role === 'bot' ? 'bot' : 'user',
      clientId: a.channelData?.clientActivityID,
      text: a.text ?? '',
    });
    for (const w of waiters) w();
  });
  let n = 0;
  return {
    async say(text) {
      const clientId = `${userId}-${++n}`;
      await new Promise<string>((resolve, reject) =>
        dl
          .postActivity({
            type: 'message',
            from: { id: userId, name: 'Customer' },
            text,
            channelData: { clientActivityID: clientId },
          } as any)
          .subscribe({ next: resolve, error: reject }),
      );
      const replies = () => {
        const at = seen.findIndex((s) => s.role === 'user' && s.clientId === clientId);
        return at < 0
          ? undefined
          : seen
              .slice(at + 1)
              .filter((s) => s.role === 'bot')
              .map((s) => s.text);
      };
      const deadline = Date.now() + (o.turnTimeoutMs ?? 15_000);
      for (;;) {
        const got = replies();
        // One page is emitted in one go; a short pause lets the rest of it through.
        if (got?.length) {
          await new Promise((res) => setTimeout(res, 30));
          return replies()!;
        }
        if (Date.now() > deadline) return got ?? [];
        await new Promise<void>((res) => {
          const w = () => {
            waiters.delete(w);
            res();
          };
          waiters.add(w);
          setTimeout(w, 200);
        });
      }
    },
    end() {
      sub.unsubscribe();
      dl.end();
    },
  };
}
