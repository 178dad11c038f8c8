/**
 * GET /embed.js (issue #18 item 4): one script tag puts a chat button on any site; the button opens this server's chat
 * page in an iframe (`/?embed=1&…`). The script's data- attributes are validated as the page validates its query
 * (embed-options.ts) and set through DOM properties only: no eval, no innerHTML, no inline handlers or style
 * attributes, so it runs under a strict policy on the host page too. Framing is allowed by WEB_CHAT_EMBED_ORIGINS.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'restify';
import { COLOUR, positionSchema, TITLE_MAX_CHARS } from './embed-options.ts';
import { EMBED_SCRIPT_CSP } from './page-csp.ts';
import { pageText, type PageLanguage } from './page-text.ts';

const LANGUAGES: PageLanguage[] = ['en', 'zh-Hans', 'zh-Hant'];

/** The widget's script: the same for every site, its words in the three languages. */
export function embedScript(): string {
  const words = Object.fromEntries(
    LANGUAGES.map((l) => [l, { title: pageText(l, 'title'), frameTitle: pageText(l, 'frameTitle') }]),
  );
  const settings = {
    words,
    colour: COLOUR.source,
    positions: positionSchema.options,
    titleMax: TITLE_MAX_CHARS,
  };
  return `/* Redress chat widget: <script src=".../embed.js" data-title data-color data-lang data-position async> */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src || window.__redressChatWidget) return;
  window.__redressChatWidget = true;
  var S = ${JSON.stringify(settings).replace(/</g, '\\u003c')};
  var origin = new URL(script.src, location.href).origin;
  function data(name) {
    var v = script.getAttribute('data-' + name);
    return v === null ? '' : String(v).slice(0, 4 * S.titleMax).trim();
  }
  // The browser's language as the chat page reads Accept-Language: Taiwan, Hong Kong, Macau and Hant are Traditional.
  function browserLanguage() {
    var tags = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    for (var i = 0; i < tags.length; i++) {
      var t = String(tags[i]).toLowerCase();
      if (/^zh-(hant|tw|hk|mo)\\b/.test(t)) return 'zh-Hant';
      if (/^zh\\b/.test(t)) return 'zh-Hans';
      if (/^en\\b/.test(t)) return 'en';
    }
    return 'en';
  }
  function luminance(hex) {
    var h = hex.length === 4 ? '#' + hex[1] + hex[1] + hex[2] + hex[2] + hex[3] + hex[3] : hex;
    var c = [1, 3, 5].map(function (i) {
      var v = parseInt(h.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  var lang = S.words.hasOwnProperty(data('lang')) ? data('lang') : browserLanguage();
  var W = S.words[lang];
  var title = Array.from(data('title')).slice(0, S.titleMax).join('').trim() || W.title;
  var colour = new RegExp(S.colour, 'i').test(data('color')) ? data('color') : '#1f3a5f';
  var side = S.positions.indexOf(data('position')) >= 0 ? data('position') : 'right';
  var l = luminance(colour);
  var ink = 1.05 / (l + 0.05) >= (l + 0.05) / (luminance('#111111') + 0.05) ? '#ffffff' : '#111111';
  var query = new URLSearchParams({ embed: '1', lang: lang, title: title, color: colour, position: side });

  function mount() {
    var box = document.createElement('aside');
    box.id = 'redress-chat';
    box.setAttribute('aria-label', W.frameTitle);
    var button = document.createElement('button');
    button.type = 'button';
    button.id = 'redress-chat-button';
    button.textContent = title;
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', 'redress-chat-frame');
    var b = button.style;
    b.position = 'fixed';
    b.bottom = '20px';
    b[side] = '20px';
    b.zIndex = '2147483000';
    b.background = colour;
    b.color = ink;
    b.border = '2px solid ' + ink;
    b.borderRadius = '24px';
    b.padding = '12px 20px';
    b.font = '600 15px system-ui, sans-serif';
    b.cursor = 'pointer';
    b.boxShadow = '0 2px 8px rgba(0, 0, 0, .3)';
    var frame;
    function toggle(open) {
      if (open && !frame) {
        frame = document.createElement('iframe');
        frame.id = 'redress-chat-frame';
        frame.title = W.frameTitle;
        frame.src = origin + '/?' + query.toString();
        var f = frame.style;
        f.position = 'fixed';
        f.bottom = '80px';
        f[side] = '20px';
        f.zIndex = '2147483000';
        f.width = 'min(400px, calc(100vw - 40px))';
        f.height = 'min(600px, calc(100vh - 110px))';
        f.border = '0';
        f.borderRadius = '8px';
        f.boxShadow = '0 4px 16px rgba(0, 0, 0, .3)';
        f.background = '#ffffff';
        box.appendChild(frame);
      }
      if (frame) frame.style.display = open ? 'block' : 'none';
      button.setAttribute('aria-expanded', String(open));
      if (open) frame.focus();
    }
    button.addEventListener('click', function () {
      toggle(button.getAttribute('aria-expanded') !== 'true');
    });
    function close() {
      if (button.getAttribute('aria-expanded') !== 'true') return;
      toggle(false);
      button.focus();
    }
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') close();
    });
    // Escape inside the chat: its page says so, and only that frame of this origin is listened to.
    window.addEventListener('message', function (e) {
      if (frame && e.source === frame.contentWindow && e.origin === origin && e.data === 'redress-chat:close') close();
    });
    box.appendChild(button);
    document.body.appendChild(box);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
`;
}

/** Mounts GET /embed.js: a public script, cached an hour and revalidated by its ETag. */
export function mountEmbedScript(server: Server): void {
  const body = Buffer.from(embedScript());
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  server.get('/embed.js', async (req, res) => {
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('ETag', etag);
    res.setHeader('Content-Security-Policy', EMBED_SCRIPT_CSP);
    // Other sites load it: a page isolated with Cross-Origin-Embedder-Policy needs to be told it may.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (String(req.headers['if-none-match'] ?? '').includes(etag)) {
      res.writeHead(304);
      res.end();
      return;
    }
    res.sendRaw(200, body);
  });
}
