/**
 * Bounded memory, against the real server started as `npm run serve` starts it (the shipped heap limit): a chat's
 * backlog read four times at once from watermark 0, a summary over ten thousand years, transcripts of 200,000 cues.
 * Each used to exhaust the heap and abort the process; now each is answered in bounded pieces or refused with a code,
 * and the process is still serving afterwards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASE_URL, missing } from '../helpers.ts';
import { DirectLineConversation } from './direct-line.ts';
import {
  createDatabase,
  killAllChildren,
  shippedNodeFlags,
  spawnRedress,
  sleep,
  type RedressChild,
  type TempDatabase,
} from './process.ts';

const PAGE_MAX = 262_144; // DIRECT_LINE_PAGE_MAX_BYTES's default
const API_TOKEN = 'systems-token-0123456789';

describe.skipIf(missing('postgres'))('bounded memory under the shipped heap limit', () => {
  let db: TempDatabase;
  let child: RedressChild;
  const base = () => child.url;
  const alive = async () => {
    expect(child.proc.exitCode, child.output()).toBeNull();
    expect(child.proc.signalCode, child.output()).toBeNull();
    expect((await fetch(`${child.url}/healthz`)).status).toBe(200);
  };
  /** The heap in use now, from /metrics (for the figures printed, not asserted). */
  const heapUsedMb = async () => {
    const text = await (
      await fetch(`${child.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).text();
    const m = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/m.exec(text);
    return m ? Math.round(Number(m[1]) / 2 ** 20) : NaN;
  };

  beforeAll(async () => {
    db = await createDatabase(DATABASE_URL!);
    const nodeArgs = shippedNodeFlags();
    expect(nodeArgs.some((f) => f.startsWith('--max-old-space-size='))).toBe(true);
    child = await spawnRedress(
      {
        DATABASE_URL: db.url,
        ADMIN_TOKEN,
        API_TOKEN,
        DIRECT_LINE_SECRET: randomBytes(32).toString('base64url'),
        RATE_LIMIT_PUBLIC_PER_MINUTE: '3000',
        LOG_LEVEL: 'warn',
      },
      { nodeArgs },
    );
  }, 120_000);
  afterAll(async () => {
    await killAllChildren();
    await db?.drop();
  }, 60_000);

  /** Pages through a conversation from watermark 0 as a client would (waiting out a 503's Retry-After). */
  async function pageThrough(c: DirectLineConversation) {
    const sizes: number[] = [];
    const ids: string[] = [];
    let busy = 0;
    let watermark = '0';
    for (let i = 0; i < 2000; i++) {
      const r = await fetch(
        `${base()}/v3/directline/conversations/${c.conversationId}/activities?watermark=${watermark}`,
        { headers: c.auth },
      );
      const raw = Buffer.from(await r.arrayBuffer());
      if (r.status === 503) {
        expect(JSON.parse(raw.toString()).error.code).toBe('SERVER_BUSY');
        expect(r.headers.get('retry-after')).toBe('1');
        busy++;
        await sleep(200);
        continue;
      }
      expect(r.status, raw.toString().slice(0, 200)).toBe(200);
      const body = JSON.parse(raw.toString('utf8'));
      if (!body.activities.length) return { sizes, ids, busy };
      sizes.push(raw.length);
      ids.push(...body.activities.map((a: { id: string }) => a.id));
      watermark = body.watermark;
    }
    throw new Error('paging did not end');
  }
  const storedIds = async (conversationKey: string) =>
    (
      await db.pool.query<{ id: string }>(
        "SELECT m.id::text AS id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'webchat' AND c.conversation_key = $1 ORDER BY m.id",
        [conversationKey],
      )
    ).rows.map((r) => r.id);

  it('a burst of long messages, then four watermark=0 reads at once of it and of a backlog stored before the cut: the process survives, every page is under the cap, every activity comes once', async () => {
    // A: 170 long messages posted into one chat, four at a time, within its rate budget; each is cut to 4,000 characters.
    const a = await DirectLineConversation.open(base);
    const text = (i: number) => `Complaint ${i}: the "Max" blender\tstopped after a week. `.repeat(200).slice(0, 6000);
    for (let i = 0; i < 170; i += 4) {
      const batch = await Promise.all(
        [0, 1, 2, 3].filter((k) => i + k < 170).map((k) => a.post(`m${i + k}`, text(i + k))),
      );
      for (const x of batch) expect(x.status, JSON.stringify(x.body ?? x.error)).toBe(200);
    }
    const lengths = await db.pool.query<{ n: number; longest: number; original: number }>(
      "SELECT count(*)::int AS n, max(length(m.text))::int AS longest, min(m.original_chars)::int AS original FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = $1 AND m.direction = 'in'",
      [a.conversationId],
    );
    expect(lengths.rows[0]).toEqual({ n: 170, longest: 4000, original: 6000 });

    // B: what a deployment stored before the cut: 170 messages of 100,000 characters (17 MB) in one conversation.
    const b = await DirectLineConversation.open(base);
    await db.pool.query(
      `INSERT INTO messages (conversation_id, direction, channel, text, payload)
       SELECT c.id, CASE WHEN g % 2 = 0 THEN 'in' ELSE 'out' END, 'webchat', left(repeat('a "quoted" complaint\\, again; ', 4000), 100000), '{}'
         FROM conversations c, generate_series(1, 170) g WHERE c.channel = 'webchat' AND c.conversation_key = $1`,
      [b.conversationId],
    );

    let peak = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        peak = Math.max(peak, await heapUsedMb().catch(() => 0));
        await sleep(500);
      }
    })();
    const readers = await Promise.all([
      ...[0, 1, 2, 3].map(() => pageThrough(a)),
      ...[0, 1, 2, 3].map(() => pageThrough(b)),
    ]);
    watching = false;
    await watch;
    await alive();

    const [expectA, expectB] = [await storedIds(a.conversationId), await storedIds(b.conversationId)];
    expect(expectA.length).toBeGreaterThanOrEqual(340);
    expect(expectB).toHaveLength(170);
    readers.forEach((r, i) => {
      expect(r.ids, `reader ${i}`).toEqual(i < 4 ? expectA : expectB);
      expect(Math.max(...r.sizes), `reader ${i}`).toBeLessThanOrEqual(PAGE_MAX);
    });
    console.log(
      `activities burst: pages per reader A ${readers[0].sizes.length}, B ${readers[4].sizes.length}; largest page ${Math.max(...readers.flatMap((r) => r.sizes))} bytes; ` +
        `503 SERVER_BUSY answers ${readers.reduce((n, r) => n + r.busy, 0)}; heap used at most ${peak} MB (sampled every 500 ms), ${await heapUsedMb()} MB after`,
    );
  }, 600_000);

  it('a summary or export from 0001-01-01 to 9999-12-31 is 400 PERIOD_TOO_LONG, four at once, and the process lives', async () => {
    const staff = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const answers = await Promise.all(
      ['/api/summary', '/api/tickets.csv', '/api/summary', '/dashboard'].map(async (p) => {
        const r = await fetch(`${base()}${p}?from=0001-01-01&to=9999-12-31`, { headers: staff });
        return { status: r.status, code: ((await r.json()) as { error: { code: string } }).error.code };
      }),
    );
    expect(answers).toEqual(Array(4).fill({ status: 400, code: 'PERIOD_TOO_LONG' }));
    const ok = await fetch(`${base()}/api/summary?from=2025-01-01&to=2027-01-01`, { headers: staff });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { received: { byDay: unknown[] } }).received.byDay).toHaveLength(730);
    await alive();
  }, 120_000);

  it('transcripts of 200,000 WebVTT cues, under the byte limit, are refused with 413 TRANSCRIPT_TOO_LONG, four at once, and the process lives', async () => {
    const cue = (i: number) =>
      `00:${String(i % 60).padStart(2, '0')}.000 --> 00:59.000\n<v ${i % 2 ? 'Customer' : 'Agent'}>${i}\n`;
    const vtt = 'WEBVTT\n\n' + Array.from({ length: 200_000 }, (_, i) => cue(i)).join('\n');
    expect(Buffer.byteLength(vtt)).toBeLessThan(10_485_760); // TRANSCRIPT_MAX_BYTES's default
    const answers = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const r = await fetch(`${base()}/api/transcripts?callId=huge-${i}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/vtt' },
          body: vtt,
        });
        return { status: r.status, code: ((await r.json()) as { error: { code: string } }).error.code };
      }),
    );
    expect(answers).toEqual(Array(4).fill({ status: 413, code: 'TRANSCRIPT_TOO_LONG' }));
    await alive();
    console.log(`transcripts: heap used ${await heapUsedMb()} MB after four refused 200,000-cue uploads`);
  }, 120_000);
});
