/**
 * One process per DATA_DIR. PGlite keeps the database in files no second process may open: two processes on one
 * folder diverge silently, and one killed while another had it open can leave a folder that no longer opens. So the
 * folder is locked with a file created exclusively (O_EXCL) holding the owner's pid, host and start time.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { RedressError } from '../core/errors.ts';

/** The lock file's name inside DATA_DIR. */
export const LOCK_FILE = 'redress.lock';

/** What the lock file says about its owner. */
export interface LockOwner {
  pid: number;
  host: string;
  /** The kernel's boot id (Linux): a lock written before a reboot is stale whatever its pid now names. */
  bootId?: string;
  startedAt: string;
  /** Unique per lock taken, so a release never removes a lock someone else took over. */
  token: string;
}

/** A held lock: release it when the database is closed (also done at process exit). */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

// A lock file still empty or half-written this recently may be a process between creating and writing it.
const YOUNG_MS = 5_000;
const held = new Map<string, string>(); // lock path → token, for this process

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function readOwner(path: string): { owner?: LockOwner; raw: string } | undefined {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const o = JSON.parse(raw) as LockOwner;
    return { owner: Number.isInteger(o.pid) && typeof o.host === 'string' ? o : undefined, raw };
  } catch {
    return { raw };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Why the lock at `path` is stale, or undefined when its owner may still be running. Only a lock from this host is
 * ever judged stale: a process on another host (a shared folder) cannot be seen from here.
 */
function staleness(path: string, found: { owner?: LockOwner; raw: string }): string | undefined {
  const o = found.owner;
  if (!o) {
    const age = Date.now() - statSync(path).mtimeMs;
    return age > YOUNG_MS ? 'unreadable lock file' : undefined;
  }
  if (o.host !== hostname()) return undefined;
  const boot = bootId();
  if (o.bootId && boot && o.bootId !== boot) return 'written before a reboot';
  // Our own pid, yet not a lock of ours: an earlier run with the same pid (pid 1 in a restarted container).
  if (o.pid === process.pid) return 'written by an earlier process with this pid';
  return alive(o.pid) ? undefined : `process ${o.pid} is gone`;
}

function locked(dir: string, o: LockOwner | undefined, path: string): RedressError {
  const who = o ? `process ${o.pid} on ${o.host} (started ${o.startedAt})` : 'another process';
  return new RedressError(
    'DATA_DIR_LOCKED',
    `DATA_DIR ${dir} is in use by ${who}: only one Redress process may open the embedded database. Stop it first, or share a PostgreSQL server (DATABASE_URL) between processes. If that process is surely gone, remove ${path}.`,
    { details: o },
  );
}

/** Takes the lock on `dir` (which must exist); throws DATA_DIR_LOCKED while another live process holds it. */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(resolve(dir), LOCK_FILE);
  if (held.has(path)) throw locked(dir, readOwner(path)?.owner, path);
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    bootId: bootId(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(owner)}\n`);
      } finally {
        closeSync(fd);
      }
      held.set(path, owner.token);
      return { path, release: () => release(path, owner.token) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const found = readOwner(path);
    if (!found) continue; // released meanwhile
    const why = staleness(path, found);
    if (!why) throw locked(dir, found.owner, path);
    // Taken over atomically: move the stale file aside, then check it is the one judged stale. Had another process
    // replaced it meanwhile, its lock is put back (link fails rather than overwrite) and this start is refused.
    const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const moved = readFileSync(aside, 'utf8');
    if (moved !== found.raw) {
      try {
        linkSync(aside, path);
      } catch {
        // Yet another process locked it meanwhile: it holds the folder now.
      }
      unlinkSync(aside);
      throw locked(dir, readOwner(path)?.owner, path);
    }
    unlinkSync(aside);
    process.emitWarning(`took over the lock on ${dir}: ${why}`, { code: 'REDRESS_STALE_LOCK' });
  }
  throw locked(dir, readOwner(path)?.owner, path);
}

function release(path: string, token: string): void {
  if (held.get(path) !== token) return;
  held.delete(path);
  // Only our own lock is removed (a lock taken over after a pause of ours is not).
  if (readOwner(path)?.owner?.token === token) unlinkSync(path);
}

// Released at exit too (process.exit after a failed start); only SIGKILL or a crash of node leaves it, and the next
// start finds the pid gone.
process.on('exit', () => {
  for (const [path, token] of [...held]) {
    try {
      release(path, token);
    } catch {
      // nothing to do at exit
    }
  }
});
