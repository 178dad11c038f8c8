/** The staff API: tickets as JSON and status changes, behind `Authorization: Bearer $ADMIN_TOKEN`. */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { RedressError } from './errors.ts';
import { bearer, readJson, sameSecret, sendError } from './http.ts';
import type { Db } from './store/db.ts';
import { listTickets, ticketByReference } from './store/tickets.ts';
import { changeStatus, reassign, reassignSchema, statusChangeSchema, ticketSummary, ticketView } from './tickets.ts';
import type { RoutingConfig } from '../dialogs/routing-config.ts';
import type { FollowupQueue } from './engine.ts';
import { summary, summaryQuerySchema, ticketsCsv, type SummaryQuery } from './summary.ts';
import type { Logger } from './log.ts';

const REFERENCE = /^CMP-\d{6,}$/;

function summaryQuery(req: Request): SummaryQuery {
  const q = summaryQuerySchema.safeParse(req.query ?? {});
  if (!q.success) throw new RedressError('BAD_REQUEST', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  try {
    new Intl.DateTimeFormat('en', { timeZone: q.data.tz });
  } catch {
    throw new RedressError('BAD_REQUEST', `tz: unknown time zone "${q.data.tz}"`);
  }
  return q.data;
}
const listQuery = z.object({
  status: z.enum(['open', 'in_progress', 'resolved', 'reopened', 'closed', 'withdrawn']).optional(),
  since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Answers a tickets CSV request (the period and filters in the query); the caller has checked who asks. */
export async function sendTicketsCsv(db: Db, req: Request, res: Response): Promise<void> {
  const csv = await ticketsCsv(db, summaryQuery(req));
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', 'attachment; filename="tickets.csv"');
  res.sendRaw(200, csv);
}

/** Mounts /api/tickets routes. */
export function mountStaffApi(
  server: Server,
  o: { db: Db; routing: RoutingConfig; adminToken?: string; clock: () => Date; satisfactionDays: number; queue?: FollowupQueue; maxBodyBytes: number; log?: Logger },
): void {
  const guarded = (fn: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      // No ticket data leaves without the token; an unset ADMIN_TOKEN locks the API entirely.
      if (!sameSecret(bearer(req), o.adminToken)) throw new RedressError('UNAUTHORIZED', 'staff API needs Authorization: Bearer <ADMIN_TOKEN>');
      await fn(req, res);
    } catch (e) {
      sendError(res, e, o.log);
    }
  };
  const reference = (req: Request) => {
    const ref = String(req.params.reference ?? '').toUpperCase();
    if (!REFERENCE.test(ref)) throw new RedressError('BAD_REQUEST', 'a ticket reference looks like CMP-000123');
    return ref;
  };

  server.get('/api/tickets', guarded(async (req, res) => {
    const q = listQuery.safeParse(req.query ?? {});
    if (!q.success) throw new RedressError('BAD_REQUEST', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const rows = await listTickets(o.db, { status: q.data.status, since: q.data.since ? new Date(q.data.since) : undefined, limit: q.data.limit });
    res.send(200, { tickets: rows.map(ticketSummary) });
  }));

  server.get('/api/summary', guarded(async (req, res) => {
    res.send(200, await summary(o.db, summaryQuery(req), o.clock()));
  }));

  server.get('/api/tickets.csv', guarded((req, res) => sendTicketsCsv(o.db, req, res)));

  server.get('/api/tickets/:reference', guarded(async (req, res) => {
    const t = await ticketByReference(o.db, reference(req));
    if (!t) throw new RedressError('NOT_FOUND', 'no such ticket');
    res.send(200, await ticketView(o.db, t));
  }));

  server.post('/api/tickets/:reference/status', guarded(async (req, res) => {
    const ref = reference(req);
    const body = statusChangeSchema.safeParse(await readJson(req, o.maxBodyBytes));
    if (!body.success) throw new RedressError('BAD_REQUEST', body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const t = await changeStatus(o.db, { reference: ref, change: body.data, actor: 'staff-api', now: o.clock(), satisfactionDays: o.satisfactionDays, queue: o.queue });
    res.send(200, await ticketView(o.db, t));
  }));

  server.post('/api/tickets/:reference/reassign', guarded(async (req, res) => {
    const ref = reference(req);
    const body = reassignSchema.safeParse(await readJson(req, o.maxBodyBytes));
    if (!body.success) throw new RedressError('BAD_REQUEST', body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const t = await reassign(o.db, o.routing, { reference: ref, change: body.data, actor: 'staff-api' });
    res.send(200, await ticketView(o.db, t));
  }));
}
