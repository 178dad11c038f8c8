/** A real Dovecot IMAP server for tests: throw-away config, passwd-file auth, maildir in a temp dir, non-root mail uid. */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { DOVECOT, freePort } from '../../helpers.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { DOVECOT, freePort };

/** A running Dovecot with one mailbox user. */
export interface Dovecot {
  port: number;
  user: string;
  pass: string;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts Dovecot in the foreground (-F) on a free port; `stop` kills it, `start` brings it back on the same port. */
export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-dovecot-'));
  chmodSync(dir, 0o755); // the dovecot user must traverse the config directory
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'mail'), 0o777);
  const port = await freePort();
  const user = 'intake@example.com';
  const pass = 'secret-pass';
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${pass}::::::\n`);
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await canConnect(port)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`dovecot did not start; see ${dir}/dovecot.log`);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const c = child;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
    // Its helper processes die with the master; wait until the port is free again.
    for (let i = 0; i < 50 && (await canConnect(port)); i++) await new Promise((r) => setTimeout(r, 100));
  };
  await start();
  return { port, user, pass, url: `imap://${encodeURIComponent(user)}:${pass}@127.0.0.1:${port}/INBOX`, stop, start };
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
