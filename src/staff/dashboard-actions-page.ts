/**
 * The HTML of the Actions pages (issue #17 item 4): the list with its filters and the form to open an action, and one
 * action with its details, linked tickets, history, the form to change its state and its effect. Names, not ids.
 */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { esc, href, when } from './dashboard-html.ts';
import { say, type DashboardLanguage, type DashboardNames } from './dashboard-i18n.ts';
import type { DashboardKey } from './dashboard-text.ts';
import type { ActionSummary, ActionView } from './improvement-actions.ts';

/** What the pages need besides the actions. */
export interface ActionsPageContext {
  lang: DashboardLanguage;
  names: DashboardNames;
  routing: RoutingConfig;
  /** The zone times are shown in (DIGEST_TZ). */
  tz: string;
  /** The session's CSRF token, put in every form. */
  csrf: string;
  /** The departments the person may open actions for: null for all. */
  departments: readonly string[] | null;
}

const STATES = ['open', 'in_progress', 'done', 'cancelled'] as const;

function words(c: ActionsPageContext) {
  const t = (k: DashboardKey, x?: Record<string, unknown>) => esc(say(c.lang, k, x));
  const state = (s: string) => t(`actionState_${s}` as DashboardKey);
  const grid = (head: string[], rows: string[][]) =>
    rows.length
      ? `<table class="list"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('')}</tbody></table>`
      : `<p>${t('noActions')}</p>`;
  const csrf = `<input type="hidden" name="csrf" value="${esc(c.csrf)}">`;
  return { t, state, grid, csrf };
}

/** The list of actions (`show`: open, done or all) and the form to open one; `error` says why a form was refused. */
export function renderActionList(list: ActionSummary[], show: string, c: ActionsPageContext, error = ''): string {
  const { t, state, grid, csrf } = words(c);
  const filters = (['open', 'done', 'all'] as const)
    .map((s) => {
      const label = t(s === 'open' ? 'showOpen' : s === 'done' ? 'showDone' : 'showAll');
      return s === show ? `<b>${label}</b>` : `<a href="${href('/dashboard/actions', { show: s })}">${label}</a>`;
    })
    .join(' · ');
  const rows = list.map((a) => [
    `<a href="${href(`/dashboard/actions/${a.id}`, {})}">${esc(a.title)}</a>`,
    esc(a.owner),
    `${esc(a.due)}${a.overdue ? ` <b class="overdue">${t('overdue')}</b>` : ''}`,
    `<span class="state">${state(a.state)}</span>`,
    esc(a.cause ? c.names.cause(a.cause) : '–'),
    esc(a.department ? c.names.department(a.department) : '–'),
    String(a.tickets.length),
  ]);
  const head = ['actionTitle', 'owner', 'dueDate', 'state', 'cause', 'department', 'linkedTickets'] as const;
  const departments = c.routing.departments.filter((d) => c.departments === null || c.departments.includes(d.id));
  const option = (value: string, label: string) => `<option value="${esc(value)}">${esc(label)}</option>`;
  const form = `<form method="post" action="/dashboard/actions" id="new-action">${csrf}
<p><label>${t('actionTitle')} <input name="title" required maxlength="200" size="50"></label></p>
<p><label>${t('owner')} <input name="owner" required maxlength="100"></label></p>
<p><label>${t('dueDate')} <input type="date" name="due" required></label></p>
<p><label>${t('cause')} <select name="cause">${option('', say(c.lang, 'noCause'))}${c.routing.root_causes.map((r) => option(r.id, c.names.cause(r.id))).join('')}</select></label></p>
<p><label>${t('department')} <select name="department">${c.departments === null ? option('', say(c.lang, 'noDepartment')) : ''}${departments.map((d) => option(d.id, c.names.department(d.id))).join('')}</select></label></p>
<p><label>${t('ticketsByReference')} <input name="tickets" size="50" placeholder="CMP-000123 CMP-000124"></label></p>
<button>${t('openAction')}</button></form>`;
  return `<p><a href="${href('/dashboard', {})}">← ${t('back')}</a></p>${error ? `<p role="alert">${t('notAccepted', { reason: error })}</p>` : ''}
<section><p class="filters">${filters}</p>${grid(
    head.map((k) => t(k)),
    rows,
  )}</section><section><h2>${t('newAction')}</h2>${form}</section>`;
}

