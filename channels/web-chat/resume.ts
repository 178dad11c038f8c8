/**
 * The web chat's long-lived customer identity: a resume token the page keeps in localStorage. It opens the same
 * conversation again days later (a fresh Direct Line token), until it expires unused or is revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { RedressError } from '../../src/core/errors.ts';
import { bearer, handled } from '../../src/http/http.ts';
import type { Logger } from '../../src/core/log.ts';

/** What resume tokens need from storage (the digest is all that is stored). */
export interface ResumeBackend {
  saveResume(conversationKey: string, digest: Buffer, expiresAt: Date): Promise<void>;
  useResume(digest: Buffer, now: Date, expiresAt: Date): Promise<{ key: string } | { refused: string }>;
  revokeResume(digest: Buffer, now: Date): Promise<void>;
}

/** Resume tokens of `days` days' sliding lifetime, checked against `backend` at the clock's time. */
export class ResumeTokens {
  constructor(private readonly o: { backend: ResumeBackend; days: number; clock: () => Date }) {}

  /** A new resume token for `conversationKey`. */
  async issue(conversationKey: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.o.backend.saveResume(conversationKey, digest(token), this.until(this.o.clock()));
    return token;
  }

  /** The conversation `token` opens; a clear 401 when it is missing, unknown, expired or revoked. */
  async open(token: string | undefined): Promise<string> {
    if (!token) throw new RedressError('UNAUTHORIZED', 'missing Authorization: Bearer <resume token>');
    const now = this.o.clock();
    const r = await this.o.backend.useResume(digest(token), now, this.until(now));
    if ('key' in r) return r.key;
    const why =
      r.refused === 'expired'
        ? `it was not used for ${this.o.days} days and has expired`
        : r.refused === 'revoked'
          ? 'it was revoked'
          : 'it is not recognised';
    throw new RedressError('UNAUTHORIZED', `this chat cannot be reopened: ${why}; start a new chat`);
  }

  /** Revokes `token` for good (nothing happens for an unknown one, so the answer tells nothing). */
  async revoke(token: string | undefined): Promise<void> {
    if (token) await this.o.backend.revokeResume(digest(token), this.o.clock());
  }

  private until(now: Date): Date {
    return new Date(now.getTime() + this.o.days * 86_400_000);
  }
}

/** SHA-256 of a token: a leaked table opens no chat. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * POST `base`/tokens/resume (Bearer resume token) answers like tokens/generate for the conversation it opens; DELETE
 * revokes it (the page's "new chat"). `answer` builds the Direct Line answer for a conversation id.
 */
export function mountResume(
  server: Server,
  o: { base: string; tokens: ResumeTokens; answer: (conversationId: string) => object; log?: Logger },
): void {
  const route = (fn: (req: Request, res: Response) => Promise<void>) => handled(fn, o.log);
  server.post(
    `${o.base}/tokens/resume`,
    route(async (req, res) => {
      const id = await o.tokens.open(bearer(req));
      res.send(200, o.answer(id));
    }),
  );
  server.del(
    `${o.base}/tokens/resume`,
    route(async (req, res) => {
      await o.tokens.revoke(bearer(req));
      res.send(204);
    }),
  );
}
