/**
 * A full disk: turns answer 503 DISK_FULL (not 500) and /healthz reports 503 with the reason, then both recover once
 * there is room again.
 *
 * On PostgreSQL the disk really fills: the test mounts a small tmpfs (it needs root, as on the CI runner and the dev
 * machine), makes it a tablespace, moves this test's tables onto it and fills the rest with a file, so the turn's
 * INSERT fails in PostgreSQL's own relation extension with SQLSTATE 53100 ("could not extend file ... No space left on
 * device"). Where mounting is not allowed, and on PGlite (whose data folder is in memory here), a trigger in the
 * test's own schema raises the same SQLSTATE 53100 (disk_full) from the same INSERT, which drives the same mapping.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../src/main.ts';
import { DISK_FULL_HOLD_MS } from '../../src/http/disk-full.ts';
import { DATABASE_URL, startTestApp, testClock } from '../helpers.ts';
import { directLine } from './support.ts';

/** A way to fill the database's disk and make room again. */
interface FullDisk {
  how: string;
  fill(): Promise<void>;
  /** The error PostgreSQL itself gives for a write needing room, while full (the real disk only). */
  proof?(): Promise<unknown>;
  free(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A tmpfs of 2 MB as a tablespace holding every table and index of the app's schema; undefined when mount is refused. */
async function tmpfsTablespace(app: Redress): Promise<FullDisk | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-full-'));
  const uid = execFileSync('id', ['-u', 'postgres']).toString().trim();
  const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=2m,uid=${uid},gid=${gid},mode=0700`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
  } catch (e) {
    rmdirSync(dir);
    console.warn(
      `disk-full test: cannot mount a tmpfs (${(e as Error).message.split('\n')[0]}); using a trigger raising disk_full instead`,
    );
    return undefined;
  }
  const space = `redress_full_${app.db.schema}`;
  const filler = join(dir, 'filler');
  await app.db.query(`CREATE TABLESPACE ${space} LOCATION '${dir}'`);
  const rels = await app.db.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'i')`,
    [app.db.schema],
  );
  for (const r of rels.rows)
    await app.db.query(
      `ALTER ${r.kind === 'r' ? 'TABLE' : 'INDEX'} ${app.db.schema}.${r.name} SET TABLESPACE ${space}`,
    );
  return {
    how: 'a 2 MB tmpfs tablespace, filled',
    async fill() {
      // Write until the file system refuses: what is left is less than one 8 KB page PostgreSQL would add.
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        closeSync(fd);
      }
    },
    async proof() {
      return app.db
        .exec(
          `CREATE TABLE IF NOT EXISTS ${app.db.schema}.full_probe (x text) TABLESPACE ${space}; INSERT INTO ${app.db.schema}.full_probe VALUES ('x')`,
        )
        .catch((e) => e);
    },
    async free() {
      rmSync(filler, { force: true });
    },
    async cleanup() {
      rmSync(filler, { force: true });
      await app.db.query(`DROP SCHEMA ${app.db.schema} CASCADE`).catch(() => undefined);
      await app.db
        .query(`DROP TABLESPACE IF EXISTS ${space}`)
        .catch((e) => console.warn(`could not drop tablespace ${space}: ${e.message}`));
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
        rmdirSync(dir);
      } catch (e) {
        console.warn(`could not unmount ${dir}: ${(e as Error).message}`);
      }
    },
  };
}

/** A trigger on messages that raises SQLSTATE 53100 (disk_full) while the disk is "full". */
function diskFullTrigger(app: Redress): FullDisk {
  return {
    how: 'a trigger raising SQLSTATE 53100',
    async fill() {
      await app.db.exec(`
        CREATE OR REPLACE FUNCTION disk_full_now() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
        CREATE TRIGGER disk_full BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION disk_full_now();`);
    },
    async free() {
      await app.db.exec('DROP TRIGGER disk_full ON messages');
    },
    async cleanup() {},
  };
}

const kinds: Array<'pg' | 'pglite'> = DATABASE_URL ? ['pg', 'pglite'] : ['pglite'];

describe.each(kinds)('a full disk on %s', (kind) => {
  const clock = testClock();
  let app: Redress;
  let disk: FullDisk;
  beforeAll(async () => {
    app = await startTestApp(kind, { jobs: false, clock: clock.now });
    disk = (kind === 'pg' && process.getuid?.() === 0 ? await tmpfsTablespace(app) : undefined) ?? diskFullTrigger(app);
    console.info(`disk-full test on ${kind}: ${disk.how}`);
  });
  afterAll(async () => {
    await disk?.cleanup();
    await app?.stop();
  });

  it('makes a turn answer 503 DISK_FULL and /healthz 503 with the reason; both recover when there is room', async () => {
    const dl = directLine(app);
    const c = await dl.open();
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    await disk.fill();
    if (disk.proof)
      expect(await disk.proof()).toMatchObject({
        code: '53100',
        message: expect.stringMatching(/could not extend file .*No space left on device/),
      });

    const post = () =>
      fetch(`${app.url}/v3/directline/conversations/${c.conversationId}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
        body: JSON.stringify({
          type: 'message',
          from: { id: 'customer' },
          text: 'My kettle from order 4411 broke',
          channelData: { clientActivityID: 'full-1' },
        }),
      });
    const refused = await post();
    const body = await refused.json();
    expect(refused.status, JSON.stringify(body)).toBe(503);
    expect(body).toEqual({ error: { code: 'DISK_FULL', message: expect.stringMatching(/disk/) } });
    expect(JSON.stringify(body)).not.toMatch(/extend file|pg_tblspc|SQLSTATE/);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);

    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable', reason: 'disk_full' });

    // Room again: the same message goes through (the client retries it), and the health check clears in time.
    await disk.free();
    const retried = await post();
    expect(retried.status, await retried.clone().text()).toBe(200);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(503);
    clock.advance(DISK_FULL_HOLD_MS + 1000);
    const healthy = await fetch(`${app.url}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ status: 'ok' });
  });
});
