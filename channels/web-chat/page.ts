/**
 * GET / : the official Bot Framework Web Chat, served from the botframework-webchat package (no CDN), its own text in
 * the browser's language (page-text.ts) and under a nonce-based Content-Security-Policy (page-csp.ts). With
 * `?embed=1` it is the page /embed.js frames: the widget's title and colour in its header.
 */
import type { Server } from 'restify';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { packageFile } from '../../src/core/paths.ts';
import { esc } from '../../src/staff/dashboard-html.ts';
import { embedOptionsOf, textColourOn } from './embed-options.ts';
import { mountEmbedScript } from './embed.ts';
import { chatPageCsp } from './page-csp.ts';
import { chatPageLanguage, pageTexts, WEB_CHAT_LOCALE, type PageLanguage } from './page-text.ts';

const BUNDLE = packageFile('botframework-webchat', 'dist/webchat.js');

// The page's script, the same for every response (its words come in the JSON block beside it).
const SCRIPT = `(async function () {
  const T = JSON.parse(document.getElementById('redress-page').textContent);
  // In the widget's frame, Escape closes the chat: the page that framed it hears this and hides the frame.
  if (T.embed) document.addEventListener('keydown', function (e) { if (e.key === 'Escape') parent.postMessage('redress-chat:close', '*'); });
  const domain = location.origin + '/v3/directline';
  // The resume token is this browser's long-lived identity: it reopens the same chat days later, until it expires
  // unused or is revoked ("Start a new chat"). The Direct Line token itself lives 30 minutes and is refreshed.
  const KEY = 'redress-chat';
  // A frame on another site may be denied storage (third-party cookies blocked): the chat then works, unresumable.
  const store = (() => { try { const s = window.localStorage; s.getItem(KEY); return s; } catch (e) { return null; } })();
  const read = () => { try { return JSON.parse((store && store.getItem(KEY)) || 'null'); } catch (e) { return null; } };
  const forget = () => store && store.removeItem(KEY);
  const saved = read();
  let session;
  if (saved && saved.resumeToken) {
    const r = await fetch(domain + '/tokens/resume', { method: 'POST', headers: { Authorization: 'Bearer ' + saved.resumeToken } });
    if (r.ok) session = await r.json();
    else {
      forget();
      const why = await r.json().catch(() => null);
      // The server's reason is in English: shown on an English page only.
      document.getElementById('notice').textContent = (T.lang === 'en' && why && why.error && why.error.message ? why.error.message.replace(/; start a new chat$/, '') + '. ' : '') + T.newChatNotice;
    }
  }
  if (!session) {
    const r = await fetch(domain + '/tokens/generate', { method: 'POST' });
    session = await r.json();
    if (store) store.setItem(KEY, JSON.stringify({ conversationId: session.conversationId, resumeToken: session.resumeToken }));
  }
  document.getElementById('new-chat').addEventListener('click', async function () {
    const current = read();
    if (current && current.resumeToken) await fetch(domain + '/tokens/resume', { method: 'DELETE', headers: { Authorization: 'Bearer ' + current.resumeToken } });
    forget();
    location.reload();
  });
  const directLine = window.WebChat.createDirectLine({ domain, token: session.token, conversationId: session.conversationId });
  // Web Chat's own words in the page's language, its placeholder ours; its styles carry this response's nonce (CSP).
  window.WebChat.renderWebChat({
    directLine, userID: 'customer-' + session.conversationId, locale: T.locale, nonce: T.nonce,
    overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: T.placeholder },
  }, document.getElementById('webchat'));
})();
`;

/** What one response of the page shows. */
interface PageOptions {
  lang: PageLanguage;
  nonce: string;
  embed: boolean;
  title?: string;
  color?: string;
}

// JSON inside a <script> block: "<" escaped so no "</script>" or "<!--" can end or bend it.
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/** The page's HTML for one response. */
export function chatPageHtml(o: PageOptions): string {
  const T = pageTexts(o.lang);
  const title = o.title ?? T.title;
  const colour = o.color ?? '#1f3a5f';
  const data = { ...T, lang: o.lang, locale: WEB_CHAT_LOCALE[o.lang], nonce: o.nonce, embed: o.embed };
  return `<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.embed ? title : T.documentTitle)}</title>
<style nonce="${o.nonce}">
  html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; background: #f4f5f7; }
  body { display: flex; flex-direction: column; }
  header { flex: none; padding: ${o.embed ? '8px 12px' : '12px 20px'}; background: ${colour}; color: ${textColourOn(colour)}; }
  header h1 { font-size: ${o.embed ? '16px' : '18px'}; margin: 0; }
  header p { margin: 4px 0 0; font-size: 13px; }
  header button { margin-left: 8px; font-size: 12px; }
  #notice:empty { display: none; }
  main { flex: 1; min-height: 0; width: 100%; max-width: 760px; margin: 0 auto; background: #fff; }
  #webchat { height: 100%; }
</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p>${esc(T.greeting)} <button id="new-chat" type="button">${esc(T.newChat)}</button></p><p id="notice" role="status"></p></header>
<main aria-label="${esc(T.chatLabel)}"><div id="webchat"></div></main>
<script type="application/json" id="redress-page">${scriptJson(data)}</script>
<script src="/webchat.js"></script>
<script nonce="${o.nonce}">${SCRIPT}</script>
</body>
</html>`;
}

/** Mounts GET / (the chat page), GET /webchat.js (Web Chat's bundle) and GET /embed.js (the widget). */
export function mountPage(server: Server, o: { embedOrigins?: readonly string[] } = {}): void {
  const bundle = readFileSync(BUNDLE);
  server.get('/', async (req, res) => {
    const query = req.query as Record<string, unknown> | undefined;
    const embed = query?.embed === '1';
    // The widget's options count only in the frame: the page itself always looks the same.
    const options = embed ? embedOptionsOf(query) : {};
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', chatPageCsp(nonce, o.embedOrigins ?? []));
    // frame-ancestors decides; X-Frame-Options (which knows no list) only for browsers without it.
    if (o.embedOrigins?.length) res.removeHeader('X-Frame-Options');
    else res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.setHeader('Vary', 'Accept-Language');
    res.sendRaw(200, chatPageHtml({ lang: chatPageLanguage(req), nonce, embed, ...options }));
  });
  server.get('/webchat.js', async (_req, res) => {
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendRaw(200, bundle);
  });
  mountEmbedScript(server);
}
