/**
 * The manager pages' language (issue #17): `?lang=` (remembered in a cookie), else the cookie, else the browser's
 * Accept-Language; English by default. Names of departments and categories come from routing.yaml; severities,
 * channels and statuses from the dashboard's words. Traditional Chinese is the Simplified text converted.
 */
import type { Request } from 'restify';
import { z } from 'zod';
import { toTraditional } from '../../dialogs/language/detect.ts';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { DASHBOARD_EN, type DashboardKey, type DashboardText } from './dashboard-text.ts';
import { DASHBOARD_ZH_HANS } from './dashboard-text-zh.ts';

/** The languages of the manager pages. */
export const dashboardLanguageSchema = z.enum(['en', 'zh-Hans', 'zh-Hant']);
/** A language of the manager pages. */
export type DashboardLanguage = z.infer<typeof dashboardLanguageSchema>;

/** The cookie that remembers the language picked with `?lang=`. */
export const LANGUAGE_COOKIE = 'redress_lang';

// A browser's language tag → the page language: Taiwan, Hong Kong and Macau read Traditional, other Chinese Simplified.
function fromTag(tag: string): DashboardLanguage | undefined {
  const t = tag.trim().toLowerCase();
  if (/^zh-(hant|tw|hk|mo)\b/.test(t)) return 'zh-Hant';
  if (/^zh\b/.test(t)) return 'zh-Hans';
  if (/^en\b/.test(t)) return 'en';
  return undefined;
}

/** The first language of an Accept-Language header the pages speak, by its q weights (header order on ties). */
export function fromAcceptLanguage(header: string | undefined): DashboardLanguage | undefined {
  const ranked = String(header ?? '')
    .slice(0, 512)
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.split(';');
      const q = Number(/^\s*q=([\d.]+)\s*$/.exec(params.find((x) => /^\s*q=/.test(x)) ?? '')?.[1] ?? 1);
      return { lang: fromTag(tag), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.lang && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.lang;
}

/** The page language of a request, and whether `?lang=` picked it (then the response sets the cookie). */
export function requestLanguage(req: Request): { lang: DashboardLanguage; picked: boolean } {
  const asked = dashboardLanguageSchema.safeParse((req.query as Record<string, unknown> | undefined)?.lang);
  if (asked.success) return { lang: asked.data, picked: true };
  const cookie = /(?:^|;\s*)redress_lang=([^;]+)/.exec(String(req.headers.cookie ?? ''))?.[1];
  const remembered = dashboardLanguageSchema.safeParse(cookie);
  if (remembered.success) return { lang: remembered.data, picked: false };
  return { lang: fromAcceptLanguage(req.headers['accept-language']) ?? 'en', picked: false };
}

/** The Set-Cookie value that remembers `lang` for a year on the manager pages. */
export function languageCookie(lang: DashboardLanguage): string {
  return `${LANGUAGE_COOKIE}=${lang}; Path=/dashboard; SameSite=Lax; Max-Age=31536000`;
}

const traditional = new Map<DashboardKey, string>();

/** The dashboard's words in `lang`, `{name}` placeholders filled from `values`. */
export function say(lang: DashboardLanguage, key: DashboardKey, values: Record<string, unknown> = {}): string {
  const words: DashboardText = lang === 'en' ? DASHBOARD_EN : DASHBOARD_ZH_HANS;
  let text = words[key];
  if (lang === 'zh-Hant') {
    if (!traditional.has(key)) traditional.set(key, toTraditional(text));
    text = traditional.get(key)!;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The names managers read instead of ids: each falls back to the id for a value routing.yaml no longer has. */
export interface DashboardNames {
  department(id: string): string;
  category(id: string): string;
  severity(id: string): string;
  channel(id: string): string;
  status(id: string): string;
  remedy(id: string): string;
  cause(id: string): string;
  tier(id: string): string;
}

/** The names of `routing`'s departments, categories, remedies and causes, and of severities, channels and statuses. */
export function dashboardNames(routing: RoutingConfig, lang: DashboardLanguage): DashboardNames {
  const pick = (n: { en: string; 'zh-Hans': string }) =>
    lang === 'en' ? n.en : lang === 'zh-Hant' ? toTraditional(n['zh-Hans']) : n['zh-Hans'];
  const table = (list: Array<{ id: string; n: { en: string; 'zh-Hans': string } }>) => {
    const m = new Map(list.map((x) => [x.id, pick(x.n)]));
    return (id: string) => m.get(id) ?? id;
  };
  const word = (prefix: string) => (id: string) =>
    `${prefix}${id}` in DASHBOARD_EN ? say(lang, `${prefix}${id}` as DashboardKey) : id;
  return {
    department: table(routing.departments.map((d) => ({ id: d.id, n: d.name }))),
    category: table([...routing.categories, routing.default_category].map((c) => ({ id: c.id, n: c.label }))),
    severity: word('severity_'),
    channel: word('channel_'),
    status: word('status_'),
    remedy: table(routing.remedies.map((r) => ({ id: r.id, n: r.label }))),
    cause: table(routing.root_causes.map((r) => ({ id: r.id, n: r.label }))),
    tier: table(routing.tiers.map((r) => ({ id: r.id, n: r.label }))),
  };
}
