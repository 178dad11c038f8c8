/** GET / : the official Bot Framework Web Chat, served from the botframework-webchat package (no CDN). */
import type { Server } from 'restify';
import { readFileSync } from 'node:fs';
import { packageFile } from '../../src/core/paths.ts';

const BUNDLE = packageFile('botframework-webchat', 'dist/webchat.js');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Redress — tell us what went wrong</title>
<style>
  html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; background: #f4f5f7; }
  header { padding: 12px 20px; background: #1f3a5f; color: #fff; }
  header h1 { font-size: 18px; margin: 0; }
  header p { margin: 4px 0 0; font-size: 13px; opacity: .85; }
  header button { margin-left: 8px; font-size: 12px; }
  #notice:empty { display: none; }
  #webchat { height: calc(100% - 84px); max-width: 760px; margin: 0 auto; background: #fff; }
</style>
</head>
<body>
<header><h1>Complaints</h1><p>We're sorry something went wrong. Tell us about it and we'll make sure the right team puts it right. <button id="new-chat" type="button">Start a new chat</button></p><p id="notice" role="status"></p></header>
<div id="webchat" role="main"></div>
<script src="/webchat.js"></script>
<script>
(async function () {
  const domain = location.origin + '/v3/directline';
  // The resume token is this browser's long-lived identity: it reopens the same chat days later, until it expires
  // unused or is revoked ("Start a new chat"). The Direct Line token itself lives 30 minutes and is refreshed.
  const KEY = 'redress-chat';
  const saved = (() => { try { return JSON.parse(localStorage.getItem(KEY) || 'null'); } catch (e) { return null; } })();
  let session;
  if (saved && saved.resumeToken) {
    const r = await fetch(domain + '/tokens/resume', { method: 'POST', headers: { Authorization: 'Bearer ' + saved.resumeToken } });
    if (r.ok) session = await r.json();
    else {
      localStorage.removeItem(KEY);
      const why = await r.json().catch(() => null);
      document.getElementById('notice').textContent = (why && why.error && why.error.message ? why.error.message.replace(/; start a new chat$/, '') + '. ' : '') + 'This is a new chat.';
    }
  }
  if (!session) {
    const r = await fetch(domain + '/tokens/generate', { method: 'POST' });
    session = await r.json();
    localStorage.setItem(KEY, JSON.stringify({ conversationId: session.conversationId, resumeToken: session.resumeToken }));
  }
  document.getElementById('new-chat').addEventListener('click', async function () {
    const current = JSON.parse(localStorage.getItem(KEY) || 'null');
    if (current && current.resumeToken) await fetch(domain + '/tokens/resume', { method: 'DELETE', headers: { Authorization: 'Bearer ' + current.resumeToken } });
    localStorage.removeItem(KEY);
    location.reload();
  });
  const directLine = window.WebChat.createDirectLine({ domain, token: session.token, conversationId: session.conversationId, webSocket: false });
  window.WebChat.renderWebChat({ directLine, userID: 'customer-' + session.conversationId, locale: navigator.language }, document.getElementById('webchat'));
})();
</script>
</body>
</html>`;

/** Mounts GET / and GET /webchat.js. */
export function mountPage(server: Server): void {
  const bundle = readFileSync(BUNDLE);
  server.get('/', async (_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'",
    );
    res.sendRaw(200, PAGE);
  });
  server.get('/webchat.js', async (_req, res) => {
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendRaw(200, bundle);
  });
}
