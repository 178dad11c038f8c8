/** GET /dashboard: the manager page. Numbers are server-rendered HTML (no JavaScript needed); charts use Chart.js. */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Request, Response, Server } from 'restify';
import { packageFile } from '../core/paths.ts';
import { bearer, readBody, sameSecret, sendError } from '../http/http.ts';
import type { Db } from '../store/db.ts';
import { summary } from './summary.ts';
import { parseSummaryQuery } from './summary-query.ts';
import type { HeavyReads } from '../http/heavy-reads.ts';
import { sendTicketsCsv } from './staff-api.ts';
import { isHttps } from '../http/security-headers.ts';
import { withoutBidi } from '../text/sanitize.ts';
import type { Logger } from '../core/log.ts';

const CHART_JS = packageFile('chart.js', 'dist/chart.umd.min.js');
const COOKIE = 'redress_staff';
const SESSION_SECONDS = 8 * 3600;

// The page is in English; a quote in another language says so, since it is shown as the customer wrote it.
const LANGUAGE_NOTE: Record<string, string> = {
  'zh-Hans': 'in Simplified Chinese',
  'zh-Hant': 'in Traditional Chinese',
};

// Customer text is escaped, and loses Unicode bidi controls: an unclosed U+202E in a quote would otherwise draw the
// rest of its line (the ticket reference) right to left.
const esc = (s: unknown) =>
  withoutBidi(String(s ?? '')).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * The page's policy: its own scripts only (Chart.js from here, the inline one by its per-response nonce), inline
 * styles, forms posting here only, no framing.
 */
