/** POST /api/volumes: order and customer volumes per day and department, all rows or none (issue #17 item 3). */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../core/errors.ts';
import { readJson } from '../http/http.ts';
import type { Db } from '../store/db.ts';
import { importVolumes, MAX_VOLUME_BYTES, MAX_VOLUME_ROWS, volumeErrorsMessage, volumeInputSchema } from './volumes.ts';

const by = z.string().trim().min(1).max(200);
/** Body of POST /api/volumes as documented: the rows and who imports them (recorded as `staff:<by>`). */
export const volumesBodySchema = z.strictObject({ rows: z.array(volumeInputSchema).min(1).max(MAX_VOLUME_ROWS), by });
// What the route parses first: the envelope, each row then checked on its own so a refusal names the row.
const envelopeSchema = z.strictObject({ rows: z.array(z.unknown()).min(1).max(MAX_VOLUME_ROWS), by });

/** The answer of POST /api/volumes. */
export const volumesAnswerSchema = z.object({ rows: z.number(), imported: z.number() });

/** Mounts POST /api/volumes; `guarded` checks the staff token and answers errors. */
export function mountVolumesApi(
  server: Server,
  guarded: (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => Promise<void>,
  o: { db: Db; routing: RoutingConfig },
): void {
  server.post(
    '/api/volumes',
    guarded(async (req, res) => {
      const body = envelopeSchema.safeParse(await readJson(req, MAX_VOLUME_BYTES));
      if (!body.success)
        throw new RedressError(
          body.error.issues.some((i) => i.code === 'too_big' && i.path.length === 1 && i.path[0] === 'rows')
            ? 'PAYLOAD_TOO_LARGE'
            : 'BAD_REQUEST',
          body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
          { cause: body.error },
        );
      const r = await importVolumes(o.db, body.data.rows, { routing: o.routing, actor: `staff:${body.data.by}` });
      if (r.errors.length) throw new RedressError('BAD_REQUEST', volumeErrorsMessage(r.errors));
      res.send(200, { rows: r.rows, imported: r.imported });
    }),
  );
}
