/**
 * Stream tokens: the `t` of a Direct Line streamUrl, as the service's pre-authorised URL carries one. Signed with a key
 * of their own (derived from the Direct Line secret), so a stream token is no bearer token and a bearer token opens no
 * stream; bound to one conversation and short-lived, since a URL is more often logged than a header.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { RedressError } from '../../src/core/errors.ts';
import { sameSecret } from '../../src/http/http.ts';

/** Seconds a streamUrl may wait before the client opens it (clients open it at once; a reconnection asks anew). */
export const STREAM_TOKEN_TTL_SECONDS = 120;

/** Issues and verifies stream tokens. */
export class StreamTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('redress direct line stream token').digest();
  }

  /** A token that opens the stream of `conversationId` within STREAM_TOKEN_TTL_SECONDS of `now`. */
  issue(conversationId: string, now = Date.now()): string {
    const body = Buffer.from(
      JSON.stringify({
        c: conversationId,
        e: Math.floor(now / 1000) + STREAM_TOKEN_TTL_SECONDS,
        n: randomBytes(6).toString('base64url'),
      }),
    ).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The conversation the token opens; 401 when missing, 403 when forged or expired. */
  verify(token: string | undefined, now = Date.now()): string {
    if (!token) throw new RedressError('UNAUTHORIZED', 'missing stream token (the t of the streamUrl)');
    const [body, sig, extra] = token.split('.');
    if (!body || !sig || extra !== undefined || !sameSecret(sig, this.sign(body)))
      throw new RedressError('FORBIDDEN', 'invalid stream token');
    let claims: { c?: unknown; e?: unknown };
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new RedressError('FORBIDDEN', 'invalid stream token');
    }
    if (typeof claims.c !== 'string' || typeof claims.e !== 'number')
      throw new RedressError('FORBIDDEN', 'invalid stream token');
    if (claims.e * 1000 < now)
      throw new RedressError('FORBIDDEN', 'stream token expired: ask GET /v3/directline/conversations/:id again');
    return claims.c;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
