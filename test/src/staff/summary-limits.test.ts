import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startRedress, type Redress } from '../../../src/main.ts';
import { ticketsCsv, ticketsCsvChunks } from '../../../src/staff/summary.ts';
import { parseSummaryQuery } from '../../../src/staff/summary-query.ts';
import type { Db } from '../../../src/store/db.ts';
import { ADMIN_TOKEN, DATABASE_URL, staffGet, testConfig, testDb } from '../../helpers.ts';

let db: Db;
let app: Redress;

beforeAll(async () => {
  db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
  const customer = (await db.query<{ id: number }>("INSERT INTO customers (name) VALUES ('Ann') RETURNING id")).rows[0]
    .id;
  // Seven tickets share one created_at to the microsecond, so a keyset cursor that lost precision would repeat or skip.
  for (let i = 0; i < 10; i++) {
    const conv = (
      await db.query<{ id: number }>(
        "INSERT INTO conversations (channel, conversation_key, customer_id) VALUES ('webchat', $1, $2) RETURNING id",
        [`lim-${i}`, customer],
      )
    ).rows[0].id;
    const created = i < 7 ? '2026-11-02T10:00:00.123456Z' : `2026-11-0${i - 4}T10:00:00.000001Z`;
    await db.query(
      `INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, record, restatement, sla_due_at, created_at)
       VALUES ($1, $2, $3, 'webchat', 'en', 'quality', 'product_quality', 'ordinary', 'open', '{}', 'r', $4::timestamptz + interval '3 days', $4::timestamptz)`,
      [`CMP-9100${String(i).padStart(2, '0')}`, conv, customer, created],
    );
  }
  app = await startRedress(testConfig(DATABASE_URL ? { DATABASE_URL } : {}), {
    db,
    jobs: false,
    clock: () => new Date('2026-11-20T00:00:00Z'),
  });
});
afterAll(async () => {
  await app?.stop();
  await db?.close();
});

describe('summary and export periods', () => {
  it('from=0001-01-01&to=9999-12-31 is refused with 400 PERIOD_TOO_LONG by the summary, the CSV and the dashboard', async () => {
    for (const path of ['/api/summary', '/api/tickets.csv', '/dashboard']) {
      const r = await fetch(`${app.url}${path}?from=0001-01-01&to=9999-12-31`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(r.status, path).toBe(400);
      expect((await r.json()).error.code, path).toBe('PERIOD_TOO_LONG');
    }
    expect(
      (await staffGet(app, '/api/summary?from=2026-01-01T00:00:00Z&to=2028-01-03T00:00:00Z')).body.error.code,
    ).toBe('PERIOD_TOO_LONG');
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('two years exactly are answered, day by day', async () => {
    const { status, body } = await staffGet(app, '/api/summary?from=2025-01-01&to=2027-01-01');
    expect(status).toBe(200);
    expect(body.received.byDay).toHaveLength(730);
    expect(body.received.total).toBe(10);
  });

  it('malformed dates, a reversed period and year 0 are 400 BAD_REQUEST, never a 500', async () => {
    for (const q of [
      'from=2026-02-30&to=2026-03-01',
      'from=2026-1-1&to=2026-02-01',
      'from=0000-01-01&to=0000-02-01',
      'from=2026-03-01&to=2026-02-01',
      'from=2026-01-01T25:00:00Z&to=2026-02-01',
      'from=2026-01-01&to=',
      'to=2026-02-01&from=',
      'tz=Mars/Olympus',
    ]) {
      const { status, body } = await staffGet(app, `/api/summary?${q}`);
      expect(status, q).toBe(400);
      expect(body.error.code, q).toBe('BAD_REQUEST');
    }
    expect(() => parseSummaryQuery({ from: '2026-01-01', to: '2026-01-02', tz: 'Mars/Olympus' }, 731)).toThrow(
      /unknown time zone/,
    );
  });
});

describe('CSV export in batches', () => {
  it('reads every ticket exactly once across batches, ties in created_at included', async () => {
    const q = parseSummaryQuery({ from: '2026-11-01', to: '2026-11-10' }, 731);
    const chunks: string[] = [];
    for await (const c of ticketsCsvChunks(db, q, 3)) chunks.push(c);
    expect(chunks.length).toBe(1 + 4); // header, then 3 + 3 + 3 + 1
    const refs = (parse(chunks.join(''), { columns: true }) as Array<Record<string, string>>).map((r) => r.reference);
    expect(refs.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `CMP-9100${String(i).padStart(2, '0')}`));
    expect(chunks.join('')).toBe(await ticketsCsv(db, q));
  });

  it('the HTTP export streams the same rows', async () => {
    const r = await fetch(`${app.url}/api/tickets.csv?from=2026-11-01&to=2026-11-10`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((parse(await r.text(), { columns: true }) as unknown[]).length).toBe(10);
  });
});
