/** A webhook receiver for tests: checks each request's signature, records the events, answers as told. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';

/** One event as the receiver got it. */
export interface Received {
  eventId: string;
  type: string;
  payload: {
    version: number;
    id: string;
    type: string;
    ticket: { reference: string; status: string } | null;
    data: Record<string, unknown>;
  };
  /** What the receiver answered. */
  status: number;
}

/** How the receiver answers: a status, or 'hang' (never answers; the request stays open). */
export type Mode = number | 'hang';

/** Starts a receiver on 127.0.0.1 that accepts only requests signed with `secret`. */
export async function startReceiver(secret: string) {
  const got: Received[] = [];
  const bad: string[] = [];
  const hung: ServerResponse[] = [];
  let mode: Mode = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const sig = String(req.headers['x-redress-signature'] ?? '');
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig);
      const want = m && createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
      if (!m || !want || !timingSafeEqual(want, Buffer.from(m[2], 'hex'))) {
        bad.push(sig);
        res.statusCode = 401;
        res.end();
        return;
      }
      const payload = JSON.parse(body) as Received['payload'];
      const eventId = String(req.headers['x-redress-event-id']);
      if (mode === 'hang') {
        got.push({ eventId, type: String(req.headers['x-redress-event']), payload, status: 0 });
        hung.push(res);
        return;
      }
      got.push({ eventId, type: String(req.headers['x-redress-event']), payload, status: mode });
      res.statusCode = mode;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    got,
    bad,
    /** Events answered 2xx, in arrival order. */
    accepted: () => got.filter((g) => g.status >= 200 && g.status < 300),
    answer(m: Mode) {
      mode = m;
    },
    async close() {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
