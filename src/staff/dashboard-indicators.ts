/**
 * The dashboard's indicator sections (issue #17 item 3): complaints per 1,000 orders and customers, satisfaction by
 * dimension against the previous period, SLA and recovery per person. Counts of tickets link to their lists.
 */
import { UNSET } from '../store/dashboard-tickets.ts';
import { esc } from './dashboard-html.ts';
import { say, type DashboardLanguage, type DashboardNames } from './dashboard-i18n.ts';
import type { DrillFilter } from './dashboard-page.ts';
import type { DashboardKey } from './dashboard-text.ts';
import type { summary } from './summary.ts';

type Summary = Awaited<ReturnType<typeof summary>>;
type Indicators = Summary['indicators'];
type Period = Summary['period'];
type Cell = Indicators['satisfactionBy']['category'][number];

/** What the sections need from the page: the language, names, the period and its link to a ticket list. */
export interface IndicatorContext {
  lang: DashboardLanguage;
  names: DashboardNames;
  period: Period;
  /** A count as a link to the tickets of `period` narrowed by `f` (the page's own link). */
  link: (n: unknown, f?: DrillFilter, period?: Period) => string;
}

const dash = (x: number | null) => (x === null ? '–' : esc(x));
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const signed = (x: number | null) => (x === null ? '–' : x > 0 ? `+${x}` : esc(x));

/** A table with a header row; each row's first cell is its row header. */
function grid(head: string[], rows: string[][], none: string): string {
  if (!rows.length) return `<p>${none}</p>`;
  const th = head.map((h) => `<th scope="col">${h}</th>`).join('');
  const tr = rows.map(
    ([h, ...cells]) => `<tr><th scope="row">${h}</th>${cells.map((v) => `<td>${v}</td>`).join('')}</tr>`,
  );
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr.join('')}</tbody></table>`;
}

/** Complaints per 1,000 orders and customers, all departments first; counts of complaints link to their tickets. */
function complaintRateSection(r: Indicators['complaintRate'], c: IndicatorContext, t: Say): string {
  const row = (name: string, x: Indicators['complaintRate']['overall'], link: string) => [
    name,
    link,
    dash(x.orders),
    dash(x.perThousandOrders),
    dash(x.customers),
    dash(x.perThousandCustomers),
  ];
  const rows = [
    row(t('allDepartments'), r.overall, c.link(r.overall.complaints)),
    ...r.byDepartment.map((d) =>
      row(
        esc(c.names.department(d.department)),
        d,
        c.link(d.complaints, {}, { ...c.period, department: d.department }),
      ),
    ),
  ];
  const head = ['', t('complaints'), t('orders'), t('perThousandOrders'), t('customers'), t('perThousandCustomers')];
  const note = r.overall.orders === null && r.overall.customers === null ? `<p>${t('noVolumes')}</p>` : '';
  return `<section><h2>${t('complaintRate')}</h2>${grid(head, rows, t('none'))}${note}</section>`;
}

type Say = (k: DashboardKey, v?: Record<string, unknown>) => string;
type Dimension = Exclude<keyof Indicators['satisfactionBy'], 'previousPeriod'>;

/** Satisfaction by every dimension, now and in the previous period, each count of answers a link to its tickets. */
function satisfactionSection(s: Indicators['satisfactionBy'], c: IndicatorContext, t: Say): string {
  const before: Period = { ...c.period, from: s.previousPeriod.from, to: s.previousPeriod.to };
  // Each dimension: its title, a value's name, and the list filter (and period) its tickets are counted with.
  const dims: Array<
    [Dimension, DashboardKey, (id: string | null) => string, (id: string | null, p: Period) => [DrillFilter, Period]]
  > = [
    ['category', 'byCategory', (id) => esc(c.names.category(id ?? '')), (id, p) => [{ category: id ?? '' }, p]],
    ['channel', 'byChannel', (id) => esc(c.names.channel(id ?? '')), (id, p) => [{ channel: id ?? '' }, p]],
    ['severity', 'bySeverity', (id) => esc(c.names.severity(id ?? '')), (id, p) => [{ severity: id ?? '' }, p]],
    [
      'department',
      'byDepartment',
      (id) => esc(c.names.department(id ?? '')),
      (id, p) => [{}, { ...p, department: id }],
    ],
    ['staff', 'byStaff', (id) => (id === null ? t('unclaimed') : esc(id)), (id, p) => [{ claimed_by: id ?? UNSET }, p]],
    [
      'tier',
      'byTier',
      (id) => (id === null ? t('noTier') : esc(c.names.tier(id))),
      (id, p) => [{ tier: id ?? UNSET }, p],
    ],
  ];
  const head = ['', t('answers'), t('average'), t('previousAnswers'), t('previousAverage'), t('change')];
  const answered = (n: number, id: string | null, p: Period, to: (typeof dims)[number][3]) => {
    const [f, period] = to(id, p);
    return c.link(n, { ...f, figure: 'answered' }, period);
  };
  const tables = dims.map(([dim, title, name, to]) => {
    const rows = s[dim].map((x: Cell) => [
      name(x.id),
      answered(x.answered, x.id, c.period, to),
      dash(x.average),
      answered(x.previousAnswered, x.id, before, to),
      dash(x.previousAverage),
      signed(x.change),
    ]);
    return `<h3>${t(title)}</h3>${grid(head, rows, t('none'))}`;
  });
  return `<section><h2>${t('satisfactionBy', { from: before.from, to: before.to })}</h2>${tables.join('')}</section>`;
}

/** SLA per claimer (each count a link to its tickets) and recovery per task owner (tasks, not tickets: no link). */
function peopleSection(p: Indicators['people'], c: IndicatorContext, t: Say): string {
  const sla = p.sla.map((r) => {
    const who = r.staff ?? UNSET;
    return [
      r.staff === null ? t('unclaimed') : esc(r.staff),
      c.link(r.met, { claimed_by: who, figure: 'sla_met' }),
      c.link(r.breached, { claimed_by: who, figure: 'sla_breached' }),
      c.link(r.pending, { claimed_by: who, figure: 'sla_pending' }),
    ];
  });
  const recovery = p.recovery.map((r) => [
    r.owner === null ? t('noOwner') : esc(r.owner),
    `${pct(r.rate)} (${t('recoveredOf', { a: r.recovered, b: r.tasks })})`,
  ]);
  return `<section><h2>${t('people')}</h2><h3>${t('slaByStaff')}</h3>${grid(['', t('met'), t('breached'), t('pending')], sla, t('none'))}
<h3>${t('recoveryByOwner')}</h3>${grid(['', t('recoveryRate')], recovery, t('none'))}</section>`;
}

/** The three sections for `i`, names in the page's language; every value escaped. */
export function indicatorSections(i: Indicators, c: IndicatorContext): string {
  const t: Say = (k, v) => esc(say(c.lang, k, v));
  return [
    complaintRateSection(i.complaintRate, c, t),
    satisfactionSection(i.satisfactionBy, c, t),
    peopleSection(i.people, c, t),
  ].join('\n');
}
