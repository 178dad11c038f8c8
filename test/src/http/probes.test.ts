import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, freePort, startTestApp } from '../../helpers.ts';
import { startSink } from '../../channels/email/mail-harness.ts';

// GET /livez and GET /readyz (issue #20 item 3): alive while the process runs; ready only with the database reachable,
// every migration applied and the enabled channels' servers reachable. /readyz while PostgreSQL is stopped is in
// test/faults/pg-restart.test.ts.
const kind = DATABASE_URL ? 'pg' : 'pglite';
const probe = async (app: Redress, path: string) => {
  const r = await fetch(app.url + path);
  return { status: r.status, body: (await r.json()) as any };
};

describe('probes', () => {
  let app: Redress;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let imapPort: number;
  beforeAll(async () => {
    sink = await startSink();
    // Nothing listens on the IMAP port yet.
    imapPort = await freePort();
    app = await startTestApp(kind, {
      jobs: false,
      env: {
        SMTP_URL: sink.url,
        IMAP_URL: `imap://intake%40example.com:secret@127.0.0.1:${imapPort}/INBOX`,
        MAIL_FROM: 'complaints@shop.example',
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
  });

  it('/livez answers while the process runs, whatever its dependencies do', async () => {
    expect(await probe(app, '/livez')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('/readyz names the unreachable server in our own words, and is ready once it listens', async () => {
    const down = await probe(app, '/readyz');
    expect(down).toEqual({
      status: 503,
      body: { status: 'unavailable', problems: { email: 'the IMAP server is not reachable' } },
    });
    expect(JSON.stringify(down.body)).not.toContain(String(imapPort));
    const { createServer } = await import('node:net');
    // The probe hangs up at once: the reset that follows is expected.
    const imap = createServer((s) => s.on('error', () => undefined).end('* OK ready\r\n'));
    await new Promise<void>((r) => imap.listen(imapPort, '127.0.0.1', () => r()));
    try {
      expect(await probe(app, '/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
      // The SMTP server going away makes it unready again.
      await sink.close();
      expect((await probe(app, '/readyz')).body.problems).toEqual({ email: 'the SMTP server is not reachable' });
    } finally {
      imap.close();
    }
  });

  it('/readyz is not ready while a migration of this code is not applied', async () => {
    const [last] = (
      await app.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1')
    ).rows;
    await app.db.query('DELETE FROM schema_migrations WHERE name = $1', [last.name]);
    try {
      const r = await probe(app, '/readyz');
      expect(r.status).toBe(503);
      expect(r.body.problems.migrations).toBe(`not applied: ${last.name}`);
    } finally {
      await app.db.query('INSERT INTO schema_migrations (name) VALUES ($1)', [last.name]);
    }
  });
});
