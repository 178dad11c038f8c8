/**
 * Checks on pages in Chromium (issue #18 items 4 and 6): the Content-Security-Policy violations a page met, and an
 * axe-core run. Both go in through the DevTools protocol, which the page's own policy does not govern.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Frame, Page } from 'playwright-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Records every `securitypolicyviolation` event of every frame of the context's pages, and console lines
 * Chromium writes for refused loads (a frame refused by frame-ancestors is reported only there).
 */
export async function watchCsp(context: BrowserContext): Promise<{ violations: (page: Page) => Promise<string[]> }> {
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const consoleLines = new WeakMap<Page, string[]>();
  const watch = (page: Page) => {
    const lines: string[] = [];
    consoleLines.set(page, lines);
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) lines.push(`console: ${m.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    /** What `page` and its frames reported so far. */
    async violations(page: Page): Promise<string[]> {
      const events = await Promise.all(
        page
          .frames()
          .map((f) => f.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []).catch(() => [])),
      );
      return [...events.flat(), ...(consoleLines.get(page) ?? [])];
    },
  };
}

/** One axe finding, as printed on failure. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations in `frame` (WCAG 2.1 A and AA and best practices), its own frames left out. */
export async function axeSerious(frame: Frame | Page): Promise<AxeFinding[]> {
  await frame.evaluate(AXE);
  const found = await frame.evaluate(async () => {
    const axe = (window as unknown as { axe: any }).axe;
    const r = await axe.run(document, {
      iframes: false,
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
  return (found as AxeFinding[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
