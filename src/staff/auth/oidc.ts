/**
 * Sign-in at the company's identity provider with openid-client: the authorisation-code flow with PKCE (S256), state
 * and nonce, kept server-side under a flow cookie so the callback is accepted only in the browser that started it.
 */
import * as client from 'openid-client';
import { RedressError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { Db } from '../../store/db.ts';
import { insertSignInToken, redeemSignInToken } from '../../store/staff-sessions.ts';
import { hashToken, randomToken } from './cookies.ts';
import { claimValues, displayName, roleFrom, type RoleMapping, type Viewer } from './roles.ts';

/** Where a sign-in under way may take this long at the identity provider (login, consent) before it is refused. */
export const FLOW_SECONDS = 600;

/** The path the identity provider redirects back to (registered there as PUBLIC_URL + this). */
export const CALLBACK_PATH = '/dashboard/sign-in/callback';

/** The provider and this client (OIDC_* and PUBLIC_URL). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: string;
  publicUrl: string;
  roles: RoleMapping;
}

/** One identity provider: discovered at the first sign-in (and again after a failure), then kept. */
export class OidcSignIn {
  private config?: Promise<client.Configuration>;

  constructor(
    private readonly s: OidcSettings,
    private readonly o: { db: Db; clock: () => Date; log?: Logger },
  ) {}

  /** The registered redirect URI. */
  get redirectUri(): string {
    return new URL(CALLBACK_PATH, this.s.publicUrl).href;
  }

  private discover(): Promise<client.Configuration> {
    const insecure = new URL(this.s.issuer).protocol === 'http:'; // localhost only (checked in configuration)
    this.config ??= client
      .discovery(
        new URL(this.s.issuer),
        this.s.clientId,
        this.s.clientSecret,
        this.s.clientSecret ? client.ClientSecretBasic(this.s.clientSecret) : client.None(),
        { execute: insecure ? [client.allowInsecureRequests] : [], timeout: 10 },
      )
      .catch((e: unknown) => {
        this.config = undefined; // the next sign-in tries again
        this.o.log?.error({ err: (e as Error)?.message, issuer: this.s.issuer }, 'identity provider unreachable');
        throw new RedressError('DEPENDENCY_UNREACHABLE', 'the identity provider cannot be reached; try again shortly', {
          cause: e,
        });
      });
    return this.config;
  }

  /**
   * Starts a sign-in that will end at `returnTo` (a dashboard path, checked by the caller): the flow cookie's value
   * and the provider's authorisation URL to send the browser to.
   */
  async begin(returnTo: string): Promise<{ flow: string; url: string }> {
    const config = await this.discover();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const flow = randomToken();
    const now = this.o.clock();
    await insertSignInToken(this.o.db, {
      hash: hashToken(flow),
      kind: 'oidc',
      data: { state, nonce, verifier, returnTo },
      now,
      expiresAt: new Date(now.getTime() + FLOW_SECONDS * 1000),
    });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.s.scopes,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { flow, url: url.href };
  }

  /**
   * Finishes the sign-in of flow cookie `flow` with the provider's redirect (`query`): the code is exchanged once, the
   * ID token checked (issuer, audience, nonce, expiry), and the person's role read from the roles claim (the ID
   * token's, else userinfo's). 401 for a flow that is unknown, used or stale; 403 for a person with no Redress role.
   */
  async finish(flow: string | undefined, query: string): Promise<{ viewer: Viewer; returnTo: string }> {
    const now = this.o.clock();
    const pending = flow ? await redeemSignInToken(this.o.db, hashToken(flow), 'oidc', now) : undefined;
    if (!pending) throw new RedressError('UNAUTHORIZED', 'this sign-in was already used or has expired: sign in again');
    const config = await this.discover();
    const current = new URL(`${CALLBACK_PATH}${query ? `?${query}` : ''}`, this.s.publicUrl);
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = { ...tokens.claims() };
      if (!claimValues(claims, this.s.roles.claim) && config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims };
      }
    } catch (e) {
      this.o.log?.warn({ err: (e as Error)?.message }, 'sign-in refused by the identity provider or its answer');
      throw new RedressError('UNAUTHORIZED', 'the identity provider did not confirm this sign-in: sign in again', {
        cause: e,
      });
    }
    const role = roleFrom(claimValues(claims, this.s.roles.claim) ?? [], this.s.roles);
    if (!role) {
      this.o.log?.warn({ subject: claims.sub }, 'sign-in refused: no Redress role in the roles claim');
      throw new RedressError(
        'FORBIDDEN',
        `your account has no Redress role (${this.s.roles.claim}): ask an administrator`,
      );
    }
    const viewer: Viewer = {
      subject: `${String(claims.iss)}#${String(claims.sub)}`,
      name: displayName(claims),
      ...role,
      via: 'oidc',
    };
    return { viewer, returnTo: pending.returnTo ?? '/dashboard' };
  }
}
