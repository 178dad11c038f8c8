import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeavyReads } from '../../../src/http/heavy-reads.ts';
import { sendError } from '../../../src/http/http.ts';

let server: restify.Server;
let url: string;
const reads = new HeavyReads('test reads', 1);
let gate: { open: () => void; wait: Promise<void> } | undefined;
const newGate = () => {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return (gate = { open, wait });
};

beforeAll(async () => {
  server = restify.createServer();
  server.get('/heavy', async (_req, res) => {
    try {
      reads.holdFor(res);
      await gate?.wait;
      res.send(200, { ok: true });
    } catch (e) {
      sendError(res, e);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${server.address().port}/heavy`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('heavy reads', () => {
  it('past the bound: 503 SERVER_BUSY with Retry-After 1, at once; the slot comes back when the answer is sent', async () => {
    const g = newGate();
    const first = fetch(url);
    await expect.poll(() => reads.inUse).toBe(1);
    const second = await fetch(url);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    expect((await second.json()).error.code).toBe('SERVER_BUSY');
    g.open();
    expect((await first).status).toBe(200);
    await expect.poll(() => reads.inUse).toBe(0);
    gate = undefined;
    expect((await fetch(url)).status).toBe(200);
  });

  it('a client that goes away gives its slot back', async () => {
    newGate();
    const abort = new AbortController();
    const gone = fetch(url, { signal: abort.signal }).catch(() => undefined);
    await expect.poll(() => reads.inUse).toBe(1);
    abort.abort();
    await gone;
    await expect.poll(() => reads.inUse).toBe(0);
    gate!.open();
    gate = undefined;
  });

  it('0 means no bound', () => {
    const free = new HeavyReads('free', 0);
    const releases = Array.from({ length: 100 }, () => free.acquire());
    expect(free.inUse).toBe(100);
    releases.forEach((r) => (r(), r()));
    expect(free.inUse).toBe(0);
  });
});
