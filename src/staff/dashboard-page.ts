/**
 * The dashboard's main page (issue #17): the period picker, the figures and the charts, every count a link to the
 * tickets behind it (/dashboard/tickets with the period and the figure's filter), in the manager's language.
 */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import type { TicketFigure } from '../store/dashboard-tickets.ts';
import { esc, href } from './dashboard-html.ts';
import { outcomesTable } from './dashboard-outcomes.ts';
import { indicatorSections } from './dashboard-indicators.ts';
import { say, type DashboardLanguage, type DashboardNames } from './dashboard-i18n.ts';
import type { DashboardKey } from './dashboard-text.ts';
import type { summary } from './summary.ts';
import { addDays, todayIn } from './summary-query.ts';

type Summary = Awaited<ReturnType<typeof summary>>;
type Period = Summary['period'];

/** What narrows a drill-down list besides the period. */
export interface DrillFilter {
  category?: string;
  severity?: string;
  channel?: string;
  claimed_by?: string;
  tier?: string;
  cause?: string;
  fault?: string;
  figure?: TicketFigure;
}

/** The drill-down list of `period`'s tickets narrowed by `f` (not escaped: see {@link href}). */
export function ticketsQuery(p: Period, f: DrillFilter = {}): Record<string, string | undefined> {
  return { from: p.from, to: p.to, tz: p.tz, department: p.department ?? undefined, ...f };
}

/** What the page needs besides the figures. */
export interface PageContext {
  lang: DashboardLanguage;
  names: DashboardNames;
  routing: RoutingConfig;
  now: Date;
  nonce: string;
}

const SEVERITY_COLORS: Record<string, string> = { ordinary: '#6c9a3b', serious: '#d99a27', urgent: '#c0392b' };

/** The unescaped URL of a drill-down list. */
function listUrl(q: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
  return `/dashboard/tickets?${params}`;
}

const LANGUAGE_NOTE: Partial<Record<string, DashboardKey>> = { 'zh-Hans': 'inHans', 'zh-Hant': 'inHant', en: 'inEn' };

