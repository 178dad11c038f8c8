/**
 * The dashboard's Actions pages (issue #17 item 4): GET /dashboard/actions (list and the form to open one), POST
 * /dashboard/actions (open), GET /dashboard/actions/:id (one action) and POST /dashboard/actions/:id (its state).
 * Every form carries the session's CSRF token and is checked by `auth.checkForm`; a department manager reaches only
 * the actions of their departments.
 */
import type { Request, Response, Server } from 'restify';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { isRedressError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { readBody } from '../http/http.ts';
import type { Db } from '../store/db.ts';
import { page } from './dashboard-html.ts';
import { dashboardNames, say } from './dashboard-i18n.ts';
import { managerPage, pageLanguage, sendPage } from './dashboard-tickets.ts';
import { renderAction, renderActionList, type ActionsPageContext } from './dashboard-actions-page.ts';
import { actionId, actionsContext, actionViewQuerySchema } from './improvement-actions-api.ts';
import { parsed as parsedInput } from './tier-api.ts';
import {
  actionCreateSchema,
  actionList,
  actionListQuerySchema,
  actionPatchSchema,
  actionView,
  changeAction,
  createAction,
} from './improvement-actions.ts';
import type { StaffAuth } from './auth/staff-auth.ts';
import { viewerOf } from './auth/scope.ts';

const FORM_BYTES = 8192;

/** What the Actions pages need: the dashboard's options and its sign-in check. */
export interface DashboardActionsOptions {
  auth: StaffAuth;
  db: Db;
  routing: RoutingConfig;
  clock: () => Date;
  defaultTz?: string;
  log?: Logger;
  /** Whether the request comes from a manager (the dashboard's check). */
  authorised: (req: Request) => boolean;
  /** Answers a request that may not see the pages. */
  deny: (req: Request, res: Response) => void;
}

/** Mounts the Actions pages. */
export function mountDashboardActions(server: Server, o: DashboardActionsOptions): void {
  const tz = o.defaultTz ?? 'UTC';
  const scope = (req: Request) => viewerOf(req)?.departments ?? null;
  const pageContext = (req: Request, res: Response): ActionsPageContext => {
    const lang = pageLanguage(req, res);
    const v = viewerOf(req)!;
    return {
      lang,
      names: dashboardNames(o.routing, lang),
      routing: o.routing,
      tz,
      csrf: v.csrf ?? '',
      departments: v.departments,
    };
  };
  const nav = (req: Request, c: ActionsPageContext) => o.auth.bar(req, c.lang);
  const form = async (req: Request) => new URLSearchParams((await readBody(req, FORM_BYTES)).toString('utf8'));
  const guarded = managerPage(o);
  const list = async (req: Request, res: Response, status: number, error = '', show = 'all') => {
    const c = pageContext(req, res);
    const q = parsedInput(actionListQuerySchema, { show });
    const actions = await actionList(actionsContext({ ...o, tz }), q, scope(req));
    const body = renderActionList(actions, q.show, c, error);
    sendPage(res, status, page(say(c.lang, 'actions'), body, { lang: c.lang, nav: nav(req, c) }));
  };

  server.get(
    '/dashboard/actions',
    guarded(async (req, res) => {
      const show = parsedInput(actionListQuerySchema, req.query ?? {}).show;
      await list(req, res, 200, '', show);
    }),
  );

  server.post(
    '/dashboard/actions',
    guarded(async (req, res) => {
      const fields = await form(req);
      o.auth.checkForm(req, fields.get('csrf'));
      const optional = (k: string) => fields.get(k)?.trim() || undefined;
      const tickets = (fields.get('tickets') ?? '')
        .slice(0, 2000)
        .toUpperCase()
        .split(/[\s,;]+/)
        .filter(Boolean);
      const by = viewerOf(req)!.name;
      try {
        const input = parsedInput(actionCreateSchema, {
          title: fields.get('title') ?? '',
          owner: fields.get('owner') ?? '',
          due: fields.get('due') ?? '',
          cause: optional('cause'),
          department: optional('department'),
          tickets,
          by,
        });
        const id = await createAction(actionsContext({ ...o, tz }), input, by, scope(req));
        res.setHeader('Location', `/dashboard/actions/${id}`);
        res.sendRaw(303, '');
      } catch (e) {
        // A refused form is shown again with the reason; anything else is an error.
        if (!isRedressError(e) || (e.code !== 'BAD_REQUEST' && e.code !== 'FORBIDDEN')) throw e;
        await list(req, res, e.status, e.message);
      }
    }),
  );

  server.get(
    '/dashboard/actions/:id',
    guarded(async (req, res) => {
      const c = pageContext(req, res);
      const { days } = parsedInput(actionViewQuerySchema, req.query ?? {});
      const a = await actionView(actionsContext({ ...o, tz }), actionId(req), scope(req), days);
      if (!a)
        return sendPage(res, 404, page(say(c.lang, 'actionNotFound'), `<p>${say(c.lang, 'actionNotFound')}</p>`, c));
      const title = say(c.lang, 'action', { id: a.id });
      sendPage(res, 200, page(title, renderAction(a, c), { lang: c.lang, nav: nav(req, c) }));
    }),
  );

  server.post(
    '/dashboard/actions/:id',
    guarded(async (req, res) => {
      const fields = await form(req);
      o.auth.checkForm(req, fields.get('csrf'));
      const id = actionId(req);
      const by = viewerOf(req)!.name;
      const { by: _, ...patch } = parsedInput(actionPatchSchema, { state: fields.get('state') ?? undefined, by });
      await changeAction(actionsContext({ ...o, tz }), id, patch, by, scope(req));
      res.setHeader('Location', `/dashboard/actions/${id}`);
      res.sendRaw(303, '');
    }),
  );
}
