import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import restify from 'restify';
import { LIGHT_PAGE_BYTES, mountDirectLine } from '../../../channels/web-chat/direct-line.ts';
import { TokenSigner } from '../../../channels/web-chat/tokens.ts';
import { HeavyReads } from '../../../src/http/heavy-reads.ts';
import { webChatBackend } from '../../../src/store/web-chat.ts';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, startTestApp } from '../../helpers.ts';

const PAGE = 65_536;
const kind = DATABASE_URL ? 'pg' : 'pglite';
let app: Redress;
beforeAll(async () => {
  app = await startTestApp(kind, {
    jobs: false,
    env: { DIRECT_LINE_PAGE_MAX_BYTES: String(PAGE), RATE_LIMIT_PUBLIC_PER_MINUTE: '0', HEAVY_READS_MAX: '1' },
  });
});
afterAll(async () => {
  await app?.stop();
});

const post = (path: string, body: unknown, token: string) =>
  fetch(app.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

/** Reads every page from watermark 0 until an empty one; returns each page's byte length and the ids in order. */
async function pageThrough(conversationId: string, token: string, base = app.url) {
  const sizes: number[] = [];
  const ids: string[] = [];
  let watermark = '0';
  for (let i = 0; i < 200; i++) {
    const r = await fetch(`${base}/v3/directline/conversations/${conversationId}/activities?watermark=${watermark}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(200);
    const raw = Buffer.from(await r.arrayBuffer());
    const body = JSON.parse(raw.toString('utf8'));
    if (!body.activities.length) {
      expect(body.watermark).toBe(watermark);
      return { sizes, ids };
    }
    sizes.push(raw.length);
    ids.push(...body.activities.map((a: any) => a.id));
    expect(body.watermark).toBe(body.activities[body.activities.length - 1].id);
    watermark = body.watermark;
  }
  throw new Error('paging did not end');
}

describe('Direct Line activities pages are bounded by bytes', () => {
  it('a long chat comes in pages under the cap, every activity exactly once, in order', async () => {
    const { conversationId, token } = (await (
      await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST' })
    ).json()) as { conversationId: string; token: string };
    for (let i = 0; i < 40; i++) {
      // Quotes and control characters grow in JSON: the cap is on the bytes sent, not on the stored text.
      const text = `Complaint ${i}: the "blender" broke\t${'again and again, '.repeat(300)}`.slice(0, 4000);
      const r = await post(
        `/v3/directline/conversations/${conversationId}/activities`,
        {
          type: 'message',
          from: { id: 'u', name: 'N', padding: 'x'.repeat(20_000) },
          text,
          channelData: { clientActivityID: `c${i}` },
        },
        token,
      );
      expect(r.status).toBe(200);
    }
    const stored = (
      await app.db.query<{ id: string }>(
        "SELECT m.id::text AS id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = $1 AND c.channel = 'webchat' ORDER BY m.id",
        [conversationId],
      )
    ).rows.map((r) => r.id);
    expect(stored.length).toBeGreaterThan(80);
    const { sizes, ids } = await pageThrough(conversationId, token);
    expect(ids).toEqual(stored);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(PAGE);
    // Several full pages were needed, so the cap did the cutting (not the 500-activity count).
    expect(sizes.filter((s) => s > LIGHT_PAGE_BYTES).length).toBeGreaterThan(1);
  });

  it('with every heavy-read slot taken a backlog still comes whole, in light pages; with a slot free, in full pages', async () => {
    const { conversationId, token } = (await (
      await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST' })
    ).json()) as { conversationId: string; token: string };
    for (let i = 0; i < 20; i++) {
      const r = await post(
        `/v3/directline/conversations/${conversationId}/activities`,
        { type: 'message', from: { id: 'u' }, text: `My order ${i} is late. ${'Still nothing. '.repeat(260)}` },
        token,
      );
      expect(r.status).toBe(200);
    }
    // The same Direct Line routes and storage on a server of the test's own, so the test can hold the slot itself.
    const reads = new HeavyReads('full activity pages', 1);
    const own = restify.createServer();
    own.use(restify.plugins.queryParser({ mapParams: false }));
    const signer = new TokenSigner('s'.repeat(32));
    mountDirectLine(own, {
      backend: webChatBackend(app.db, 'webchat', async () => ({ inboundId: 0 })),
      signer,
      secret: 's'.repeat(32),
      maxBodyBytes: 262_144,
      pageMaxBytes: PAGE,
      heavyReads: reads,
    });
    await new Promise<void>((r) => own.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${own.address().port}`;
    try {
      const all = (await pageThrough(conversationId, token)).ids;
      const held = reads.acquire();
      const light = await pageThrough(conversationId, signer.issue(conversationId), base);
      held();
      const full = await pageThrough(conversationId, signer.issue(conversationId), base);
      expect(light.ids).toEqual(all);
      expect(full.ids).toEqual(all);
      expect(Math.max(...light.sizes)).toBeLessThanOrEqual(LIGHT_PAGE_BYTES);
      expect(full.sizes.length).toBeLessThan(light.sizes.length);
      expect(Math.max(...full.sizes)).toBeGreaterThan(LIGHT_PAGE_BYTES);
      expect(reads.inUse).toBe(0);
    } finally {
      await new Promise<void>((r) => own.close(() => r()));
    }
  });

  it('an ordinary poll (one turn) is a light page', async () => {
    const { conversationId, token } = (await (
      await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST' })
    ).json()) as { conversationId: string; token: string };
    await post(
      `/v3/directline/conversations/${conversationId}/activities`,
      { type: 'message', from: { id: 'u' }, text: 'My parcel never arrived' },
      token,
    );
    const { sizes, ids } = await pageThrough(conversationId, token);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(sizes.every((s) => s <= LIGHT_PAGE_BYTES)).toBe(true);
  });
});
