import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { volumesCommand } from '../../../src/cli/volumes.ts';
import type { Redress } from '../../../src/main.ts';
import { openDb } from '../../../src/store/db.ts';
import { allVolumes } from '../../../src/store/volumes.ts';
import { ADMIN_TOKEN, DATABASE_URL, startTestApp } from '../../helpers.ts';

// Volumes for complaints per 1,000 orders or customers (issue #17 item 3): POST /api/volumes and `redress volumes
// import`, all rows or none, every bad row named by its number with the reason, a day imported again replaced.
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'redress-volumes-'));
const csv = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const DEPARTMENTS = 'quality, customer_care, billing, compliance, logistics, after_sales, triage';
// One good row and seven bad ones, each bad for one reason.
const BAD_ROWS = [
  ['2026-12-01', 'quality', 'orders', '100'],
  ['2026-02-30', 'quality', 'orders', '5'],
  ['2026-12-01', 'marketing', 'orders', '5'],
  ['2026-12-01', 'billing', 'orders', '-3'],
  ['2026-12-01', 'billing', 'customers', '2.5'],
  ['2026-12-01', 'billing', 'visitors', '5'],
  ['2026-12-01', 'quality', 'orders', '7'],
  ['2026-12-02', 'quality', 'orders', 'abc'],
];
const REASONS = [
  { row: 2, error: 'bad date: expected an existing day as YYYY-MM-DD' },
  { row: 3, error: `unknown department "marketing"; known: ${DEPARTMENTS}` },
  { row: 4, error: 'count is negative' },
  { row: 5, error: 'count is not a whole number' },
  { row: 6, error: 'unknown kind: expected orders or customers' },
  { row: 7, error: 'duplicate of row 1: 2026-12-01, quality, orders' },
  { row: 8, error: 'count is not a number' },
];
const BAD_CSV = csv('bad.csv', ['Day, Department ,KIND,count', ...BAD_ROWS.map((r) => r.join(','))].join('\n'));
const GOOD_CSV = csv(
  'good.csv',
  'day,department,kind,count\n2026-12-01,billing,customers,400\n2026-12-02,billing,customers,600\n',
);
const AGAIN_CSV = csv('again.csv', 'day,department,kind,count\n2026-12-02,billing,customers,650\n');

let app: Redress;
beforeAll(async () => {
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', { jobs: false });
});
afterAll(async () => app?.stop());

