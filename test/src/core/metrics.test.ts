import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { followupKindSchema } from '../../../src/domain/followups.ts';
import { severitySchema } from '../../../src/domain/severity.ts';
import { Metrics, mountMetrics } from '../../../src/core/metrics.ts';
import { Outbox } from '../../../src/jobs/outbox.ts';
import { createServer } from '../../../src/http/server.ts';
import { ADMIN_TOKEN, DATABASE_URL, startTestApp, testClock } from '../../helpers.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
const kind = DATABASE_URL ? 'pg' : 'pglite';
const clock = testClock();

/** Samples of a Prometheus text exposition: name, labels, value. */
function parse(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(l)!;
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(?<!\w)(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
      );
      return { name: m[1], labels, value: Number(m[3]) };
    });
}
/** The value of one series, or undefined when it is absent. */
const sample = (samples: ReturnType<typeof parse>, name: string, labels: Record<string, string> = {}) =>
  samples.find(
    (s) =>
      s.name === name &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v) &&
      Object.keys(s.labels).length === Object.keys(labels).length,
  )?.value;

let app: Redress;
let metrics: Metrics;
const sends: number[] = [];
beforeAll(async () => {
  app = await startTestApp(kind, {
    jobs: false,
    clock: clock.now,
    env: { ACKNOWLEDGEMENT_DELAY_MINUTES: '60', METRICS_TOKEN: TOKEN },
  });
  metrics = app.metrics;
  // A push channel whose every send fails, as an SMTP server that is down.
  const down = {
    async send() {
      sends.push(1);
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNECTION' });
    },
  };
  app.deliver.register('flaky', down); // the app's Deliver counts failed sends into its metrics
});
afterAll(async () => {
  await app?.stop();
});

