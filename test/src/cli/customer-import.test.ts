import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerCommand } from '../../../src/cli/customer.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { openDb, type Db } from '../../../src/store/db.ts';
import { latestTier } from '../../../src/store/customer-tiers.ts';
import { DATABASE_URL, missing, testDb } from '../../helpers.ts';

// `npx redress customer import file.csv`: tiers from a CRM export. Bad rows are listed by line, good ones imported,
// and the same file imported twice changes nothing.
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'redress-import-'));
const csv = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const MIXED = csv(
  'mixed.csv',
  [
    'Email, Phone ,Account,TIER,Note',
    'Ann@Example.com,,,core,from the CRM',
    ',(415) 555-0100,,key,',
    ',,slack:U0ABC123,ordinary,',
    'not-an-email,,,core,',
    'carl@example.com,,,gold,',
    ',,,core,',
    'ann@example.com,,,key,',
    'dee@example.com,,,,',
    '"eve@example.com",+44 20 7946 0018,,key,"a note',
    'over two lines"',
    '',
  ].join('\n'),
);
const ERRORS = [
  { line: 5, error: 'email: Invalid email address' },
  { line: 6, error: 'unknown tier "gold"; known: core, key, ordinary' },
  { line: 7, error: 'give an email, a phone or an account' },
  { line: 8, error: 'ann@example.com was given tier core on line 2' },
  { line: 9, error: 'no tier' },
];

/** Runs `redress ...` as a user would, on a PGlite data directory; exit code and output. */
async function redress(args: string[], dataDir: string) {
  try {
    const r = await run('node', ['bin/redress.mjs', ...args], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEFAULT_PHONE_REGION: 'US' },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return { code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string };
  }
}

describe('redress customer import (the command, on PGlite)', () => {
  it('imports the good rows, lists the bad ones by line and exits 1; the second run changes nothing', async () => {
    const data = mkdtempSync(join(tmpdir(), 'redress-import-data-'));
    const first = await redress(['customer', 'import', MIXED, '--actor', 'ops'], data);
    expect(first.code, first.stderr).toBe(1);
    expect(JSON.parse(first.stdout)).toEqual({ file: MIXED, rows: 9, changed: 5, unchanged: 0, errors: ERRORS });
    const second = await redress(['customer', 'import', MIXED, '--actor', 'ops'], data);
    expect(JSON.parse(second.stdout)).toMatchObject({ changed: 0, unchanged: 5, errors: ERRORS });

    const db = await openDb({ dataDir: data });
    try {
      const rows = await db.query('SELECT kind, value, tier, set_by FROM customer_tiers ORDER BY kind, value');
      expect(rows.rows).toEqual([
        { kind: 'channel', value: 'phone:+14155550100', tier: 'key', set_by: 'ops' },
        { kind: 'channel', value: 'phone:+442079460018', tier: 'key', set_by: 'ops' },
        { kind: 'channel', value: 'slack:U0ABC123', tier: 'ordinary', set_by: 'ops' },
        { kind: 'email', value: 'ann@example.com', tier: 'core', set_by: 'ops' },
        { kind: 'email', value: 'eve@example.com', tier: 'key', set_by: 'ops' },
      ]);
      const changes = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM customer_tier_changes WHERE via = 'import'",
      );
      expect(changes.rows[0].n).toBe(5);
    } finally {
      await db.close();
    }
  });

  it('a clean file exits 0; a missing file or a file that is not CSV is a usage error', async () => {
    const data = mkdtempSync(join(tmpdir(), 'redress-import-data-'));
    const ok = await redress(['customer', 'import', csv('ok.csv', 'email,tier\nzoe@example.com,key\n')], data);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 1, changed: 1, errors: [] });
    const gone = await redress(['customer', 'import', join(dir, 'nope.csv')], data);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/^USAGE: cannot read/);
    const broken = await redress(['customer', 'import', csv('broken.csv', 'email,tier\n"zoe@example.com,key\n')], data);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not a readable CSV file/);
  });
});

describe.skipIf(!DATABASE_URL && !process.env.CI)('customer import on PostgreSQL', () => {
  let db: Db;
  beforeAll(async () => {
    if (missing('postgres')) return;
    db = await testDb('pg');
  });
  afterAll(async () => db?.close());

  it('gives the imported tier to a customer the channel vouches for, and a second import changes nothing', async () => {
    const routing = loadRoutingConfig('dialogs/routing.yaml');
    const o = { routing, phoneRegion: 'US', now: () => new Date() };
    const quiet = process.stdout.write;
    process.stdout.write = () => true;
    try {
      expect(await customerCommand(['import', MIXED, '--actor', 'cli:ops'], db, o)).toMatchObject({ changed: 5 });
      expect(await customerCommand(['import', MIXED, '--actor', 'cli:ops'], db, o)).toMatchObject({
        changed: 0,
        unchanged: 5,
        errors: ERRORS,
      });
    } finally {
      process.stdout.write = quiet;
    }
    const customer = (await db.query<{ id: number }>('INSERT INTO customers DEFAULT VALUES RETURNING id')).rows[0].id;
    expect(await latestTier(db, customer, { email: 'ann@example.com' })).toBe('core');
    expect(await latestTier(db, customer, { account: 'phone:+14155550100' })).toBe('key');
    expect(await latestTier(db, customer)).toBeUndefined();
  });
});
