/** The staff API of recovery tasks (issue #16): the personal contact with an unhappy customer, recorded and listed. */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { RedressError } from '../core/errors.ts';
import type { FollowupQueue } from '../core/schedule-followups.ts';
import { readJson } from '../http/http.ts';
import type { Db } from '../store/db.ts';
import { recoveryTasksOf } from '../store/recovery-tasks.ts';
import { ticketByReference } from '../store/tickets.ts';
import { recoveryInputSchema } from './recovery-input.ts';
import { recordRecoveryIn, recoveryView } from './recovery.ts';
import { ticketView } from './tickets.ts';

/** Body of POST /api/tickets/:reference/recovery: the outcome, an internal note, and who made the contact. */
export const recoveryBodySchema = recoveryInputSchema.extend({
  /** The staff member who made the contact (an id or a name): the ticket event's actor, as `staff:<by>`. */
  by: z.string().trim().min(1).max(200),
});

/** Mounts GET and POST /api/tickets/:reference/recovery; `guarded` checks the staff token and answers errors. */
export function mountRecoveryApi(
  server: Server,
  guarded: (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => Promise<void>,
  o: { db: Db; clock: () => Date; queue?: FollowupQueue; maxBodyBytes: number; reference: (req: Request) => string },
): void {
  const found = async (req: Request) => {
    const t = await ticketByReference(o.db, o.reference(req));
    if (!t) throw new RedressError('NOT_FOUND', 'no such ticket');
    return t;
  };
  server.get(
    '/api/tickets/:reference/recovery',
    guarded(async (req, res) => {
      const t = await found(req);
      res.send(200, { reference: t.reference, recovery: (await recoveryTasksOf(o.db, t.id)).map(recoveryView) });
    }),
  );
  server.post(
    '/api/tickets/:reference/recovery',
    guarded(async (req, res) => {
      const reference = o.reference(req);
      const parsed = recoveryBodySchema.safeParse(await readJson(req, o.maxBodyBytes));
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
        throw new RedressError('BAD_REQUEST', why.join('; '), { cause: parsed.error });
      }
      const { by, ...input } = parsed.data;
      await o.db.transaction((tx) =>
        recordRecoveryIn(tx, { reference, input, actor: `staff:${by}`, now: o.clock(), queue: o.queue }),
      );
      const t = await found(req);
      res.send(200, {
        ...(await ticketView(o.db, t)),
        recovery: (await recoveryTasksOf(o.db, t.id)).map(recoveryView),
      });
    }),
  );
}
