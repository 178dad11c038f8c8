import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { createServer } from '../../../src/http/server.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, testDb } from '../../helpers.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';
let db: Db;
beforeAll(async () => {
  db = await testDb(kind);
});
afterAll(async () => {
  await db?.close();
});

/** A server bounded to `max` requests in flight, whose /slow route answers only when released. */
async function serve(max: number) {
  let shed = 0;
  const waiting: Array<() => void> = [];
  const server = createServer(db, { inFlight: { max, onShed: () => shed++ } });
  server.get('/slow', async (_req, res) => {
    await new Promise<void>((r) => waiting.push(r));
    res.send(200, { ok: true });
  });
  server.post('/echo', async (_req, res) => void res.send(200, { ok: true }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(cond()).toBe(true);
  };
  return { server, url, waiting, shed: () => shed, until, release: () => waiting.splice(0).forEach((r) => r()) };
}

describe('a bound on requests in flight sheds load with 503 SERVER_BUSY, before reading the body', () => {
  it('past the bound: 503 with Retry-After and a coded body; health checks still answer; freed slots are reused', async () => {
    const s = await serve(2);
    try {
      const first = [fetch(`${s.url}/slow`), fetch(`${s.url}/slow`)];
      await s.until(() => s.waiting.length === 2);
      const busy = await fetch(`${s.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(await busy.json()).toEqual({
        error: { code: 'SERVER_BUSY', message: 'the server is busy; try again in a moment' },
      });
      expect(s.shed()).toBe(1);
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      // Not shed, so a busy process can still be seen (no /metrics route here: restify's 404 means it got through).
      expect((await fetch(`${s.url}/metrics`)).status).toBe(404);
      s.release();
      expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
      const again = await fetch(`${s.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(again.status).toBe(200);
    } finally {
      s.release();
      s.server.close();
    }
  });

  it('a client that hangs up frees its slot', async () => {
    const s = await serve(1);
    try {
      const req = httpRequest(`${s.url}/slow`);
      req.on('error', () => {});
      req.end();
      await s.until(() => s.waiting.length === 1);
      expect((await fetch(`${s.url}/echo`, { method: 'POST' })).status).toBe(503);
      req.destroy();
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await fetch(`${s.url}/echo`, { method: 'POST' })).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(200);
    } finally {
      s.release();
      s.server.close();
    }
  });
});
