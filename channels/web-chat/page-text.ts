/**
 * The chat page's own words (issue #18 item 5) in English and Simplified Chinese; Traditional Chinese is the Simplified
 * text converted with OpenCC, as the dashboard's is. The language is `?lang=`, else the browser's Accept-Language.
 */
import type { Request } from 'restify';
import { toTraditional } from '../../dialogs/language/detect.ts';
import { dashboardLanguageSchema, fromAcceptLanguage, type DashboardLanguage } from '../../src/staff/dashboard-i18n.ts';

/** A language of the chat page (the dashboard's three). */
export type PageLanguage = DashboardLanguage;

/** Every piece of text the chat page and the widget show around Web Chat, in English. */
export const PAGE_EN = {
  documentTitle: 'Redress — tell us what went wrong',
  title: 'Complaints',
  greeting: "We're sorry something went wrong. Tell us about it and we'll make sure the right team puts it right.",
  newChat: 'Start a new chat',
  newChatNotice: 'This is a new chat.',
  placeholder: 'Tell us what happened',
  chatLabel: 'Chat with us',
  openWidget: 'Open the complaints chat',
  closeWidget: 'Close the chat',
  frameTitle: 'Complaints chat',
};
/** The keys of the page's text. */
export type PageTextKey = keyof typeof PAGE_EN;

const PAGE_ZH_HANS: Record<PageTextKey, string> = {
  documentTitle: 'Redress — 告诉我们哪里出了问题',
  title: '投诉',
  greeting: '很抱歉给您带来不便。请告诉我们发生了什么，我们会确保由合适的团队为您解决。',
  newChat: '开始新的对话',
  newChatNotice: '这是一次新的对话。',
  placeholder: '请告诉我们发生了什么',
  chatLabel: '与我们对话',
  openWidget: '打开投诉对话',
  closeWidget: '关闭对话',
  frameTitle: '投诉对话',
};

const converted = new Map<PageTextKey, string>();

/** The page's `key` text in `lang`. */
export function pageText(lang: PageLanguage, key: PageTextKey): string {
  if (lang === 'en') return PAGE_EN[key];
  if (lang === 'zh-Hans') return PAGE_ZH_HANS[key];
  if (!converted.has(key)) converted.set(key, toTraditional(PAGE_ZH_HANS[key]));
  return converted.get(key)!;
}

/** All of the page's text in `lang`. */
export function pageTexts(lang: PageLanguage): Record<PageTextKey, string> {
  return Object.fromEntries((Object.keys(PAGE_EN) as PageTextKey[]).map((k) => [k, pageText(lang, k)])) as Record<
    PageTextKey,
    string
  >;
}

/** The locale Web Chat is rendered in for each page language (its own strings: "Send", "Bot said", times). */
export const WEB_CHAT_LOCALE: Record<PageLanguage, string> = { en: 'en-US', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW' };

/** The chat page's language: `?lang=` (what the widget's data-lang passes), else Accept-Language, else English. */
export function chatPageLanguage(req: Request): PageLanguage {
  const asked = dashboardLanguageSchema.safeParse((req.query as Record<string, unknown> | undefined)?.lang);
  if (asked.success) return asked.data;
  return fromAcceptLanguage(req.headers['accept-language']) ?? 'en';
}
