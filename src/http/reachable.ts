/** Whether a server a channel depends on accepts TCP connections (readiness): connect, then hang up at once. */
import { connect } from 'node:net';
import { RedressError } from '../core/errors.ts';

/** Connects to the host and port of `url` (`defaultPort` when it names none); rejects, saying `what`, when it cannot. */
export function tcpReachable(url: string, defaultPort: number, what: string): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || defaultPort);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 1_500 });
    const fail = (cause?: unknown) => {
      socket.destroy();
      reject(new RedressError('DEPENDENCY_UNREACHABLE', `${what} is not reachable`, { cause }));
    };
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => fail());
    socket.once('error', fail);
  });
}
