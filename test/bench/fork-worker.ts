/** A benchmark's client in a child process: requests go over IPC, numbered so each answer finds its caller. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The child, a call that runs one request there, and `close()`, which ends the child. */
export interface Worker<Req, Res> {
  child: ChildProcess;
  call(req: Req): Promise<Res>;
  close(): Promise<void>;
}

/** Forks `entry` (with `args`) under the CLI's TypeScript loader; it answers `{n, result}` or `{n, error}`. */
export function forkWorker<Req, Res>(entry: string, args: string[] = [], env = process.env): Worker<Req, Res> {
  const runTs = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));
  const child: ChildProcess = fork(runTs, [entry, ...args], { env, stdio: 'inherit' });
  let n = 0;
  return {
    child,
    call: (req: Req) =>
      new Promise<Res>((resolve, reject) => {
        const id = ++n;
        const onMessage = (m: { n: number; result?: Res; error?: string }) => {
          if (m.n !== id) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          if (m.error) reject(new Error(`client: ${m.error}`));
          else resolve(m.result!);
        };
        const onExit = (code: number | null) => reject(new Error(`client exited (${code})`));
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ n: id, req });
      }),
    async close() {
      if (child.connected) child.disconnect();
      await new Promise<void>((r) =>
        child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
      );
    },
  };
}
