/** The dashboard's "Outcomes" section (issue #17): resolution rate, first contact, remedies, causes, recovery. */
import { esc } from './dashboard-html.ts';
import { say, type DashboardLanguage, type DashboardNames } from './dashboard-i18n.ts';
import type { DashboardKey } from './dashboard-text.ts';
import type { DrillFilter } from './dashboard-page.ts';
import type { summary } from './summary.ts';

type Outcomes = Awaited<ReturnType<typeof summary>>['outcomes'];

/**
 * The section for `o`, names in the page's language; every value escaped. Ticket counts link to their lists (`link`);
 * remedies count resolutions and recovery counts tasks (a ticket may have several), so those are not links.
 */
export function outcomesTable(
  o: Outcomes,
  c: { lang: DashboardLanguage; names: DashboardNames },
  link: (n: number, f: DrillFilter) => string,
): string {
  const t = (k: DashboardKey, v?: Record<string, unknown>) => esc(say(c.lang, k, v));
  const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
  const of = (a: number, b: number) => t('recoveredOf', { a, b });
  // "a of b" with both counts opening their tickets.
  const ofLinked = (a: [number, DrillFilter], b: [number, DrillFilter]) =>
    t('recoveredOf', { a: '\u0000a', b: '\u0000b' })
      .replace('\u0000a', link(...a))
      .replace('\u0000b', link(...b));
  const resolved: [number, DrillFilter] = [o.counts.resolved, { figure: 'resolved' }];
  const rows: Array<[string, string]> = [
    [
      t('resolutionRate'),
      `${pct(o.resolutionRate)} (${ofLinked(resolved, [o.counts.resolvable, { figure: 'resolvable' }])})`,
    ],
    [
      t('firstContact'),
      `${pct(o.firstContactResolution)} (${ofLinked([o.counts.firstContact, { figure: 'first_contact' }], resolved)})`,
    ],
    [
      t('remedies'),
      o.remedies
        .map(
          (r) =>
            `${esc(c.names.remedy(r.remedy))}: ${r.count}${r.cost === null ? '' : `, ${esc(r.cost)} ${esc(r.currency ?? '')}`}`,
        )
        .join('<br>') || t('none'),
    ],
    [
      t('topCauses'),
      o.topCauses
        .map((r) => `${esc(c.names.cause(r.cause))}: ${link(r.count, { cause: r.cause, fault: r.fault })}`)
        .join('<br>') || t('none'),
    ],
    [
      t('recoveryRate'),
      o.recovery.map((r) => `${esc(c.names.department(r.department))}: ${of(r.recovered, r.tasks)}`).join('<br>') ||
        t('none'),
    ],
  ];
  return `<section><h2>${t('outcomes')}</h2><table>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</table></section>`;
}
