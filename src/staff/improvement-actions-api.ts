/** The staff API's improvement actions: POST and GET /api/actions, GET and PATCH /api/actions/:id. */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../core/errors.ts';
import { readJson } from '../http/http.ts';
import type { Db } from '../store/db.ts';
import { localTime } from './digests.ts';
import { parsed as parsedInput } from './tier-api.ts';
import {
  actionCreateSchema,
  actionList,
  actionListQuerySchema,
  actionPatchSchema,
  actionView,
  changeAction,
  createAction,
  type ActionsContext,
} from './improvement-actions.ts';

/** Query of GET /api/actions/:id: the days of the effect's two periods. */
export const actionViewQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

/** An action id from the path, or NOT_FOUND. */
export function actionId(req: Request): number {
  const raw = String(req.params.id ?? '');
  if (!/^\d{1,15}$/.test(raw)) throw new RedressError('NOT_FOUND', 'no such action');
  return Number(raw);
}

/** The actions' context at this moment: today is read in `tz` (DIGEST_TZ). */
export function actionsContext(o: { db: Db; routing: RoutingConfig; clock: () => Date; tz: string }): ActionsContext {
  const now = o.clock();
  return { db: o.db, routing: o.routing, now, today: localTime(now, o.tz).day };
}

/**
 * Mounts the action routes; `guarded` checks the staff token (a manager of every department) and answers errors.
 * A department manager works on actions on the dashboard, where their session narrows them to their departments.
 */
export function mountActionsApi(
  server: Server,
  guarded: (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => Promise<void>,
  o: { db: Db; routing: RoutingConfig; clock: () => Date; defaultTz?: string; maxBodyBytes: number },
): void {
  const context = () => actionsContext({ ...o, tz: o.defaultTz ?? 'UTC' });
  const view = async (c: ActionsContext, id: number, days?: number) => {
    const v = await actionView(c, id, null, days);
    if (!v) throw new RedressError('NOT_FOUND', 'no such action');
    return v;
  };

  server.post(
    '/api/actions',
    guarded(async (req, res) => {
      const { by, ...input } = parsedInput(actionCreateSchema, await readJson(req, o.maxBodyBytes));
      const c = context();
      res.send(201, await view(c, await createAction(c, input, by, null)));
    }),
  );

  server.get(
    '/api/actions',
    guarded(async (req, res) => {
      const q = parsedInput(actionListQuerySchema, req.query ?? {});
      res.send(200, { actions: await actionList(context(), q, null) });
    }),
  );

  server.get(
    '/api/actions/:id',
    guarded(async (req, res) => {
      const id = actionId(req);
      const { days } = parsedInput(actionViewQuerySchema, req.query ?? {});
      res.send(200, await view(context(), id, days));
    }),
  );

  server.patch(
    '/api/actions/:id',
    guarded(async (req, res) => {
      const id = actionId(req);
      const { by, ...patch } = parsedInput(actionPatchSchema, await readJson(req, o.maxBodyBytes));
      const c = context();
      await changeAction(c, id, patch, by, null);
      res.send(200, await view(c, id));
    }),
  );
}
