/**
 * A stand-in for an OpenAI-compatible chat-completions server: a real node:http server on 127.0.0.1 that records
 * every request and answers as the handler says (as the OpenAI API does, or slowly, with garbage, 429, 500 …).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request; `body` is the request body as text. */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A request the stand-in received. */
export interface Seen {
  url: string;
  method: string;
  authorization?: string;
  /** The body parsed as JSON (as text when it is not JSON). */
  body: any;
}

/** A running stand-in. */
export interface StandIn {
  /** http://127.0.0.1:port (no path). */
  base: string;
  /** Every request received, in order (clear it with `seen.length = 0`). */
  seen: Seen[];
  /** How the next requests are answered. */
  handler: Handler;
  /** Runs `f` after `ms` unless the stand-in is closed first. */
  later(ms: number, f: () => void): void;
  /** Cancels what `later` scheduled, drops every connection and stops listening. */
  close(): Promise<void>;
}

/** A chat completion as the OpenAI API returns it, with `content` as the assistant's message. */
export function completion(content: string | null, model = 'stand-in') {
  return {
    id: 'chatcmpl-standin123',
    object: 'chat.completion',
    created: 1_735_689_600,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
    system_fingerprint: 'fp_standin',
  };
}

/** Writes `value` as a JSON response with `status`. */
export function json(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers every request with the model's `content` (an object is sent as its JSON). */
export const answers =
  (content: unknown): Handler =>
  (_req, res) =>
    json(
      res,
      200,
      completion(
        typeof content === 'string' || content === null ? (content as string | null) : JSON.stringify(content),
      ),
    );

/** Starts a stand-in on a free loopback port, answering with `handler` (changeable later through `standIn.handler`). */
export async function startStandIn(handler: Handler = answers({ isComplaint: false })): Promise<StandIn> {
  const timers = new Set<NodeJS.Timeout>();
  const seen: Seen[] = [];
  let server!: Server;
  const standIn: StandIn = {
    base: '',
    seen,
    handler,
    later(ms, f) {
      const t = setTimeout(() => {
        timers.delete(t);
        f();
      }, ms);
      timers.add(t);
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = body;
      }
      seen.push({
        url: req.url ?? '',
        method: req.method ?? '',
        authorization: req.headers.authorization,
        body: parsed,
      });
      standIn.handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}
