/** The staff API: tickets as JSON and status changes, behind `Authorization: Bearer $ADMIN_TOKEN`. */
import type { Request, Response, Server } from 'restify';
import { RedressError } from '../core/errors.ts';
import { bearer, readJson, sameSecret, sendError } from '../http/http.ts';
import type { Db } from '../store/db.ts';
import { listTickets, ticketByReference } from '../store/tickets.ts';
import { changeStatus, reassign, reassignSchema, statusChangeSchema, ticketSummary, ticketView } from './tickets.ts';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { FollowupQueue } from '../core/schedule-followups.ts';
import type { Deliver } from '../core/ports.ts';
import { summary, ticketsCsvChunks } from './summary.ts';
import { parseSummaryQuery } from './summary-query.ts';
import type { HeavyReads } from '../http/heavy-reads.ts';
import type { Logger } from '../core/log.ts';
import { ticketReferenceSchema } from '../domain/reference.ts';
import { mountStaffLogged, type StaffHandle } from './staff-logged.ts';
import { mountRecoveryApi } from './recovery-api.ts';
import { mountTierApi } from './tier-api.ts';
import { mountActionsApi } from './improvement-actions-api.ts';
import { mountVolumesApi } from './volumes-api.ts';
import { ticketListQuerySchema } from './openapi-schemas.ts';
import { openApiDocument } from './openapi-document.ts';
import { mountAttachmentApi } from './attachment-download.ts';

// The document says what the routes parse with (src/staff/openapi-routes.ts); built once, on the first request.
let openApi: string | undefined;

/** Answers a tickets CSV request (the period and filters in the query); the caller has checked who asks. */
export async function sendTicketsCsv(
  db: Db,
  req: Request,
  res: Response,
  o: {
    maxPeriodDays?: number;
    heavyReads?: HeavyReads;
    log?: Logger;
    clock: () => Date;
    defaultTz?: string;
    /** The departments the reader may see (a department manager's); unset or null: all. */
    departments?: readonly string[] | null;
  },
): Promise<void> {
  // Without from and to: the last 7 days, in the query's tz or DIGEST_TZ (issue #17).
  const parsed = parseSummaryQuery(req.query, o.maxPeriodDays ?? 731, { now: o.clock(), tz: o.defaultTz });
  const q = o.departments ? { ...parsed, departments: o.departments } : parsed;
  o.heavyReads?.holdFor(res);
  // Streamed a batch at a time, waiting for the client to take each: the first batch is read before the status is
  // sent, so a database that is down still gets its 503; a failure later can only cut the download short.
  const chunks = ticketsCsvChunks(db, q);
  const head = (await chunks.next()).value ?? '';
  const first = await chunks.next();
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', 'attachment; filename="tickets.csv"');
  res.writeHead(200);
  try {
    const write = async (chunk: string) => {
      if (!res.write(chunk))
        await new Promise<void>((r) => {
          res.once('drain', r);
          res.once('close', r);
        });
    };
    await write(head);
    if (!first.done) {
      await write(first.value);
      for await (const chunk of chunks) {
        if (res.destroyed) break;
        await write(chunk);
      }
    }
    res.end();
  } catch (e) {
    o.log?.error({ err: (e as Error)?.message }, 'CSV export cut short');
    res.destroy();
  }
}