/** The main page's body for summary `s`. */
export function renderDashboard(s: Summary, c: PageContext): string {
  const p = s.period;
  const t = (k: DashboardKey, v?: Record<string, unknown>) => esc(say(c.lang, k, v));
  const link = (n: unknown, f: DrillFilter = {}, period: Period = p) =>
    `<a class="n" href="${href('/dashboard/tickets', ticketsQuery(period, f))}">${esc(n)}</a>`;
  const url = (period: Period, f: DrillFilter = {}) => listUrl(ticketsQuery(period, f));
  const inDepartment = (department: string): Period => ({ ...p, department });
  // One bar per value, most first, each opening the list of its tickets.
  const dimension = (m: Record<string, number>, name: (id: string) => string, to: (id: string) => string) => ({
    labels: Object.keys(m).map(name),
    data: [Object.values(m)],
    links: Object.keys(m).map((k) => [to(k)]),
    colors: Object.keys(m).map((k) => SEVERITY_COLORS[k]),
  });
  const charts = {
    byDay: {
      labels: s.received.byDay.map((d) => d.day),
      data: [s.received.byDay.map((d) => d.count)],
      links: s.received.byDay.map((d) => [url({ ...p, from: d.day, to: addDays(d.day, 1) })]),
    },
    byChannel: dimension(s.received.byChannel, c.names.channel, (k) => url(p, { channel: k })),
    bySeverity: dimension(s.received.bySeverity, c.names.severity, (k) => url(p, { severity: k })),
    // A department narrows the period itself: the summary's SQL counts a department as the period's.
    byDepartment: dimension(s.received.byDepartment, c.names.department, (k) => url(inDepartment(k))),
    sla: {
      labels: s.sla.map((r) => c.names.department(r.department)),
      data: [s.sla.map((r) => r.met), s.sla.map((r) => r.breached)],
      links: s.sla.map((r) =>
        (['sla_met', 'sla_breached'] as const).map((figure) => url(inDepartment(r.department), { figure })),
      ),
    },
  };
  const table = (title: string, rows: Array<[string, string]>) =>
    `<section><h2>${title}</h2><table>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('') || `<tr><td>${t('none')}</td></tr>`}</table></section>`;
  const counts = (m: Record<string, number>, name: (id: string) => string, cell: (id: string, n: number) => string) =>
    Object.entries(m).map(([k, n]): [string, string] => [esc(name(k)), cell(k, n)]);
  const hours = (v: number | null) => esc(v ?? '–');
  const today = todayIn(p.tz, c.now);
  const preset = (days: number) =>
    `<a href="${href('/dashboard', { from: addDays(today, 1 - days), to: addDays(today, 1), tz: p.tz, department: p.department })}">${t('last', { n: days })}</a>`;
  const departments = c.routing.departments
    .map(
      (d) =>
        `<option value="${esc(d.id)}"${d.id === p.department ? ' selected' : ''}>${esc(c.names.department(d.id))}</option>`,
    )
    .join('');
  const quoteNote = (language: string) =>
    language === c.lang || (c.lang === 'en' && language === 'en')
      ? ''
      : ` · ${t(LANGUAGE_NOTE[language] ?? 'notEnglish')}: ${t('ownWords')}`;
  return `
<form class="period" method="get" action="/dashboard">
  <label>${t('from')} <input type="date" name="from" value="${esc(p.from)}"></label>
  <label>${t('to')} <input type="date" name="to" value="${esc(p.to)}"></label>
  <label>${t('department')} <select name="department"><option value="">${t('allDepartments')}</option>${departments}</select></label>
  <label>${t('timeZone')} <input name="tz" value="${esc(p.tz)}"></label>
  <button>${t('show')}</button> ${[7, 30, 90].map(preset).join(' · ')}
  <a href="${href('/dashboard/tickets.csv', { from: p.from, to: p.to, department: p.department, tz: p.tz })}">${t('exportCsv')}</a>
</form>
<div class="kpis">
  <div><b>${link(s.received.total)}</b> ${t('received')}</div><div><b>${link(s.status.open, { figure: 'open' })}</b> ${t('open')}</div>
  <div><b>${link(s.status.resolved, { figure: 'resolved' })}</b> ${t('resolved')}</div>
  <div><b>${hours(s.hoursToResolution.median)}</b> ${t('medianToResolve')}</div><div><b>${esc(s.satisfaction.average ?? '–')}</b> ${t('satisfactionAverage')}</div>
  <div><b>${s.reopenRate === null ? '–' : `${Math.round(s.reopenRate * 100)}%`}</b> ${t('reopenedShare')}</div>
</div>
<div class="charts">
${(
  ['perDay:byDay', 'byChannel:byChannel', 'bySeverity:bySeverity', 'byDepartment:byDepartment', 'slaChart:sla'] as const
)
  .map((x) => {
    const [k, id] = x.split(':') as [DashboardKey, string];
    return `  <figure><figcaption>${t(k)}</figcaption><canvas id="${id}" role="img" aria-label="${t(k)}"></canvas></figure>`;
  })
  .join('\n')}
</div>
${table(
  t('byChannel'),
  counts(s.received.byChannel, c.names.channel, (k, n) => link(n, { channel: k })),
)}
${table(
  t('byDepartment'),
  counts(s.received.byDepartment, c.names.department, (k, n) => link(n, {}, inDepartment(k))),
)}
${table(
  t('byCategory'),
  counts(s.received.byCategory, c.names.category, (k, n) => link(n, { category: k })),
)}
${table(
  t('bySeverity'),
  counts(s.received.bySeverity, c.names.severity, (k, n) => link(n, { severity: k })),
)}
${table(t('speed'), [
  [t('firstResponseMedian'), hours(s.hoursToFirstResponse.median)],
  [t('firstResponseP90'), hours(s.hoursToFirstResponse.p90)],
  [t('ticketsTimed'), link(s.hoursToFirstResponse.tickets, { figure: 'responded' })],
  [t('resolutionMedian'), hours(s.hoursToResolution.median)],
  [t('resolutionP90'), hours(s.hoursToResolution.p90)],
  [t('ticketsTimed'), link(s.hoursToResolution.tickets, { figure: 'resolution_timed' })],
])}
${table(
  t('sla'),
  s.sla.map((r) => {
    const d = inDepartment(r.department);
    return [
      esc(c.names.department(r.department)),
      `${link(r.met, { figure: 'sla_met' }, d)} ${t('met')}, ${link(r.breached, { figure: 'sla_breached' }, d)} ${t('breached')}, ${link(r.pending, { figure: 'sla_pending' }, d)} ${t('pending')}`,
    ];
  }),
)}
${table(t('satisfaction'), [
  [t('answers'), link(s.satisfaction.answered, { figure: 'answered' })],
  [t('average'), esc(s.satisfaction.average ?? '–')],
  [t('lowScores'), link(s.satisfaction.low, { figure: 'low' })],
  [t('recovered'), link(s.satisfaction.recoveredAfterSecondFollowup, { figure: 'recovered' })],
  [
    t('reopenedShare'),
    t('reopenedOf', { a: '\u0000a', b: '\u0000b' })
      .replace('\u0000a', link(s.reopened.tickets, { figure: 'reopened' }))
      .replace('\u0000b', link(s.reopened.everResolved, { figure: 'ever_resolved' })),
  ],
  [
    t('repeatComplainers'),
    `${esc(s.repeatComplainers.customers)} (${link(s.repeatComplainers.tickets, { figure: 'repeat' })})`,
  ],
])}
${outcomesTable(s.outcomes, c, link)}
${indicatorSections(s.indicators, { ...c, period: p, link })}
<section><h2>${t('topIssues')}</h2>${s.topIssues.map((i) => `<h3>${esc(c.names.category(i.category))} — ${link(i.count, { category: i.category })}</h3><ul>${i.quotes.map((q) => `<li lang="${esc(q.language)}"><a href="${href(`/dashboard/tickets/${q.reference}`, {})}">“${esc(q.text)}”</a> <small>${esc(q.reference)}${quoteNote(q.language)}</small></li>`).join('')}</ul>`).join('') || `<p>${t('none')}</p>`}</section>
<script src="/dashboard/chart.js" nonce="${c.nonce}"></script>
<script nonce="${c.nonce}">
const d = ${JSON.stringify({ charts, labels: { complaints: say(c.lang, 'complaints'), met: say(c.lang, 'met'), breached: say(c.lang, 'breached') } }).replace(/</g, '\\u003c')};
const go = (links) => (e, els) => { if (els.length) location.assign(links[els[0].index][els[0].datasetIndex]); };
const bar = (id, datasets, stacked) => { const c = d.charts[id]; new Chart(document.getElementById(id), { type: 'bar', data: { labels: c.labels, datasets: datasets.map((x, i) => ({ ...x, data: c.data[i] })) }, options: { animation: false, responsive: true, onClick: go(c.links), onHover: (e, els) => { e.native.target.style.cursor = els.length ? 'pointer' : 'default'; }, plugins: { legend: { display: datasets.length > 1 } }, scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } } } }); };
const one = (id, color) => [{ label: d.labels.complaints, backgroundColor: d.charts[id].colors?.every(Boolean) ? d.charts[id].colors : color }];
bar('byDay', one('byDay', '#1f3a5f'));
bar('byChannel', one('byChannel', '#3b7ea1'));
bar('bySeverity', one('bySeverity', '#d99a27'));
bar('byDepartment', one('byDepartment', '#5b6b8c'));
bar('sla', [{ label: d.labels.met, backgroundColor: '#6c9a3b' }, { label: d.labels.breached, backgroundColor: '#c0392b' }], true);
</script>`;
}
