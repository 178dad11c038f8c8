/** GET /dashboard: the manager page. Numbers are server-rendered HTML (no JavaScript needed); charts use Chart.js. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Request, Response, Server } from 'restify';
import { packageFile } from '../core/paths.ts';
import { sendError } from '../http/http.ts';
import type { Db } from '../store/db.ts';
import { summary } from './summary.ts';
import { parseSummaryQuery } from './summary-query.ts';
import type { HeavyReads } from '../http/heavy-reads.ts';
import { sendTicketsCsv } from './staff-api.ts';
import type { StaffAuth } from './auth/staff-auth.ts';
import { isManager, scopedQuery, viewerOf } from './auth/scope.ts';
import type { Logger } from '../core/log.ts';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { languageSwitch, page } from './dashboard-html.ts';
import { dashboardNames, say } from './dashboard-i18n.ts';
import { renderDashboard } from './dashboard-page.ts';
import { mountDashboardTickets, pageLanguage, sendPage } from './dashboard-tickets.ts';
import { mountDashboardActions } from './dashboard-actions.ts';
import { mountDashboardAttachments } from './attachment-download.ts';

const CHART_JS = packageFile('chart.js', 'dist/chart.umd.min.js');

/**
 * Mounts /dashboard, its CSV export and the Chart.js bundle, for managers signed in through `auth` (a department
 * manager's figures are narrowed to their departments); sign-in itself is src/staff/auth/.
 */
export function mountDashboard(
  server: Server,
  o: {
    /** Staff sign-in: sessions, roles and the sign-in page. */
    auth: StaffAuth;
    db: Db;
    /** Names of departments and categories (issue #17: the page shows names, not ids). */
    routing: RoutingConfig;
    adminToken?: string;
    clock: () => Date;
    /** Time zone of the page's days when the query names none (DIGEST_TZ); UTC when omitted. */
    defaultTz?: string;
    maxPeriodDays?: number;
    heavyReads?: HeavyReads;
    log?: Logger;
    trustProxy?: number;
  },
): void {
  // Sign-in (src/staff/auth/): who makes the request was found before routing; only managers see the figures.
  const authorised = (req: Request) => isManager(req);
  const login = (req: Request, res: Response) => o.auth.deny(req, res);

  server.get('/dashboard/chart.js', async (req, res) => {
    if (!viewerOf(req)) return login(req, res);
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.sendRaw(200, readFileSync(CHART_JS));
  });

  // The CSV link of the page: under /dashboard so the session cookie (Path=/dashboard) goes with it. A GET that
  // changes nothing (another site's link to it runs no action), narrowed to a department manager's departments.
  server.get('/dashboard/tickets.csv', async (req, res) => {
    try {
      if (!authorised(req)) return login(req, res);
      await sendTicketsCsv(o.db, req, res, { ...o, departments: viewerOf(req)?.departments });
    } catch (e) {
      sendError(res, e, o.log);
    }
  });

  server.get('/dashboard', async (req, res) => {
    try {
      if (!authorised(req)) return login(req, res);
      const lang = pageLanguage(req, res);
      const now = o.clock();
      // Without from and to: the last 7 days, days in the query's tz or DIGEST_TZ.
      const q = scopedQuery(req, parseSummaryQuery(req.query, o.maxPeriodDays ?? 731, { now, tz: o.defaultTz }));
      o.heavyReads?.holdFor(res);
      const s = await summary(o.db, q, now);
      const nonce = randomBytes(16).toString('base64');
      const names = dashboardNames(o.routing, lang);
      const body = renderDashboard(s, { lang, names, routing: o.routing, now, nonce });
      const actions = `<a id="actions-link" href="/dashboard/actions">${say(lang, 'actionsNav')}</a>`;
      const nav =
        actions + languageSwitch(lang, '/dashboard', req.query as Record<string, string>) + o.auth.bar(req, lang);
      sendPage(res, 200, page(say(lang, 'title'), body, { lang, nav }), nonce);
    } catch (e) {
      sendError(res, e, o.log);
    }
  });

  // The drill-down lists and the read-only ticket page, behind the same sign-in.
  mountDashboardTickets(server, { ...o, authorised, deny: login });
  // The files customers sent, linked from the ticket page (src/staff/attachment-download.ts).
  mountDashboardAttachments(server, { ...o, authorised, deny: login });
  // Improvement actions (issue #17 item 4): their forms post with the session's CSRF token.
  mountDashboardActions(server, { ...o, authorised, deny: login });
}
