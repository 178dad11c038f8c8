/**
 * The HTTP port, bound before anything else at start: a start that cannot serve (EADDRINUSE) leaves having touched
 * nothing, not the data folder above all. The bound socket is then handed to the HTTP server, so no other process
 * can take the port in between.
 */
import { createServer, type Server } from 'node:net';
import { RedressError } from '../core/errors.ts';

/** Binds `port` on `host`; throws PORT_IN_USE (or the bind error) when it cannot. */
export async function reservePort(port: number, host: string): Promise<Server> {
  // Until the routes are mounted a connection is refused outright (reset), as if the port were not open yet, rather
  // than held unanswered.
  const reserved = createServer({ pauseOnConnect: true }, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    reserved.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE' || e.code === 'EACCES'
          ? new RedressError(
              'PORT_IN_USE',
              `cannot listen on ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use (is Redress already running?)' : 'permission denied'}`,
              { cause: e },
            )
          : e,
      ),
    );
    reserved.listen(port, host, () => resolve());
  });
  return reserved;
}