// A history line's change as a manager reads it: names of states, causes and departments, tickets by reference.
function changeText(change: Record<string, unknown>, c: ActionsPageContext): string {
  const { t, state } = words(c);
  const name = (field: string, v: unknown) =>
    field === 'state'
      ? state(String(v))
      : field === 'cause' && v
        ? esc(c.names.cause(String(v)))
        : field === 'department' && v
          ? esc(c.names.department(String(v)))
          : esc(Array.isArray(v) ? v.join(', ') : (v ?? '–'));
  const label: Record<string, DashboardKey> = {
    title: 'actionTitle',
    owner: 'owner',
    due: 'dueDate',
    state: 'state',
    cause: 'cause',
    department: 'department',
    tickets: 'linkedTickets',
  };
  return Object.entries(change)
    .map(([k, v]) => {
      if (k === 'created')
        return `${t('change_created')}: ${Object.entries(v as Record<string, unknown>)
          .map(([f, x]) => `${label[f] ? t(label[f]) : esc(f)} ${name(f, x)}`)
          .join(' · ')}`;
      if (k === 'linked' || k === 'unlinked') return `${t(`change_${k}`)}: ${name(k, v)}`;
      const { from, to } = v as { from: unknown; to: unknown };
      return `${label[k] ? t(label[k]) : esc(k)}: ${name(k, from)} → ${name(k, to)}`;
    })
    .join('<br>');
}

/** One action: details, linked tickets, the state form, history and effect. */
export function renderAction(a: ActionView, c: ActionsPageContext): string {
  const { t, state, grid, csrf } = words(c);
  const at = (d: string) => when(d, c.tz, c.lang);
  const facts = [
    [t('state'), `<span id="action-state">${state(a.state)}</span>`],
    [t('owner'), esc(a.owner)],
    [t('dueDate'), `${esc(a.due)}${a.overdue ? ` <b>${t('overdue')}</b>` : ''}`],
    [t('cause'), esc(a.cause ? c.names.cause(a.cause) : '–')],
    [t('department'), esc(a.department ? c.names.department(a.department) : '–')],
    [t('openedBy'), esc(a.createdBy)],
    [t('opened'), at(a.createdAt)],
  ];
  const tickets = a.tickets.length
    ? `<ul>${a.tickets.map((r) => `<li><a href="${href(`/dashboard/tickets/${r}`, {})}">${esc(r)}</a></li>`).join('')}</ul>`
    : `<p>${t('none')}</p>`;
  const options = STATES.map(
    (s) => `<option value="${s}"${s === a.state ? ' selected' : ''}>${state(s)}</option>`,
  ).join('');
  const form = `<form method="post" action="/dashboard/actions/${a.id}" id="change-state">${csrf}<label>${t('state')} <select name="state">${options}</select></label> <button>${t('save')}</button></form>`;
  const history = grid(
    [t('at'), t('actor'), t('details')],
    a.history.map((h) => [at(h.at), esc(h.actor), changeText(h.change, c)]),
  );
  return `<p><a href="${href('/dashboard/actions', {})}">← ${t('backToActions')}</a></p>
<section><h2>${esc(a.title)}</h2><table>${facts.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</table></section>
<section><h2>${t('changeState')}</h2>${form}</section>
<section><h2>${t('linkedTickets')}</h2>${tickets}</section>
<section id="effect"><h2>${t('effect')}</h2>${effectHtml(a, c)}</section>
<section><h2>${t('history')}</h2>${history}</section>`;
}

function effectHtml(a: ActionView, c: ActionsPageContext): string {
  const { t } = words(c);
  const e = a.effect;
  if (!e) return `<p>${t('effectNone')}</p>`;
  const at = (d: string) => when(d, c.tz, c.lang);
  const dept = e.department ? say(c.lang, 'ofDepartment', { department: c.names.department(e.department) }) : '';
  const intro = t('effectIntro', { cause: c.names.cause(e.cause), dept, days: e.days });
  const row = (label: string, s: { from: string; to: string; count: number }) =>
    `<tr><th scope="row">${label}</th><td>${at(s.from)} – ${at(s.to)}</td><td>${s.count}</td></tr>`;
  const head = `<tr><th></th><th scope="col">${t('period')}</th><th scope="col">${t('complaints')}</th></tr>`;
  const weeks = e.weeks.map((w) => row(`${t('week')} ${w.week < 0 ? w.week : `+${w.week + 1}`}`, w)).join('');
  return `<p>${intro}</p><table class="list" id="effect-totals">${head}${row(t('before'), e.before)}${row(t('after'), e.after)}</table>
<table class="list" id="effect-weeks">${head}${weeks}</table>`;
}
