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
  // The echo of the customer's message is stored in one transaction with the bot's replies to it, so the first page
  // that holds the echo holds the whole turn: the replies of a turn are the bot activities after that echo, until the
  // next echo. The client hands a page out one activity per timer tick, though, so a turn is complete only once the
  // page's last activity is out: its id is the page's watermark. Waiting for that, not for a pause, keeps a loaded
  // machine (a late tick) from cutting a turn's replies short.
  const seen: Array<{ role: string; clientId?: string; text: string }> = [];
  let lastId: string | undefined;
  const pageOut = () => lastId !== undefined && lastId === (dl as unknown as { watermark: string }).watermark;
  const waiters = new Set<() => void>();
  const sub = dl.activity$.subscribe((a: any) => {
    seen.push({
      role: a.from?.role === 'bot' ? 'bot' : 'user',
      clientId: a.channelData?.clientActivityID,
      text: a.text ?? '',
    });
    lastId = a.id;
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
        if (got && pageOut()) return got;
        // A backstop for a server that never answers, not a measure: a turn's replies come in one page.
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
