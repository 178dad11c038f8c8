/** The drill-down list's page (GET /dashboard/tickets): what it shows, how many, the tickets and the pages. */
import type { TicketListRow } from '../store/dashboard-tickets.ts';
import { esc, href, languageSwitch, when } from './dashboard-html.ts';
import { say, type DashboardLanguage, type DashboardNames } from './dashboard-i18n.ts';
import type { DashboardKey } from './dashboard-text.ts';
import type { SummaryQuery } from './summary.ts';
import { z } from 'zod';
import { ticketFigureSchema, UNSET } from '../store/dashboard-tickets.ts';

/** Tickets shown per page of a drill-down list. */
export const LIST_PAGE_SIZE = 50;

const id = z
  .string()
  .regex(/^[a-z_]+$/)
  .optional();
/** The drill-down's filters beyond the period (GET /dashboard/tickets). */
export const drillQuerySchema = z.object({
  category: id,
  severity: id,
  channel: id,
  claimed_by: z
    .string()
    .regex(/^[\w.:@-]{1,200}$/)
    .optional(),
  tier: z
    .string()
    .regex(/^([a-z_]+|-)$/)
    .optional(),
  cause: id,
  fault: id,
  figure: ticketFigureSchema.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

/** What the list page shows. */
export interface TicketListPage {
  period: SummaryQuery;
  drill: Omit<z.infer<typeof drillQuerySchema>, 'page'>;
  page: number;
  total: number;
  rows: TicketListRow[];
  lang: DashboardLanguage;
  names: DashboardNames;
  /** The request's query, for the language switch and the page links. */
  query: Record<string, string>;
}

/** The list page's body and its header's navigation. */
export function renderTicketList(l: TicketListPage): { body: string; nav: string } {
  const t = (k: DashboardKey, v?: Record<string, unknown>) => esc(say(l.lang, k, v));
  const p = l.period;
  const shown: Array<[string, string]> = [
    [t('from'), esc(p.from)],
    [t('to'), esc(p.to)],
    [t('timeZone'), esc(p.tz)],
  ];
  if (p.department) shown.push([t('department'), esc(l.names.department(p.department))]);
  if (l.drill.category) shown.push([t('category'), esc(l.names.category(l.drill.category))]);
  if (l.drill.severity) shown.push([t('severity'), esc(l.names.severity(l.drill.severity))]);
  if (l.drill.channel) shown.push([t('channel'), esc(l.names.channel(l.drill.channel))]);
  if (l.drill.claimed_by)
    shown.push([t('claimedBy'), l.drill.claimed_by === UNSET ? t('unclaimed') : esc(l.drill.claimed_by)]);
  if (l.drill.cause) shown.push([t('cause'), esc(l.names.cause(l.drill.cause))]);
  if (l.drill.tier) shown.push([t('tier'), l.drill.tier === UNSET ? t('noTier') : esc(l.names.tier(l.drill.tier))]);
  if (l.drill.figure) shown.push([t('filters'), t(`figure_${l.drill.figure}`)]);
  const pages = Math.max(1, Math.ceil(l.total / LIST_PAGE_SIZE));
  const { lang: _lang, page: _page, ...rest } = l.query;
  const pageLink = (n: number, k: DashboardKey) =>
    n >= 1 && n <= pages
      ? `<a rel="${k === 'next' ? 'next' : 'prev'}" href="${href('/dashboard/tickets', { ...rest, page: n })}">${t(k)}</a>`
      : '';
  const dashboard = href('/dashboard', { from: p.from, to: p.to, tz: p.tz, department: p.department });
  const rows = l.rows
    .map(
      (r) => `<tr><td><a href="${href(`/dashboard/tickets/${r.reference}`, {})}">${esc(r.reference)}</a></td>
<td>${when(r.created_at, p.tz, l.lang)}</td><td>${esc(l.names.status(r.status))}</td><td>${esc(l.names.department(r.department))}</td>
<td>${esc(l.names.category(r.category))}</td><td>${esc(l.names.severity(r.severity))}</td><td>${esc(l.names.channel(r.channel))}</td>
<td lang="${esc(r.language)}">${esc(r.restatement.slice(0, 200))}</td><td>${when(r.sla_due_at, p.tz, l.lang)}</td><td>${esc(r.satisfaction ?? '–')}</td></tr>`,
    )
    .join('');
  const head = (
    [
      'reference',
      'created',
      'status',
      'department',
      'category',
      'severity',
      'channel',
      'restatement',
      'slaDue',
      'score',
    ] as const
  )
    .map((k) => `<th scope="col">${t(k)}</th>`)
    .join('');
  return {
    nav: languageSwitch(l.lang, '/dashboard/tickets', l.query),
    body: `<p><a href="${dashboard}">← ${t('back')}</a></p>
<section><table>${shown.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</table>
<p><b id="count" data-count="${l.total}">${t('ticketsFound', { n: l.total })}</b> · ${t('page', { a: l.page, b: pages })}</p></section>
<section><table class="list"><thead><tr>${head}</tr></thead><tbody>${rows || `<tr><td colspan="10">${t('none')}</td></tr>`}</tbody></table>
<p>${pageLink(l.page - 1, 'previous')} ${pageLink(l.page + 1, 'next')}</p></section>`,
  };
}