let k = 0;
/** One real turn through the engine (which times it into the metrics). */
async function turn(channel: string, key: string, text: string) {
  return app.engine.handle({ channel, conversationKey: key, messageKey: `${key}-${k++}`, text, sender: { id: key } });
}
async function complain(channel: string, key: string, text: string) {
  await turn(channel, key, text);
  return (await turn(channel, key, 'yes')).ticketReference!;
}
async function scrape(token: string | null = TOKEN) {
  return fetch(`${app.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}
async function samples() {
  const r = await scrape();
  expect(r.status).toBe(200);
  return parse(await r.text());
}
const sql = async <R>(text: string, params: unknown[] = []) => (await app.db.query<R>(text, params)).rows;

describe(`/metrics on ${kind}`, () => {
  const refs: string[] = [];

  it('answers 401 without the token or with a wrong one, and is not there at all without a configured token', async () => {
    for (const token of [null, 'wrong-token-0123456789abcdef']) {
      const r = await scrape(token);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      const body = await r.json();
      expect(body.error.code).toBe('UNAUTHORIZED');
      expect(JSON.stringify(body)).not.toMatch(/redress_|process_/);
    }
    const bare = createServer(app.db);
    expect(mountMetrics(bare, { metrics, token: undefined })).toBe(false);
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
    try {
      const r = await fetch(`http://127.0.0.1:${bare.address().port}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(r.status).toBe(404);
      expect((await r.json()).error.code).toBe('NOT_FOUND');
    } finally {
      await new Promise<void>((r) => bare.close(() => r()));
    }
  });

  it('serves the exposition format with process metrics and zeros before any traffic', async () => {
    const r = await scrape();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(metrics.registry.contentType);
    const s = parse(await r.text());
    expect(sample(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(s, 'redress_open_tickets', { department: 'quality', severity: 'urgent' })).toBe(0);
    expect(sample(s, 'redress_followups_due', { kind: 'acknowledgement' })).toBe(0);
    expect(sample(s, 'redress_followup_lag_seconds')).toBe(0);
  });

  it('has a follow-up series for every follow-up kind (sla_breach too) and an open-tickets series for every severity', async () => {
    const s = await samples();
    for (const kind of followupKindSchema.options) expect(sample(s, 'redress_followups_due', { kind }), kind).toBe(0);
    expect(
      s
        .filter((x) => x.name === 'redress_followups_due')
        .map((x) => x.labels.kind)
        .sort(),
    ).toEqual([...followupKindSchema.options].sort());
    for (const severity of severitySchema.options)
      expect(sample(s, 'redress_open_tickets', { department: 'quality', severity }), severity).toBe(0);
  });

  it('counts turns and reports open tickets by department and severity as SQL has them', async () => {
    refs.push(
      await complain(
        'webchat',
        'm-kettle',
        'My kettle from order 90121 arrived broken yesterday. I want a replacement. Ana Ruiz, ana@example.com',
      ),
    );
    refs.push(
      await complain(
        'webchat',
        'm-phone',
        'My new phone from order 66221 arrived with a cracked screen yesterday. I want a replacement. Al Ma, al@example.com',
      ),
    );
    refs.push(
      await complain(
        'flaky',
        'm-flaky',
        'The courier left my new sofa, order 77331, in the rain yesterday and it is ruined. I want a refund. Jo Yi, jo@example.com',
      ),
    );
    expect(refs.every(Boolean)).toBe(true);
    const s = await samples();
    expect(sample(s, 'redress_turns_total', { channel: 'webchat' })).toBe(4);
    expect(sample(s, 'redress_turn_seconds_count', { channel: 'webchat' })).toBe(4);
    expect(sample(s, 'redress_turns_total', { channel: 'flaky' })).toBe(2);

    const truth = await sql<{ department: string; severity: string; n: number }>(
      "SELECT department, severity, count(*)::int AS n FROM tickets WHERE status IN ('open', 'in_progress', 'reopened') GROUP BY 1, 2",
    );
    expect(truth.reduce((a, r) => a + r.n, 0)).toBe(3);
    expect(truth.filter((r) => r.department === 'quality').reduce((a, r) => a + r.n, 0)).toBe(2);
    for (const r of truth)
      expect(sample(s, 'redress_open_tickets', { department: r.department, severity: r.severity })).toBe(r.n);
    const scraped = s.filter((x) => x.name === 'redress_open_tickets').reduce((a, x) => a + x.value, 0);
    expect(scraped).toBe(3);
  });

  it('drops a resolved ticket from the open count, keeping its series at 0', async () => {
    const [t] = await sql<{ department: string; severity: string }>(
      'SELECT department, severity FROM tickets WHERE reference = $1',
      [refs[0]],
    );
    const before = sample(await samples(), 'redress_open_tickets', t)!;
    const r = await fetch(`${app.url}/api/tickets/${refs[0]}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'resolved', note: 'replaced' }),
    });
    expect(r.status).toBe(200);
    expect(sample(await samples(), 'redress_open_tickets', t)).toBe(before - 1);
  });

  it('shows the outbox queue, retries and channel errors while a channel is down, then deliveries given up', async () => {
    await app.outbox.idle();
    const pending = await sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE channel = 'flaky' AND delivery = 'pending'",
    );
    expect(pending[0].n).toBeGreaterThan(0);
    let s = await samples();
    expect(sample(s, 'redress_outbox_pending_messages', { channel: 'flaky' })).toBe(pending[0].n);
    // A conversation's later messages wait behind its first failed one without being tried themselves.
    const retrying = await sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE channel = 'flaky' AND delivery = 'pending' AND last_error IS NOT NULL",
    );
    expect(retrying[0].n).toBeGreaterThan(0);
    expect(sample(s, 'redress_outbox_retrying_messages', { channel: 'flaky' })).toBe(retrying[0].n);
    expect(sends.length).toBeGreaterThan(0);
    expect(sample(s, 'redress_channel_errors_total', { channel: 'flaky', code: 'ECONNECTION' })).toBe(sends.length);

    // One more attempt after the backoff, allowed no further retries: the messages are given up on.
    clock.advance(60_000);
    await new Outbox({ db: app.db, deliver: app.deliver, clock: clock.now, maxAttempts: 1 }).flush();
    const failed = await sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE channel = 'flaky' AND delivery = 'failed'",
    );
    expect(failed[0].n).toBe(pending[0].n);
    s = await samples();
    expect(sample(s, 'redress_outbox_failed_messages', { channel: 'flaky' })).toBe(failed[0].n);
    expect(sample(s, 'redress_outbox_pending_messages', { channel: 'flaky' })).toBe(0);
    expect(sample(s, 'redress_channel_errors_total', { channel: 'flaky', code: 'ECONNECTION' })).toBe(sends.length);
  });

  it('reports follow-ups due and the lag of the oldest overdue one, and clears both once they fire', async () => {
    expect(sample(await samples(), 'redress_followups_due', { kind: 'acknowledgement' })).toBe(0);
    clock.advance(2 * 3_600_000 - 60_000); // two hours after the tickets opened; acknowledgements were due after one
    const due = await sql<{ kind: string; n: number; lag: number }>(
      "SELECT kind, count(*)::int AS n, extract(epoch FROM $1::timestamptz - min(due_at))::float8 AS lag FROM followups WHERE state = 'scheduled' AND due_at <= $1 GROUP BY 1",
      [clock.now()],
    );
    expect(due.find((d) => d.kind === 'acknowledgement')?.n).toBe(3);
    let s = await samples();
    for (const d of due) expect(sample(s, 'redress_followups_due', { kind: d.kind })).toBe(d.n);
    expect(sample(s, 'redress_followup_lag_seconds')).toBe(3600);

    await app.scheduler.fireDue();
    s = await samples();
    expect(sample(s, 'redress_followups_due', { kind: 'acknowledgement' })).toBe(0);
    expect(sample(s, 'redress_followup_lag_seconds')).toBe(0);
  });

  it('gives unknown routes and broken bodies JSON errors without internals on the full app', async () => {
    const nf = await fetch(`${app.url}/no/such/route`);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no such resource' } });
    // The login form reads its body outside a try: the rejection reaches the server's error handler.
    const big = await fetch(`${app.url}/dashboard/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=' + 'x'.repeat(10_000),
    });
    expect(big.status).toBe(413);
    const body = await big.json();
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(JSON.stringify(body)).not.toMatch(/ at |\.ts:|RedressError/);
  });
});