const post = (body: unknown, o: { token?: string; raw?: string } = {}) =>
  fetch(`${app.url}/api/volumes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${o.token ?? ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: o.raw ?? JSON.stringify(body),
  });
const count = async () => (await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM volumes')).rows[0].n;
const quietly = async <T>(fn: () => Promise<T>): Promise<T> => {
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
};

describe('POST /api/volumes', () => {
  it('imports the rows, and the same day, department and kind again replaces the count', async () => {
    const rows = [
      { day: '2026-12-01', department: 'quality', kind: 'orders', count: 2000 },
      { day: '2026-12-02', department: 'quality', kind: 'orders', count: 3000 },
      { day: '2026-12-01', department: 'quality', kind: 'customers', count: 0 },
    ];
    const r = await post({ rows, by: 'ana' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ rows: 3, imported: 3 });
    const again = await post({ rows: [{ ...rows[1], count: 3100 }], by: 'ana' });
    expect(await again.json()).toEqual({ rows: 1, imported: 1 });
    expect(await allVolumes(app.db)).toEqual([
      { day: '2026-12-01', department: 'quality', kind: 'customers', count: 0 },
      { day: '2026-12-01', department: 'quality', kind: 'orders', count: 2000 },
      { day: '2026-12-02', department: 'quality', kind: 'orders', count: 3100 },
    ]);
    const by = await app.db.query("SELECT imported_by FROM volumes WHERE day = '2026-12-02'");
    expect(by.rows).toEqual([{ imported_by: 'staff:ana' }]);
  });

  it('refuses every bad row by number and reason, and imports none of the rows', async () => {
    const before = await count();
    const rows = BAD_ROWS.map(([day, department, kind, n]) => ({
      day,
      department,
      kind,
      count: /^[-\d.]+$/.test(n) ? Number(n) : n,
    }));
    rows[0] = { ...rows[0], day: '2026-12-05' }; // a good row that must not be imported either
    rows[6] = { ...rows[6], day: '2026-12-05' };
    const r = await post({ rows, by: 'ana' });
    expect(r.status).toBe(400);
    const { error } = (await r.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('BAD_REQUEST');
    const reasons = REASONS.map(
      (e) => `row ${e.row}: ${e.error.replace('2026-12-01, quality', '2026-12-05, quality')}`,
    );
    expect(error.message).toBe(`nothing imported: ${reasons.join('; ')}`);
    expect(await count()).toBe(before);
    expect((await allVolumes(app.db)).filter((v) => v.day === '2026-12-05')).toEqual([]);
  });

  it('refuses a body over the limit, too many rows, no rows, and a request without the token', async () => {
    const before = await count();
    const big = await post(undefined, { raw: `{"rows":[],"by":"${'x'.repeat(2 * 1024 * 1024)}"}` });
    expect(big.status).toBe(413);
    const row = { day: '2026-12-01', department: 'billing', kind: 'orders', count: 1 };
    const many = await post({ rows: Array.from({ length: 20_001 }, () => row), by: 'ana' });
    expect(many.status).toBe(413);
    expect(((await many.json()) as any).error.message).toMatch(/^rows: Too big/);
    expect((await post({ rows: [], by: 'ana' })).status).toBe(400);
    expect((await post({ rows: [row] })).status).toBe(400);
    expect((await post({ rows: [row], by: 'ana' }, { token: 'wrong' })).status).toBe(401);
    expect(await count()).toBe(before);
  });
});

describe('redress volumes import', () => {
  const routing = () => app.routing;

  it('lists the bad rows with their numbers and lines and imports nothing; a clean file is imported', async () => {
    const before = await count();
    const bad = await quietly(() =>
      volumesCommand(['import', BAD_CSV, '--actor', 'cli:ops'], app.db, { routing: routing() }),
    );
    expect(bad).toEqual({
      file: BAD_CSV,
      rows: 8,
      imported: 0,
      errors: REASONS.map((e) => ({ row: e.row, line: e.row + 1, error: e.error })),
    });
    expect(await count()).toBe(before);
    const good = await quietly(() => volumesCommand(['import', GOOD_CSV], app.db, { routing: routing() }));
    expect(good).toMatchObject({ rows: 2, imported: 2, errors: [] });
    await quietly(() => volumesCommand(['import', AGAIN_CSV, '--actor', 'cli:ops'], app.db, { routing: routing() }));
    expect(await count()).toBe(before + 2);
    const billing = (await allVolumes(app.db)).filter((v) => v.department === 'billing');
    expect(billing.map((v) => [v.day, v.count])).toEqual([
      ['2026-12-01', 400],
      ['2026-12-02', 650],
    ]);
  });

  it('refuses a file over the limit unread, and a file that is not CSV', async () => {
    const big = csv('big.csv', `day,department,kind,count\n${'2026-12-01,billing,orders,1\n'.repeat(80_000)}`);
    await expect(volumesCommand(['import', big], app.db, { routing: routing() })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(/bytes; one import reads 2097152 at most$/),
    });
    const broken = csv('broken.csv', 'day,department,kind,count\n"2026-12-01,billing,orders,1\n');
    await expect(volumesCommand(['import', broken], app.db, { routing: routing() })).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(volumesCommand(['export', broken], app.db, { routing: routing() })).rejects.toMatchObject({
      code: 'USAGE',
    });
  });

  it('as a command on PGlite: exits 1 with bad rows (nothing imported), 0 when clean', async () => {
    const data = mkdtempSync(join(tmpdir(), 'redress-volumes-data-'));
    const redress = async (args: string[]) => {
      try {
        const r = await run('node', ['bin/redress.mjs', ...args], {
          env: { ...process.env, DATABASE_URL: '', DATA_DIR: data, LOG_LEVEL: 'silent' },
        });
        return { code: 0, stdout: r.stdout, stderr: r.stderr };
      } catch (e: any) {
        return { code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string };
      }
    };
    const bad = await redress(['volumes', 'import', BAD_CSV]);
    expect(bad.code, bad.stderr).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ rows: 8, imported: 0 });
    const good = await redress(['volumes', 'import', GOOD_CSV]);
    expect(good.code, good.stderr).toBe(0);
    const db = await openDb({ dataDir: data });
    try {
      expect((await allVolumes(db)).map((v) => v.count)).toEqual([400, 600]);
    } finally {
      await db.close();
    }
  });
});
