/** The restify server: health check and shared behaviour; routes are mounted by the composition root. */
import restify from 'restify';
import type { Db } from './store/db.ts';

/** Creates the server with GET /healthz. */
export function createServer(db: Db): restify.Server {
  const server = restify.createServer({ name: 'redress', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.get('/healthz', async (_req, res) => {
    try {
      await db.query('SELECT 1 FROM schema_migrations LIMIT 1');
      res.send(200, { status: 'ok' });
    } catch {
      res.send(503, { status: 'unavailable' });
    }
  });
  return server;
}