const csp = (nonce?: string) =>
  `default-src 'none'; script-src ${nonce ? `'self' 'nonce-${nonce}'` : "'none'"}; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

/**
 * Mounts /dashboard (staff token or a signed session cookie made from it), its login, its CSV export and the Chart.js
 * bundle. The cookie is `Secure` when the browser reached us over https (a TLS socket, or X-Forwarded-Proto from a
 * trusted proxy): on plain http, as on localhost, a Secure cookie would never be sent back and sign-in would loop.
 */
export function mountDashboard(
  server: Server,
  o: {
    db: Db;
    adminToken?: string;
    clock: () => Date;
    maxPeriodDays?: number;
    heavyReads?: HeavyReads;
    log?: Logger;
    trustProxy?: number;
  },
): void {
  const sign = (exp: number) =>
    createHmac('sha256', o.adminToken ?? '')
      .update(`dashboard:${exp}`)
      .digest('base64url');
  const session = (req: Request) => {
    const raw = /(?:^|;\s*)redress_staff=([^;]+)/.exec(String(req.headers.cookie ?? ''))?.[1];
    const [exp, sig] = (raw ?? '').split('.');
    return !!o.adminToken && !!exp && Number(exp) * 1000 > o.clock().getTime() && sameSecret(sig, sign(Number(exp)));
  };
  const authorised = (req: Request) => !!o.adminToken && (sameSecret(bearer(req), o.adminToken) || session(req));
  const login = (res: Response, status: number, message = '') => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', csp());
    res.sendRaw(
      status,
      page(
        'Sign in',
        `<form method="post" action="/dashboard/login"><p>${esc(message)}</p><label>Staff token <input type="password" name="token" autocomplete="current-password"></label> <button>Sign in</button></form>`,
      ),
    );
  };

  server.get('/dashboard/chart.js', async (req, res) => {
    if (!authorised(req)) return login(res, 401);
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.sendRaw(200, readFileSync(CHART_JS));
  });

  server.post('/dashboard/login', async (req, res) => {
    const token = new URLSearchParams((await readBody(req, 4096)).toString('utf8')).get('token') ?? '';
    if (!o.adminToken || !sameSecret(token, o.adminToken)) return login(res, 401, 'That token is not right.');
    const exp = Math.floor(o.clock().getTime() / 1000) + SESSION_SECONDS;
    const secure = isHttps(req, o.trustProxy ?? 0) ? '; Secure' : '';
    res.setHeader(
      'Set-Cookie',
      `${COOKIE}=${exp}.${sign(exp)}; HttpOnly; SameSite=Strict; Path=/dashboard; Max-Age=${SESSION_SECONDS}${secure}`,
    );
    res.setHeader('Location', '/dashboard');
    res.sendRaw(303, '');
  });

  // The CSV link of the page: under /dashboard so the session cookie (Path=/dashboard) goes with it. A GET that
  // changes nothing, and the cookie is SameSite=Strict, so another site cannot use it for a forged request.
  server.get('/dashboard/tickets.csv', async (req, res) => {
    try {
      if (!authorised(req)) return login(res, 401);
      await sendTicketsCsv(o.db, req, res, o);
    } catch (e) {
      sendError(res, e, o.log);
    }
  });

  server.get('/dashboard', async (req, res) => {
    try {
      if (!authorised(req)) return login(res, 401);
      const now = o.clock();
      const query = req.query as Record<string, string>;
      const to = query.to ?? new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
      const from = query.from ?? new Date(now.getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
      const q = parseSummaryQuery({ ...query, from, to }, o.maxPeriodDays ?? 731);
      o.heavyReads?.holdFor(res);
      const s = await summary(o.db, q, now);
      const nonce = randomBytes(16).toString('base64');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', csp(nonce));
      res.sendRaw(200, page('Complaints', render(s, nonce)));
    } catch (e) {
      sendError(res, e, o.log);
    }
  });
}

type Summary = Awaited<ReturnType<typeof summary>>;

function table(title: string, rows: Array<[string, unknown]>): string {
  return `<section><h2>${esc(title)}</h2><table>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('') || '<tr><td>none</td></tr>'}</table></section>`;
}

function render(s: Summary, nonce: string): string {
  const p = s.period;
  const charts = {
    byDay: { labels: s.received.byDay.map((d) => d.day), data: s.received.byDay.map((d) => d.count) },
    byChannel: { labels: Object.keys(s.received.byChannel), data: Object.values(s.received.byChannel) },
    bySeverity: { labels: Object.keys(s.received.bySeverity), data: Object.values(s.received.bySeverity) },
    sla: {
      labels: s.sla.map((r) => r.department),
      met: s.sla.map((r) => r.met),
      breached: s.sla.map((r) => r.breached),
    },
  };
  return `
<form class="period" method="get" action="/dashboard">
  <label>From <input type="date" name="from" value="${esc(p.from)}"></label>
  <label>To <input type="date" name="to" value="${esc(p.to)}"></label>
  <label>Department <input name="department" value="${esc(p.department ?? '')}" placeholder="all"></label>
  <label>Time zone <input name="tz" value="${esc(p.tz)}"></label>
  <button>Show</button> <a href="/dashboard/tickets.csv?from=${esc(p.from)}&amp;to=${esc(p.to)}${p.department ? `&amp;department=${esc(p.department)}` : ''}&amp;tz=${esc(p.tz)}">Export CSV</a>
</form>
<div class="kpis">
  <div><b>${s.received.total}</b> received</div><div><b>${s.status.open}</b> open</div><div><b>${s.status.resolved}</b> resolved</div>
  <div><b>${esc(s.hoursToResolution.median ?? '–')}</b> h median to resolve</div><div><b>${esc(s.satisfaction.average ?? '–')}</b> satisfaction</div>
  <div><b>${s.reopenRate === null ? '–' : `${Math.round(s.reopenRate * 100)}%`}</b> reopened</div>
