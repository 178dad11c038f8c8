/** The web chat widget's configuration variable (issue #18 item 4), spread into config-variables.ts. */
import { z } from 'zod';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
// An origin as CSP's frame-ancestors takes it: scheme, host (a leading "*." allows its subdomains) and maybe a port.
const ORIGIN = /^(https?):\/\/(\*\.)?([a-z\d-]+(?:\.[a-z\d-]+)*|\[[\da-f:.]+\])(:\d{1,5})?$/i;

/** Why `entry` cannot be an allowed embedding origin, or undefined when it can. */
export function embedOriginProblem(entry: string): string | undefined {
  const m = ORIGIN.exec(entry);
  if (!m) return `"${entry}" is not an origin (scheme://host[:port], no path, e.g. https://shop.example.com)`;
  if (m[4] && Number(m[4].slice(1)) > 65535) return `"${entry}" has a port over 65535`;
  if (m[1].toLowerCase() === 'http' && !(LOOPBACK.has(m[3].toLowerCase()) && !m[2]))
    return `"${entry}" must be https:// (http:// only on localhost)`;
  return undefined;
}

/** The entries of a comma-separated list, trimmed, empty ones dropped. */
const entries = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** WEB_CHAT_EMBED_ORIGINS with its schema and sentence. */
export const webChatEmbedVariables = {
  WEB_CHAT_EMBED_ORIGINS: [
    z
      .string()
      .max(4000)
      .superRefine((v, ctx) => {
        // Every bad entry is its own problem, so the start-up error lists them all at once.
        for (const e of entries(v)) {
          const problem = embedOriginProblem(e);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }
      })
      .transform((v) => [...new Set(entries(v).map((e) => e.toLowerCase()))])
      .optional(),
    "Comma-separated origins of the sites that may embed the web chat (the /embed.js widget), e.g. https://shop.example.com,https://*.example.org: the chat page's Content-Security-Policy frame-ancestors lists them. https only (http:// on localhost). Unset: only Redress's own pages may frame the chat.",
  ],
} as const;
