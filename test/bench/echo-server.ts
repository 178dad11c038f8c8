/**
 * The echo bot of echo-bot.ts as a server process of its own, for load.bench.ts: the same Direct Line routes, token
 * signer and message tables as a Redress process, on the same database, with only the bot different.
 *
 *   DATABASE_URL=postgres://… PORT=4000 DIRECT_LINE_SECRET=… node bin/run-ts.mjs test/bench/echo-server.ts
 *
 * DATABASE_POOL_SIZE as for Redress (10). The database must be migrated already (a Redress process or
 * `npx redress migrate` does it). Stops on SIGTERM/SIGINT.
 */
import { mountDirectLine } from '../../channels/web-chat/direct-line.ts';
import { TokenSigner } from '../../channels/web-chat/tokens.ts';
import { createServer } from '../../src/http/server.ts';
import { openDb } from '../../src/store/db.ts';
import { echoBackend } from './echo-bot.ts';

const { DATABASE_URL, DIRECT_LINE_SECRET } = process.env;
if (!DATABASE_URL || !DIRECT_LINE_SECRET) throw new Error('echo-server needs DATABASE_URL and DIRECT_LINE_SECRET');
const port = Number(process.env.PORT ?? 0);
const db = await openDb({ databaseUrl: DATABASE_URL, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const server = createServer(db);
mountDirectLine(server, {
  backend: await echoBackend(db),
  signer: new TokenSigner(DIRECT_LINE_SECRET),
  secret: DIRECT_LINE_SECRET,
  maxBodyBytes: 262_144,
});
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, process.env.HOST ?? '127.0.0.1', () => resolve());
});
const stop = async () => {
  const closed = new Promise<void>((r) => server.close(() => r()));
  server.server.closeIdleConnections?.();
  await closed;
  await db.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