</div>
<div class="charts">
  <figure><figcaption>Complaints per day</figcaption><canvas id="byDay" role="img" aria-label="Complaints per day"></canvas></figure>
  <figure><figcaption>By channel</figcaption><canvas id="byChannel" role="img" aria-label="Complaints by channel"></canvas></figure>
  <figure><figcaption>By severity</figcaption><canvas id="bySeverity" role="img" aria-label="Complaints by severity"></canvas></figure>
  <figure><figcaption>SLA met and breached</figcaption><canvas id="sla" role="img" aria-label="SLA per department"></canvas></figure>
</div>
${table('By channel', Object.entries(s.received.byChannel))}
${table('By department', Object.entries(s.received.byDepartment))}
${table('By category', Object.entries(s.received.byCategory))}
${table('By severity', Object.entries(s.received.bySeverity))}
${table('Speed (hours)', [
  ['first response, median', s.hoursToFirstResponse.median ?? '–'],
  ['first response, 90th percentile', s.hoursToFirstResponse.p90 ?? '–'],
  ['resolution, median', s.hoursToResolution.median ?? '–'],
  ['resolution, 90th percentile', s.hoursToResolution.p90 ?? '–'],
])}
${table(
  'SLA',
  s.sla.map((r) => [r.department, `${r.met} met, ${r.breached} breached, ${r.pending} pending`]),
)}
${table('Satisfaction', [
  ['answers', s.satisfaction.answered],
  ['average', s.satisfaction.average ?? '–'],
  ['low scores', s.satisfaction.low],
  ['recovered by the second follow-up', s.satisfaction.recoveredAfterSecondFollowup],
  ['repeat complainers', `${s.repeatComplainers.customers} (${s.repeatComplainers.tickets} tickets)`],
])}
<section><h2>Top recurring issues</h2>${s.topIssues.map((t) => `<h3>${esc(t.category)} — ${t.count}</h3><ul>${t.quotes.map((q) => `<li lang="${esc(q.language)}">“${esc(q.text)}” <small>${esc(q.reference)}${q.language === 'en' ? '' : ` · ${LANGUAGE_NOTE[q.language] ?? 'not in English'}: the customer's own words, untranslated`}</small></li>`).join('')}</ul>`).join('') || '<p>none</p>'}</section>
<script src="/dashboard/chart.js" nonce="${nonce}"></script>
<script nonce="${nonce}">
const d = ${JSON.stringify(charts).replace(/</g, '\\u003c')};
const bar = (id, labels, datasets, stacked) => new Chart(document.getElementById(id), { type: 'bar', data: { labels, datasets }, options: { animation: false, responsive: true, plugins: { legend: { display: datasets.length > 1 } }, scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } } } });
bar('byDay', d.byDay.labels, [{ label: 'complaints', data: d.byDay.data, backgroundColor: '#1f3a5f' }]);
bar('byChannel', d.byChannel.labels, [{ label: 'complaints', data: d.byChannel.data, backgroundColor: '#3b7ea1' }]);
bar('bySeverity', d.bySeverity.labels, [{ label: 'complaints', data: d.bySeverity.data, backgroundColor: ['#6c9a3b', '#d99a27', '#c0392b'] }]);
bar('sla', d.sla.labels, [{ label: 'met', data: d.sla.met, backgroundColor: '#6c9a3b' }, { label: 'breached', data: d.sla.breached, backgroundColor: '#c0392b' }], true);
</script>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Redress — ${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}header{background:#1f3a5f;color:#fff;padding:12px 16px}main{padding:12px 16px;max-width:1100px;margin:auto}
.period{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:12px}.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px}
.kpis div{background:#fff;padding:10px;border-radius:6px}.kpis b{font-size:1.6em;display:block}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px;margin:12px 0}
figure{background:#fff;margin:0;padding:10px;border-radius:6px}section{background:#fff;margin:12px 0;padding:10px;border-radius:6px}table{border-collapse:collapse}th,td{text-align:left;padding:2px 12px 2px 0}
</style></head><body><header><h1 style="margin:0;font-size:18px">Redress — ${esc(title)}</h1></header><main>${body}</main></body></html>`;
}
