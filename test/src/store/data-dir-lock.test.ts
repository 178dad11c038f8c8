import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRedressError } from '../../../src/core/errors.ts';
import { LOCK_FILE, lockDataDir } from '../../../src/store/data-dir-lock.ts';
import { openDb } from '../../../src/store/db.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'redress-lock-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockPath = () => join(dir, LOCK_FILE);
const owner = () => JSON.parse(readFileSync(lockPath(), 'utf8'));
const refused = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isRedressError(e, 'DATA_DIR_LOCKED') ? e : undefined;
  }
  return undefined;
};
/** The pid of a process that has ended (a short-lived child, waited for). */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('DATA_DIR lock', () => {
  it('is exclusive, names its owner, and is removed on release', () => {
    const lock = lockDataDir(dir);
    expect(owner()).toMatchObject({ pid: process.pid, host: hostname() });
    // Even this process may not open the folder twice.
    expect(refused(() => lockDataDir(dir))?.message).toContain(`process ${process.pid}`);
    lock.release();
    expect(existsSync(lockPath())).toBe(false);
    lockDataDir(dir).release();
  });

  it('a lock of a live process on this host is respected', () => {
    // The parent of this test runner is alive for as long as the test runs.
    writeFileSync(lockPath(), JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: 'then', token: 'x' }));
    const e = refused(() => lockDataDir(dir));
    expect(e?.message).toMatch(new RegExp(`in use by process ${process.ppid} on ${hostname()}`));
    expect(owner().pid).toBe(process.ppid);
  });

  it('a lock whose process is gone is taken over, nothing left aside', () => {
    const pid = deadPid();
    writeFileSync(lockPath(), JSON.stringify({ pid, host: hostname(), startedAt: 'then', token: 'old' }));
    const lock = lockDataDir(dir);
    expect(owner()).toMatchObject({ pid: process.pid });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
  });

  it('a lock from another host is respected (its process cannot be seen from here)', () => {
    writeFileSync(
      lockPath(),
      JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, startedAt: 'then', token: 'x' }),
    );
    expect(refused(() => lockDataDir(dir))?.message).toMatch(/on not-/);
  });

  it('a lock written before a reboot, or by an earlier process with our pid, is stale', () => {
    writeFileSync(
      lockPath(),
      JSON.stringify({ pid: process.ppid, host: hostname(), bootId: 'an-earlier-boot', startedAt: 'then', token: 'x' }),
    );
    const boot = existsSync('/proc/sys/kernel/random/boot_id');
    if (boot) lockDataDir(dir).release();
    else expect(refused(() => lockDataDir(dir))).toBeDefined();
    writeFileSync(lockPath(), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: 'then', token: 'x' }));
    lockDataDir(dir).release();
  });

  it('an unreadable lock file is respected while young (a process writing it), taken over when old', () => {
    writeFileSync(lockPath(), '');
    expect(refused(() => lockDataDir(dir))).toBeDefined();
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath(), old, old);
    lockDataDir(dir).release();
  });

  it('openDb on a DATA_DIR takes the lock and its close releases it', async () => {
    const db = await openDb({ dataDir: dir });
    expect(owner().pid).toBe(process.pid);
    await expect(openDb({ dataDir: dir })).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
    await db.close();
    expect(existsSync(lockPath())).toBe(false);
  }, 120_000);
});
