/** One signed webhook request: POST, a short time-out, no redirects, at most 64 KB of the answer read. */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressPolicy } from './address-guard.ts';

/** How long one request may take, the answer included. */
export const WEBHOOK_TIMEOUT_MS = 5000;
/** The most of an answer read (the rest is dropped with the connection). */
export const WEBHOOK_MAX_RESPONSE_BYTES = 65_536;

/** The X-Redress-Signature header of `body` sent at unix time `t`: t=…,v1=hex HMAC-SHA256(secret, "t.body"). */
export function signature(secret: string, t: number, body: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** What one try needs. */
export interface WebhookRequest {
  url: string;
  secret: string;
  eventId: string;
  type: string;
  body: string;
  /** Unix seconds the request is signed at. */
  t: number;
}

/**
 * Sends `r`; resolves with the HTTP status (2xx is success, anything else a failure the caller retries), or rejects
 * on a refused address, a network error or the time-out. A redirect is not followed: it counts as a failure.
 */
export function sendWebhook(r: WebhookRequest, policy: AddressPolicy): Promise<number> {
  const u = new URL(r.url);
  const client = u.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(
      u,
      {
        method: 'POST',
        // Every connection resolves the name again through the guard: a name re-pointed at an internal host fails.
        lookup: policy.lookup(u.hostname),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(r.body),
          'User-Agent': 'Redress-Webhooks/1',
          'X-Redress-Event': r.type,
          'X-Redress-Event-Id': r.eventId,
          'X-Redress-Signature': signature(r.secret, r.t, r.body),
        },
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          // The answer is not used; a receiver that streams without end is cut off, its status still counts.
          if (read > WEBHOOK_MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('close', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}
