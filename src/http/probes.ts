/**
 * Kubernetes-style probes: GET /livez answers while the process runs (restart it when it does not); GET /readyz only
 * when it can serve: the database reachable, every migration applied, each enabled channel's dependency reachable.
 */
import type { Server } from 'restify';
import { isRedressError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { pendingMigrations } from '../store/migrate.ts';

/** One dependency readiness waits for: its name and a check that rejects while it is unreachable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** A check that does not answer in this time counts as down: a probe must answer before the prober gives up. */
const CHECK_TIMEOUT_MS = 2_000;

/** Runs `check` with a time limit; resolves to its failure in words, or undefined when it passed. */
async function failure(check: () => Promise<void>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      check().then(
        () => undefined,
        // Our own words only (a host name or a driver's message could tell an outsider about the network).
        (e: unknown) => (isRedressError(e, 'DEPENDENCY_UNREACHABLE') ? e.message : 'unreachable'),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Mounts GET /livez and GET /readyz; `checks` are the enabled channels' dependencies. */
export function mountProbes(server: Server, o: { db: Db; checks: ReadinessCheck[] }): void {
  server.get('/livez', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req, res) => {
    const problems: Record<string, string> = {};
    let pending: string[] = [];
    const db = await failure(async () => {
      pending = await pendingMigrations(o.db);
    });
    if (db) problems.database = db;
    else if (pending.length) problems.migrations = `not applied: ${pending.join(', ')}`;
    // Each check answers in words only (an error code), never a host name or a driver's message.
    const results = await Promise.all(o.checks.map(async (c) => [c.name, await failure(() => c.check())] as const));
    for (const [name, problem] of results) if (problem) problems[name] = problem;
    if (Object.keys(problems).length) res.send(503, { status: 'unavailable', problems });
    else res.send(200, { status: 'ready' });
  });
}

/** The readiness checks of the channels that declare one. */
export function readinessChecks(channels: Array<{ name: string; ready?(): Promise<void> }>): ReadinessCheck[] {
  return channels.flatMap((c) => (c.ready ? [{ name: c.name, check: () => c.ready!() }] : []));
}
