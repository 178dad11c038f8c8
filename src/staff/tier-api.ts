/** The staff API's tier routes: a customer's tier set by one of their tickets or by a contact point. */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../core/errors.ts';
import { ticketReferenceSchema } from '../domain/reference.ts';
import { readJson } from '../http/http.ts';
import type { Db } from '../store/db.ts';
import { ticketByReference } from '../store/tickets.ts';
import { contactPointInputSchema, setPointsTier, setTicketTier, tierPoints } from './tier.ts';
import { ticketView } from './tickets.ts';

/** Who sets the tier: the staff member (an id or a name), recorded as the change's actor `staff:<by>`. */
const by = z.string().trim().min(1).max(200);
/** Body of POST /api/tickets/:reference/tier. */
export const ticketTierSchema = z.strictObject({ tier: z.string().min(1).max(100), by });
/** Body of POST /api/customers/tier: one contact point (or several of the same person), the tier, who sets it. */
export const pointTierSchema = contactPointInputSchema.extend({ tier: z.string().min(1).max(100), by }).strict();

/** Parses `body` with `schema` or throws BAD_REQUEST listing every problem (the improvement actions use it too). */
export function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new RedressError(
      'BAD_REQUEST',
      r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      { cause: r.error },
    );
  return r.data;
}

/** Mounts the tier routes; `guarded` checks the staff token and answers errors. */
export function mountTierApi(
  server: Server,
  guarded: (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => Promise<void>,
  o: { db: Db; routing: RoutingConfig; maxBodyBytes: number },
): void {
  server.post(
    '/api/tickets/:reference/tier',
    guarded(async (req, res) => {
      const ref = ticketReferenceSchema.safeParse(String(req.params.reference ?? '').toUpperCase());
      if (!ref.success) throw new RedressError('BAD_REQUEST', ref.error.issues[0].message);
      const b = parsed(ticketTierSchema, await readJson(req, o.maxBodyBytes));
      const t = await o.db.transaction(async (tx) => {
        await setTicketTier(tx, o.routing, { reference: ref.data, tier: b.tier, actor: `staff:${b.by}`, via: 'api' });
        return (await ticketByReference(tx, ref.data))!;
      });
      res.send(200, await ticketView(o.db, t));
    }),
  );

  server.post(
    '/api/customers/tier',
    guarded(async (req, res) => {
      const b = parsed(pointTierSchema, await readJson(req, o.maxBodyBytes));
      const points = tierPoints(b);
      const changed = await o.db.transaction((tx) =>
        setPointsTier(tx, o.routing, { points, tier: b.tier, actor: `staff:${b.by}`, via: 'api' }),
      );
      res.send(200, { tier: b.tier, points, changed });
    }),
  );
}
