/**
 * The read-only ticket page for managers (GET /dashboard/tickets/:reference): the record, the restatement, the
 * remedy and cause, the scores, the follow-ups and every event. Everything the customer wrote is escaped text.
 */
import { esc, href, languageSwitch, when } from './dashboard-html.ts';
import { say, type DashboardLanguage, type DashboardNames } from './dashboard-i18n.ts';
import type { DashboardKey } from './dashboard-text.ts';
import type { ticketView } from './tickets.ts';

type TicketView = Awaited<ReturnType<typeof ticketView>>;

/** What the page needs besides the ticket. */
export interface TicketPageContext {
  lang: DashboardLanguage;
  names: DashboardNames;
  /** The zone its times are shown in (DIGEST_TZ). */
  tz: string;
}

// A value of the record or an event's data, as text: strings as they are, the rest as indented JSON.
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

/** The ticket page's body and its header's navigation. */
export function renderTicket(v: TicketView, c: TicketPageContext): { body: string; nav: string } {
  const t = (k: DashboardKey, x?: Record<string, unknown>) => esc(say(c.lang, k, x));
  const at = (d: string | null) => when(d, c.tz, c.lang);
  const rows = (list: Array<[string, string]>) =>
    `<table>${list.map(([k, x]) => `<tr><th scope="row">${k}</th><td>${x}</td></tr>`).join('')}</table>`;
  const grid = (head: DashboardKey[], body: string[][]) =>
    body.length
      ? `<table class="list"><thead><tr>${head.map((k) => `<th scope="col">${t(k)}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('')}</tbody></table>`
      : `<p>${t('none')}</p>`;
  const section = (title: DashboardKey, html: string) => `<section><h2>${t(title)}</h2>${html}</section>`;
  const record: Record<string, unknown> = v.record ?? {};
  const words = Array.isArray(record.customerWords) ? (record.customerWords as unknown[]) : [];
  // The evidence (where each field was read) and the declined fields are for the understanding's audit (the staff
  // API shows them), not for a manager's reading; empty lists say nothing.
  const hidden = new Set(['customerWords', 'evidence', 'declined']);
  const fields = Object.entries(record).filter(
    ([k, x]) => !hidden.has(k) && x !== null && x !== undefined && !(Array.isArray(x) && x.length === 0),
  );
  const customer = v.customer;
  const facts: Array<[string, string]> = [
    [t('reference'), esc(v.reference)],
    [t('status'), esc(c.names.status(v.status))],
    [t('department'), esc(c.names.department(v.department))],
    [t('category'), esc(c.names.category(v.category))],
    [t('severity'), esc(c.names.severity(v.severity))],
    [t('channel'), esc(c.names.channel(v.channel))],
    [t('created'), at(v.createdAt)],
    [t('slaDue'), at(v.slaDueAt)],
    [t('resolvedAt'), at(v.resolvedAt)],
    [t('claimedBy'), esc(v.claimedBy ?? '–')],
    [t('handedOff'), t(v.handoff ? 'yes' : 'no')],
    [t('score'), esc(v.satisfaction ?? '–')],
    [t('customer'), esc([customer.name, ...customer.email, ...customer.phone].filter(Boolean).join(' · ') || '–')],
  ];
  return {
    nav: languageSwitch(c.lang, `/dashboard/tickets/${v.reference}`, {}),
    body: `<p><a href="${href('/dashboard', {})}">← ${t('back')}</a> · ${t('readOnly')}</p>
<section>${rows(facts)}</section>
${section('restatement', `<p lang="${esc(v.language)}">${esc(v.restatement)}</p>`)}
${section(
  'record',
  `<h3>${t('customerWords')}</h3>${words.length ? `<ul>${words.map((w) => `<li lang="${esc(v.language)}">“${esc(text(w))}”</li>`).join('')}</ul>` : `<p>${t('none')}</p>`}
${rows(fields.map(([k, x]) => [esc(k), `<pre>${esc(text(x))}</pre>`]))}
<h3>${t('routingReasons')}</h3>${v.routingReasons.length ? `<ul>${v.routingReasons.map((r) => `<li>${esc(text(r))}</li>`).join('')}</ul>` : `<p>${t('none')}</p>`}`,
)}
${section(
  'resolutions',
  grid(
    ['at', 'remedy', 'amount', 'cost', 'cause', 'fault', 'actor', 'message'],
    v.resolutions.map((r) => [
      at(r.at),
      esc(c.names.remedy(r.remedy)),
      esc(r.amount === null || r.amount === undefined ? '–' : `${r.amount} ${r.currency ?? ''}`),
      esc(r.cost ?? '–'),
      esc(r.cause ? c.names.cause(r.cause) : '–'),
      esc(r.fault ?? '–'),
      esc(r.resolvedBy),
      `<pre>${esc(r.message ?? '')}</pre>`,
    ]),
  ),
)}
${section(
  'surveyAnswers',
  grid(
    ['at', 'question', 'answer'],
    v.satisfactionAnswers.map((a) => [at(a.at), esc(a.question), esc(text(a.answer))]),
  ),
)}
${section(
  'followups',
  grid(
    ['kind', 'due', 'state'],
    v.followups.map((f) => [esc(f.kind), at(f.dueAt), esc(f.state)]),
  ),
)}
${section(
  'attachments',
  grid(
    ['attachmentFile', 'attachmentType', 'attachmentSize'],
    v.attachments.map((a) => [
      // Only staff signed in to the dashboard can follow the link (src/staff/attachment-download.ts): always a download.
      a.stored
        ? `<a class="attachment" href="/dashboard/attachments/${a.id}" download>${esc(a.name)}</a>`
        : `${esc(a.name)} (${t('attachmentNotKept', { reason: a.refused ?? '' })})`,
      esc(a.contentType),
      esc(a.size < 1024 ? `${a.size} B` : `${(a.size / 1024).toFixed(1)} KB`),
    ]),
  ),
)}
${section(
  'events',
  grid(
    ['at', 'kind', 'actor', 'details'],
    v.events.map((e) => [at(e.at), esc(e.kind), esc(e.actor), `<pre>${esc(text(e.data ?? ''))}</pre>`]),
  ),
)}`,
  };
}
