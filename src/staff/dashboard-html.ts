/** The manager pages' HTML shell: escaping, the content security policy, the page frame and its language switch. */
import { withoutBidi } from '../text/sanitize.ts';
import { say, type DashboardLanguage } from './dashboard-i18n.ts';

/**
 * Text for HTML: customer text is escaped, and loses Unicode bidi controls (an unclosed U+202E in a quote would
 * otherwise draw the rest of its line, the ticket reference, right to left).
 */
export const esc = (s: unknown) =>
  withoutBidi(String(s ?? '')).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * The pages' policy: their own scripts only (Chart.js from here, the inline one by its per-response nonce), inline
 * styles, forms posting here only, no framing.
 */
export const csp = (nonce?: string) =>
  `default-src 'none'; script-src ${nonce ? `'self' 'nonce-${nonce}'` : "'none'"}; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

/** A URL under /dashboard with `params` as its query (empty values left out), escaped for an attribute. */
export function href(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return esc(s ? `${path}?${s}` : path);
}

const LANGUAGE_NAMES: Record<DashboardLanguage, string> = {
  en: 'English',
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
};

/** The language switch: the same page in each language (`?lang=`, which the server remembers in a cookie). */
export function languageSwitch(lang: DashboardLanguage, path: string, query: Record<string, string>): string {
  return `<nav class="lang" aria-label="${esc(say(lang, 'language'))}">${(
    Object.keys(LANGUAGE_NAMES) as DashboardLanguage[]
  )
    .map((l) =>
      l === lang
        ? `<b lang="${l}">${LANGUAGE_NAMES[l]}</b>`
        : `<a lang="${l}" hreflang="${l}" href="${href(path, { ...query, lang: l })}">${LANGUAGE_NAMES[l]}</a>`,
    )
    .join(' · ')}</nav>`;
}

/** A whole page: `title` in the header, `body` (already HTML) as its main part, `nav` beside the title. */
export function page(title: string, body: string, o: { lang?: DashboardLanguage; nav?: string } = {}): string {
  return `<!doctype html><html lang="${o.lang ?? 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Redress — ${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}header{background:#1f3a5f;color:#fff;padding:12px 16px;display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:8px}header a{color:#fff}main{padding:12px 16px;max-width:1100px;margin:auto}
.period{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:12px}.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px}
.kpis div{background:#fff;padding:10px;border-radius:6px}.kpis b{font-size:1.6em;display:block}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px;margin:12px 0}
figure{background:#fff;margin:0;padding:10px;border-radius:6px}section{background:#fff;margin:12px 0;padding:10px;border-radius:6px}table{border-collapse:collapse}th,td{text-align:left;padding:2px 12px 2px 0;vertical-align:top}
.list td,.list th{border-bottom:1px solid #e3e5e8;padding:4px 8px 4px 0}pre{white-space:pre-wrap;word-break:break-word;margin:0}
</style></head><body><header><h1 style="margin:0;font-size:18px">Redress — ${esc(title)}</h1>${o.nav ?? ''}</header><main>${body}</main></body></html>`;
}

const LOCALES: Record<DashboardLanguage, string> = { en: 'en-GB', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW' };

/** A moment as managers read it: date and time in `tz`, in the page's language (escaped). */
export function when(d: Date | string | null | undefined, tz: string, lang: DashboardLanguage): string {
  if (d === null || d === undefined) return '–';
  return esc(
    new Intl.DateTimeFormat(LOCALES[lang], { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(d),
    ),
  );
}
