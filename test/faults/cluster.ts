/**
 * A private PostgreSQL 15 cluster for one test file (pg_createcluster, Debian's postgresql-common), so a test can stop
 * and start "the database" without touching the shared server other tests use. Runs as root: the tools switch to
 * the postgres user themselves.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { freePort } from './process.ts';

const run = promisify(execFile);
const VERSION = '15';

/** Why a private cluster cannot be made here (undefined when it can). */
export function clusterToolsMissing(): string | undefined {
  for (const tool of [
    '/usr/bin/pg_createcluster',
    '/usr/bin/pg_ctlcluster',
    '/usr/bin/pg_dropcluster',
    `/usr/lib/postgresql/${VERSION}/bin/initdb`,
  ]) {
    if (!existsSync(tool)) return `${tool} is not installed (apt-get install postgresql-${VERSION})`;
  }
  return undefined;
}

/** A running private cluster. */
export interface PrivateCluster {
  name: string;
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  url: string;
  /** pg_ctlcluster stop -m fast: active connections are terminated (57P01), new ones refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops and removes the cluster and its files. */
  drop(): Promise<void>;
}

/** Creates and starts a cluster on a free port with trust authentication, small enough for a test machine. */
export async function createCluster(): Promise<PrivateCluster> {
  const name = `redress_fault_${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  // Created without --start and driven with --skip-systemctl-redirect: on a machine with systemd, pg_ctlcluster
  // would otherwise hand the cluster to a systemd unit.
  const ctl = (action: string, ...extra: string[]) =>
    run('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, name, action, ...extra], { timeout: 120_000 }).then(
      () => undefined,
    );
  try {
    await run(
      'pg_createcluster',
      [
        VERSION,
        name,
        '-p',
        String(port),
        '-o',
        'shared_buffers=16MB',
        '-o',
        'max_connections=40',
        '-o',
        'fsync=off',
        '--',
        '--auth=trust',
      ],
      { timeout: 120_000 },
    );
    await ctl('start');
  } catch (e) {
    // A cluster that was created but did not start is removed, so nothing is left behind.
    await run('pg_dropcluster', [VERSION, name]).catch(() => {});
    throw e;
  }
  return {
    name,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => ctl('stop', '-m', 'fast'),
    start: () => ctl('start'),
    async drop() {
      await ctl('stop', '-m', 'immediate').catch(() => {}); // already stopped is fine
      await run('pg_dropcluster', [VERSION, name], { timeout: 120_000 });
    },
  };
}
