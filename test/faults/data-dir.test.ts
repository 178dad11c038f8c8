/**
 * One process per DATA_DIR, with real `redress serve` processes on the embedded PGlite: a second start on the same
 * folder is refused while the first runs; a start on a busy port leaves without touching any folder; after the first
 * is SIGKILLed a new start takes over the stale lock and has every ticket confirmed before.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/index.ts';
import { LOCK_FILE } from '../../src/store/data-dir-lock.ts';
import { ADMIN_TOKEN } from '../helpers.ts';
import { complaintTurns, DirectLineConversation } from './direct-line.ts';
import { freePort, killAllChildren, launchRedress, spawnRedress, type RedressChild } from './process.ts';

const START_MS = 240_000; // a cold PGlite start through tsx on a loaded two-core machine
const staff = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('DATA_DIR is held by one process', () => {
  let dir: string;
  let dataDir: string;
  let env: Record<string, string>;
  let first: RedressChild;
  let reference: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-lock-'));
    dataDir = join(dir, 'data');
    env = { DATA_DIR: dataDir, ADMIN_TOKEN, RATE_LIMIT_PUBLIC_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
    first = await spawnRedress(env, { timeoutMs: START_MS });
    // A complaint confirmed to its customer: the data that must survive.
    const chat = await DirectLineConversation.open(() => first.url);
    for (const [i, text] of complaintTurns(7).entries()) expect((await chat.post(`t${i}`, text)).status).toBe(200);
    const open = (await (await fetch(`${first.url}/api/tickets?status=open`, { headers: staff })).json()) as {
      tickets: Array<{ reference: string }>;
    };
    expect(open.tickets).toHaveLength(1);
    reference = open.tickets[0].reference;
  }, START_MS + 60_000);

  afterAll(async () => {
    await killAllChildren();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const lockOwner = () => JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };

  it(
    'a second start on the same folder is refused with DATA_DIR_LOCKED and exit code 3; the first keeps serving',
    async () => {
      expect(lockOwner().pid).toBe(first.proc.pid);
      const second = launchRedress(env, { port: await freePort(), timeoutMs: START_MS });
      expect(await second.exited).toBe(`exit ${EXIT_CODES.DATA_DIR_LOCKED}`);
      expect(second.output()).toMatch(/DATA_DIR_LOCKED: DATA_DIR .* is in use by process \d+/);
      expect(second.output()).toContain(`process ${first.proc.pid}`);
      expect(lockOwner().pid).toBe(first.proc.pid);
      expect((await fetch(`${first.url}/api/tickets/${reference}`, { headers: staff })).status).toBe(200);
    },
    START_MS,
  );

  it(
    'a start on a busy port leaves with PORT_IN_USE and exit code 4 before opening any folder',
    async () => {
      // The same folder: had the folder been locked first, this start would have failed with DATA_DIR_LOCKED instead.
      const same = launchRedress(env, { port: first.port, timeoutMs: START_MS });
      expect(await same.exited).toBe(`exit ${EXIT_CODES.PORT_IN_USE}`);
      expect(same.output()).toMatch(/PORT_IN_USE: cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
      // A folder of its own, not there yet: still not there (not created, let alone opened).
      const fresh = join(dir, 'never-opened');
      const other = launchRedress({ ...env, DATA_DIR: fresh }, { port: first.port, timeoutMs: START_MS });
      expect(await other.exited).toBe(`exit ${EXIT_CODES.PORT_IN_USE}`);
      expect(existsSync(fresh)).toBe(false);
      expect(lockOwner().pid).toBe(first.proc.pid);
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    },
    START_MS,
  );

  it(
    'after the first is SIGKILLed, a new start takes over the stale lock and has the ticket; a graceful stop releases it',
    async () => {
      expect(await first.kill('SIGKILL')).toBe('SIGKILL');
      // The lock is left behind, naming a process that is gone.
      expect(lockOwner().pid).toBe(first.proc.pid);
      const next = await spawnRedress(env, { timeoutMs: START_MS });
      expect(lockOwner().pid).toBe(next.proc.pid);
      const r = await fetch(`${next.url}/api/tickets/${reference}`, { headers: staff });
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({
        reference,
        status: 'open',
        customer: { name: complaintTurns(7)[2], email: [complaintTurns(7)[3]] },
      });
      expect(await next.kill('SIGTERM')).toBe('exit 0');
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    },
    2 * START_MS,
  );
});
