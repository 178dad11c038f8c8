/** Direct Line tokens: HMAC-signed, bound to one conversation, with an expiry; no server state needed to check them. */
import { createHmac, randomBytes } from 'node:crypto';
import { RedressError } from '../../src/core/errors.ts';
import { sameSecret } from '../../src/http/http.ts';

/** Token lifetime in seconds (Direct Line's own is 30 minutes; clients refresh every 15). */
export const TOKEN_TTL_SECONDS = 1800;

/** Issues and verifies tokens with one secret. */
export class TokenSigner {
  constructor(private readonly secret: string) {}

  /** A token for `conversationId`, valid for TOKEN_TTL_SECONDS from `now`. */
  issue(conversationId: string, now = Date.now()): string {
    const body = Buffer.from(
      JSON.stringify({
        c: conversationId,
        e: Math.floor(now / 1000) + TOKEN_TTL_SECONDS,
        n: randomBytes(6).toString('base64url'),
      }),
    ).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The conversation a token is bound to; 403 when forged or expired. */
  verify(token: string | undefined, now = Date.now()): string {
    if (!token) throw new RedressError('UNAUTHORIZED', 'missing Authorization: Bearer token');
    const [body, sig, extra] = token.split('.');
    if (!body || !sig || extra !== undefined || !sameSecret(sig, this.sign(body)))
      throw new RedressError('FORBIDDEN', 'invalid token');
    let claims: { c?: unknown; e?: unknown };
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new RedressError('FORBIDDEN', 'invalid token');
    }
    if (typeof claims.c !== 'string' || typeof claims.e !== 'number')
      throw new RedressError('FORBIDDEN', 'invalid token');
    if (claims.e * 1000 < now) throw new RedressError('FORBIDDEN', 'token expired');
    return claims.c;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
