import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { duePeriods } from '../../../src/staff/digests.ts';
import { startRedress, type Redress } from '../../../src/main.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, testConfig, testDb } from '../../helpers.ts';
import { startSink } from '../../channels/email/mail-harness.ts';

describe('digest schedule', () => {
  const at = new Date('2026-11-24T00:30:00Z'); // Tuesday 08:30 in Shanghai, Tuesday 00:30 in UTC
  it('is read in its time zone', () => {
    expect(duePeriods(at, { tz: 'Asia/Shanghai', dailyAt: '08:00', weeklyAt: 'MON 08:00' })).toEqual([
      { kind: 'daily', from: '2026-11-23', to: '2026-11-24' },
      { kind: 'weekly', from: '2026-11-16', to: '2026-11-23' },
    ]);
    expect(duePeriods(at, { tz: 'UTC', dailyAt: '08:00', weeklyAt: 'MON 08:00' })).toEqual([
      { kind: 'daily', from: '2026-11-22', to: '2026-11-23' },
      { kind: 'weekly', from: '2026-11-16', to: '2026-11-23' },
    ]);
    expect(
      duePeriods(new Date('2026-11-23T00:30:00Z'), { tz: 'UTC', dailyAt: '08:00', weeklyAt: 'MON 08:00' })[1],
    ).toEqual({ kind: 'weekly', from: '2026-11-09', to: '2026-11-16' });
  });
});

describe('digests are sent once per period, even with two bot processes', () => {
  const NOW = new Date('2026-11-24T00:30:00Z');
  let db: Db;
  let a: Redress;
  let b: Redress;
  let sink: Awaited<ReturnType<typeof startSink>>;
  beforeAll(async () => {
    sink = await startSink();
    const routing = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
    routing.departments.find((d: any) => d.id === 'quality').managers = ['qm@shop.example'];
    routing.departments.find((d: any) => d.id === 'billing').managers = ['bm@shop.example', 'cfo@shop.example'];
    const dir = mkdtempSync(join(tmpdir(), 'redress-digest-'));
    writeFileSync(join(dir, 'routing.yaml'), stringify(routing));
    db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
    const env = {
      ...(DATABASE_URL ? { DATABASE_URL } : {}),
      ROUTING_CONFIG: join(dir, 'routing.yaml'),
      SMTP_URL: sink.url,
      MAIL_FROM: 'Redress <redress@shop.example>',
      DIGEST_TZ: 'Asia/Shanghai',
    };
    a = await startRedress(testConfig(env), { db, jobs: false, clock: () => NOW });
    b = await startRedress(testConfig(env), { db, jobs: false, clock: () => NOW });
    // One quality ticket yesterday (Shanghai), its SLA already breached.
    const c = (await db.query<{ id: number }>("INSERT INTO customers (name) VALUES ('Ann') RETURNING id")).rows[0].id;
    const conv = (
      await db.query<{ id: number }>(
        "INSERT INTO conversations (channel, conversation_key, customer_id) VALUES ('webchat', 'digest-1', $1) RETURNING id",
        [c],
      )
    ).rows[0].id;
    await db.query(
      `INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, record, restatement, sla_due_at, created_at)
       VALUES ('CMP-700001', $1, $2, 'webchat', 'en', 'quality', 'product_quality', 'urgent', 'open', '{"customerWords":["my kettle caught fire"],"declined":[]}', 'Your kettle caught fire.', '2026-11-23T06:00:00Z', '2026-11-23T02:00:00Z')`,
      [conv, c],
    );
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await sink?.close();
    await db?.close();
  });

  it('two processes at the same moment send each digest once; running again sends nothing', async () => {
    const [x, y] = await Promise.all([a.digests.run(NOW), b.digests.run(NOW)]);
    // quality and billing have managers; each gets a daily and a weekly digest.
    expect(x + y).toBe(4);
    await expect.poll(() => sink.mails.length, { timeout: 5000 }).toBe(4);
    expect(await a.digests.run(NOW)).toBe(0);
    expect(await b.digests.run(new Date(NOW.getTime() + 3_600_000))).toBe(0);
    const daily = sink.mails.find((m) => m.subject === 'Daily complaints digest — Product Quality team — 2026-11-23')!;
    expect(daily.to && 'value' in daily.to ? daily.to.value.map((v) => v.address) : []).toEqual(['qm@shop.example']);
    expect(daily.text).toContain('Received: 1 (previous day: 0, +1)');
    expect(daily.text).toContain('SLA breached (1): CMP-700001');
    expect(daily.text).toContain('Top issues: product_quality (1)');
    const weekly = sink.mails.find(
      (m) => m.subject === 'Weekly complaints digest — Billing team — 2026-11-16 to 2026-11-22',
    )!;
    expect(weekly.to && 'value' in weekly.to ? weekly.to.value.map((v) => v.address) : []).toEqual([
      'bm@shop.example',
      'cfo@shop.example',
    ]);
    expect(weekly.text).toContain('Received: 0 (previous week: 0, +0)');
  });
});
