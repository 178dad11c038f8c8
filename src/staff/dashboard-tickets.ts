/**
 * The dashboard's drill-down (issue #17): GET /dashboard/tickets lists the tickets behind a figure (the period and the
 * figure's filter, paged, with their total: the figure itself), and GET /dashboard/tickets/:reference shows one
 * ticket read-only. Both sit behind the dashboard's sign-in.
 */
import type { Request, Response, Server } from 'restify';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { Logger } from '../core/log.ts';
import { RedressError } from '../core/errors.ts';
import { finishedStatusSchema, waitingStatusSchema } from '../domain/ticket-status.ts';
import { ticketReferenceSchema } from '../domain/reference.ts';
import { sendError } from '../http/http.ts';
import type { HeavyReads } from '../http/heavy-reads.ts';
import type { Db } from '../store/db.ts';
import { ticketList, ticketListCount, type TicketListFilter } from '../store/dashboard-tickets.ts';
import { ticketByReference } from '../store/tickets.ts';
import { csp, page } from './dashboard-html.ts';
import { dashboardNames, languageCookie, requestLanguage, say, type DashboardLanguage } from './dashboard-i18n.ts';
import { drillQuerySchema, LIST_PAGE_SIZE, renderTicketList } from './dashboard-list-page.ts';
import { renderTicket } from './dashboard-ticket-page.ts';
import { parseSummaryQuery } from './summary-query.ts';
import { ticketView } from './tickets.ts';
import { maySee, scopedQuery } from './auth/scope.ts';

/** What the drill-down pages need: the dashboard's own options and its sign-in check. */
export interface DashboardTicketsOptions {
  db: Db;
  routing: RoutingConfig;
  clock: () => Date;
  defaultTz?: string;
  maxPeriodDays?: number;
  heavyReads?: HeavyReads;
  log?: Logger;
  /** Whether the request is signed in (the dashboard's check). */
  authorised: (req: Request) => boolean;
  /** Answers a request that is not signed in. */
  deny: (req: Request, res: Response) => void;
}

/** The language of a manager page's request; sets its cookie when `?lang=` picked it. */
export function pageLanguage(req: Request, res: Response): DashboardLanguage {
  const { lang, picked } = requestLanguage(req);
  if (picked) res.setHeader('Set-Cookie', languageCookie(lang));
  return lang;
}

/** Sends a manager page as HTML with the pages' policy. */
export function sendPage(res: Response, status: number, html: string, nonce?: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', csp(nonce));
  res.setHeader('Cache-Control', 'no-store');
  res.sendRaw(status, html);
}

/** Wraps a manager page's handler: refused unless `o.authorised`, its errors answered. */
export function managerPage(o: Pick<DashboardTicketsOptions, 'authorised' | 'deny' | 'log'>) {
  return (fn: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      if (!o.authorised(req)) return o.deny(req, res);
      await fn(req, res);
    } catch (e) {
      sendError(res, e, o.log);
    }
  };
}

/** Mounts GET /dashboard/tickets and GET /dashboard/tickets/:reference. */
export function mountDashboardTickets(server: Server, o: DashboardTicketsOptions): void {
  const guarded = managerPage(o);

  server.get(
    '/dashboard/tickets',
    guarded(async (req, res) => {
      const lang = pageLanguage(req, res);
      const now = o.clock();
      const period = scopedQuery(req, parseSummaryQuery(req.query, o.maxPeriodDays ?? 731, { now, tz: o.defaultTz }));
      const drill = drillQuerySchema.safeParse(req.query ?? {});
      if (!drill.success)
        throw new RedressError(
          'BAD_REQUEST',
          drill.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      const { page: pageNumber, ...filters } = drill.data;
      const f: TicketListFilter = {
        ...period,
        ...filters,
        now,
        waiting: waitingStatusSchema.options,
        resolved: finishedStatusSchema.exclude(['withdrawn']).options,
      };
      o.heavyReads?.holdFor(res);
      const total = await ticketListCount(o.db, f);
      const rows = await ticketList(o.db, f, (pageNumber - 1) * LIST_PAGE_SIZE, LIST_PAGE_SIZE);
      const names = dashboardNames(o.routing, lang);
      const query = req.query as Record<string, string>;
      const html = renderTicketList({ period, drill: filters, page: pageNumber, total, rows, lang, names, query });
      sendPage(res, 200, page(say(lang, 'tickets'), html.body, { lang, nav: html.nav }));
    }),
  );

  server.get(
    '/dashboard/tickets/:reference',
    guarded(async (req, res) => {
      const lang = pageLanguage(req, res);
      const reference = ticketReferenceSchema.safeParse(String(req.params.reference ?? '').toUpperCase());
      const found = reference.success ? await ticketByReference(o.db, reference.data) : undefined;
      // A department manager's ticket of another department is answered as missing: its existence is not theirs to know.
      const t = found && maySee(req, found.department) ? found : undefined;
      const names = dashboardNames(o.routing, lang);
      if (!t) return sendPage(res, 404, page(say(lang, 'notFound'), `<p>${say(lang, 'notFound')}</p>`, { lang }));
      const view = await ticketView(o.db, t);
      const html = renderTicket(view, { lang, names, tz: o.defaultTz ?? 'UTC' });
      sendPage(res, 200, page(say(lang, 'ticket', { ref: view.reference }), html.body, { lang, nav: html.nav }));
    }),
  );
}