/** Mounts /api/tickets routes. */
export function mountStaffApi(
  server: Server,
  o: {
    db: Db;
    routing: RoutingConfig;
    adminToken?: string;
    clock: () => Date;
    satisfactionDays: number;
    queue?: FollowupQueue;
    /** Push channels, so a resolution message goes out at once (without it, it waits in the conversation). */
    deliver?: Deliver;
    /** Called after a message to the customer was recorded, so the outbox sends it at once. */
    onOutbound?: () => void;
    maxBodyBytes: number;
    /** Longest summary or export period (SUMMARY_MAX_DAYS); 731 when omitted. */
    maxPeriodDays?: number;
    /** Time zone of a summary's days when the query names none (DIGEST_TZ); UTC when omitted. */
    defaultTz?: string;
    /** Bound on summaries and exports served at once (503 SERVER_BUSY past it). */
    heavyReads?: HeavyReads;
    log?: Logger;
    /** The engine's turn (core.engine.handle): with it, POST /api/tickets logs a complaint staff took. */
    handle?: StaffHandle;
  },
): void {
  const summaryQuery = (req: Request) =>
    parseSummaryQuery(req.query, o.maxPeriodDays ?? 731, { now: o.clock(), tz: o.defaultTz });
  const guarded = (fn: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      // No ticket data leaves without the token; an unset ADMIN_TOKEN locks the API entirely.
      if (!sameSecret(bearer(req), o.adminToken))
        throw new RedressError('UNAUTHORIZED', 'staff API needs Authorization: Bearer <ADMIN_TOKEN>');
      await fn(req, res);
    } catch (e) {
      sendError(res, e, o.log);
    }
  };
  const reference = (req: Request) => {
    const ref = String(req.params.reference ?? '').toUpperCase();
    const parsed = ticketReferenceSchema.safeParse(ref);
    if (!parsed.success) throw new RedressError('BAD_REQUEST', parsed.error.issues[0].message);
    return ref;
  };

  // Public: the document describes the API and holds no data (README, docs/staff-api.md).
  server.get('/api/openapi.json', async (_req: Request, res: Response) => {
    openApi ??= JSON.stringify(openApiDocument());
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.writeHead(200);
    res.end(openApi);
  });

  server.get(
    '/api/tickets',
    guarded(async (req, res) => {
      const q = ticketListQuerySchema.safeParse(req.query ?? {});
      if (!q.success)
        throw new RedressError(
          'BAD_REQUEST',
          q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      const rows = await listTickets(o.db, {
        status: q.data.status,
        since: q.data.since ? new Date(q.data.since) : undefined,
        limit: q.data.limit,
      });
      res.send(200, { tickets: rows.map(ticketSummary) });
    }),
  );

  if (o.handle) mountStaffLogged(server, guarded, { ...o, handle: o.handle });
  mountRecoveryApi(server, guarded, { ...o, reference });
  mountTierApi(server, guarded, o);
  mountActionsApi(server, guarded, o);
  mountVolumesApi(server, guarded, o);
  mountAttachmentApi(server, guarded, o);

  server.get(
    '/api/summary',
    guarded(async (req, res) => {
      const q = summaryQuery(req);
      o.heavyReads?.holdFor(res);
      res.send(200, await summary(o.db, q, o.clock()));
    }),
  );

  server.get(
    '/api/tickets.csv',
    guarded((req, res) => sendTicketsCsv(o.db, req, res, o)),
  );

  server.get(
    '/api/tickets/:reference',
    guarded(async (req, res) => {
      const t = await ticketByReference(o.db, reference(req));
      if (!t) throw new RedressError('NOT_FOUND', 'no such ticket');
      res.send(200, await ticketView(o.db, t));
    }),
  );

  server.post(
    '/api/tickets/:reference/status',
    guarded(async (req, res) => {
      const ref = reference(req);
      const body = statusChangeSchema.safeParse(await readJson(req, o.maxBodyBytes));
      if (!body.success)
        throw new RedressError(
          'BAD_REQUEST',
          body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        );
      const t = await changeStatus(o.db, {
        reference: ref,
        change: body.data,
        actor: 'staff-api',
        now: o.clock(),
        satisfactionDays: o.satisfactionDays,
        queue: o.queue,
        routing: o.routing,
        deliver: o.deliver,
      });
      // Resolving told the customer: send it now rather than at the outbox's next sweep.
      if (body.data.status === 'resolved') o.onOutbound?.();
      res.send(200, await ticketView(o.db, t));
    }),
  );

  server.post(
    '/api/tickets/:reference/reassign',
    guarded(async (req, res) => {
      const ref = reference(req);
      const body = reassignSchema.safeParse(await readJson(req, o.maxBodyBytes));
      if (!body.success)
        throw new RedressError(
          'BAD_REQUEST',
          body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        );
      const t = await reassign(o.db, o.routing, { reference: ref, change: body.data, actor: 'staff-api' });
      res.send(200, await ticketView(o.db, t));
    }),
  );
}
