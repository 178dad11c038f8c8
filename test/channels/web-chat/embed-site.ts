/** A shop's website on another origin for the widget tests: one page holding the /embed.js script tag. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running site: its origin as the browser reaches it (localhost, so another site than the bot's 127.0.0.1). */
export interface EmbedSite {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `page()` at / under a strict policy of its own: scripts and frames only from the bot, no inline script and
 * no style at all, so the widget has to work without eval, inline handlers or style attributes.
 */
export async function startEmbedSite(page: () => { html: string; bot: string }): Promise<EmbedSite> {
  const server: Server = createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    const { html, bot } = page();
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; script-src ${bot}; frame-src ${bot}; style-src 'none'`,
    });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The shop's page with the widget's script tag (`attributes` already HTML, e.g. `data-title="…"`). */
export function shopPage(bot: string, attributes: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme shop</title></head>
<body><main><h1>Acme shop</h1><p>Kettles, toasters and more.</p></main>
<script src="${bot}/embed.js" ${attributes} async></script>
</body></html>`;
}
