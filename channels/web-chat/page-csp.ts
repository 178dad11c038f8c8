/**
 * The chat page's Content-Security-Policy (issue #18 item 4). Scripts: Web Chat's bundle from here (/webchat.js) and
 * the page's own inline script by a nonce fresh for each response, no eval. Styles: ours and the ones Web Chat injects
 * carry the same nonce (one empty sheet aside, below). Connections to this origin only (Direct Line; 'self' also covers its ws:/wss: stream).
 * Framing: this origin and the sites in WEB_CHAT_EMBED_ORIGINS, nobody else. Uploads (issue #18 item 3): the client
 * reads the picked file back from its blob: URL (connect-src) and Web Chat draws its thumbnail in a worker it makes
 * from a blob: of its own code (worker-src); a blob: URL can only be made by script the policy already let run.
 */

// The hash of an empty <style>: the scroller inside Web Chat (react-scroll-to-bottom) makes its emotion sheet without the
// nonce Web Chat is given, an empty element it then fills through CSSOM (insertRule, which CSP does not govern).
// Allowing exactly the empty text keeps it from being refused; a <style> with any text in it still needs the nonce.
const EMPTY_STYLE = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/** The policy of one response of the chat page, `nonce` its scripts' and styles' nonce. */
export function chatPageCsp(nonce: string, embedOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}' '${EMPTY_STYLE}'`,
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' blob:",
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${["'self'", ...embedOrigins].join(' ')}`,
  ].join('; ');
}

/** The widget script's own policy: it is a script, not a document, so nothing may load in its name. */
export const EMBED_SCRIPT_CSP = "default-src 'none'; frame-ancestors 'none'";
