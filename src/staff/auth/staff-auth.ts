/**
 * Staff sign-in for the dashboard (issue #17 item 5): OpenID Connect, the staff token as a fallback, or the one-time
 * link printed at start when neither is configured; server-side sessions; CSRF checks on every form.
 */
import type { Request, RequestHandler, Response, Server } from 'restify';
import { RedressError, isRedressError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { bearer, readBody, sameSecret, sendError } from '../../http/http.ts';
import { isHttps } from '../../http/security-headers.ts';
import type { Db } from '../../store/db.ts';
import {
  FLOW_COOKIE,
  LOGIN_CSRF_COOKIE,
  SESSION_COOKIE,
  cookieHeader,
  cookieOf,
  randomToken,
  safeReturn,
} from './cookies.ts';
import { checkForm } from './form-guard.ts';
import { CALLBACK_PATH, FLOW_SECONDS, OidcSignIn, type OidcSettings } from './oidc.ts';
import { LINK_PATH, LINK_VIEWER, issueSignInLink, linkAnnouncement, redeemSignInLink } from './one-time-link.ts';
import type { Viewer } from './roles.ts';
import { rememberViewer, viewerOf } from './scope.ts';
import { StaffSessions, type SessionViewer } from './sessions.ts';
import { authPage, signInBody, signedInBar, staffOnlyBody } from './sign-in-page.ts';

/** What staff sign-in needs from the configuration and the process. */
export interface StaffAuthOptions {
  db: Db;
  clock: () => Date;
  log?: Logger;
  adminToken?: string;
  oidc?: OidcSettings;
  publicUrl?: string;
  trustProxy: number;
  idleSeconds: number;
  maxSeconds: number;
}

const ADMIN_VIEWER: Viewer = {
  subject: 'admin-token',
  name: 'staff token',
  role: 'manager',
  departments: null,
  via: 'admin_token',
};
const FORM_BYTES = 4096;
// The sign-in routes answer for themselves (they are how one gets a session).
const OWN_PATHS = new Set(['/dashboard/sign-in', CALLBACK_PATH, LINK_PATH, '/dashboard/login', '/dashboard/sign-out']);

// No scripts on these pages; forms post here only; no framing.
const AUTH_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Sign-in, sessions and form checks of the dashboard. */
export class StaffAuth {
  private readonly sessions: StaffSessions;
  private readonly oidc?: OidcSignIn;

  constructor(private readonly o: StaffAuthOptions) {
    this.sessions = new StaffSessions(o);
    this.oidc = o.oidc && new OidcSignIn(o.oidc, o);
  }

  private secure(req: Request): boolean {
    return isHttps(req, this.o.trustProxy) || this.o.publicUrl?.startsWith('https:') === true;
  }

  /**
   * The person making `req`: the staff token as a bearer (automation), else a live session cookie; undefined when
   * neither. Dashboard pages are served with Referrer-Policy same-origin, so the browser's POSTs carry our Origin.
   */
  async viewer(req: Request, res: Response): Promise<SessionViewer | undefined> {
    res.setHeader('Referrer-Policy', 'same-origin');
    if (this.o.adminToken && sameSecret(bearer(req), this.o.adminToken)) return ADMIN_VIEWER;
    return this.sessions.read(cookieOf(req, SESSION_COOKIE));
  }

  /**
   * A restify `pre` handler: finds who makes each dashboard request (not the sign-in routes themselves) before it is
   * routed, so every dashboard route, present or future, reads it synchronously ({@link viewerOf}, {@link isManager}).
   */
  guard(): RequestHandler {
    return (req, res, next) => {
      const path = req.getPath();
      if ((path !== '/dashboard' && !path.startsWith('/dashboard/')) || OWN_PATHS.has(path)) return next();
      this.viewer(req, res).then(
        (v) => {
          rememberViewer(req, v);
          next();
        },
        (e: unknown) => {
          sendError(res, e, this.o.log);
          next(false);
        },
      );
    };
  }

  /** Answers a dashboard request its person may not see: the sign-in page (401), or 403 for staff. */
  deny(req: Request, res: Response): void {
    const v = viewerOf(req);
    if (v) this.send(res, 403, authPage('Signed in', staffOnlyBody(v)));
    else this.signInPage(req, res, 401);
  }

  /** Throws 403 unless a POST by the person behind `req` carries their session's CSRF token (`token`) from this site. */
  checkForm(req: Request, token: string | null | undefined): void {
    checkForm(req, token, viewerOf(req)?.csrf, this.o);
  }

  /** "Signed in as … Sign out" in `lang`, for the header of dashboard pages (empty for a bearer-token request). */
  bar(req: Request, lang = 'en'): string {
    const v = viewerOf(req);
    return v ? signedInBar(v, lang) : '';
  }

  private send(res: Response, status: number, html: string, cookies: string[] = []): void {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', AUTH_CSP);
    res.setHeader('Referrer-Policy', 'same-origin');
    if (cookies.length) res.setHeader('Set-Cookie', cookies);
    res.sendRaw(status, html);
  }

  /** Answers with the sign-in page (`message` says why); the staff-token form gets a fresh CSRF cookie. */
  signInPage(req: Request, res: Response, status: number, message = '', cookies: string[] = []): void {
    const known = cookieOf(req, LOGIN_CSRF_COOKIE);
    const csrf = this.o.adminToken ? (known && /^[\w-]{43}$/.test(known) ? known : randomToken()) : undefined;
    // A dashboard page asked for while signed out is where sign-in leads back to.
    const page = req.method === 'GET' && !OWN_PATHS.has(req.getPath()) ? safeReturn(req.url) : '/dashboard';
    const choices = {
      returnTo: page,
      oidc: !!this.oidc,
      tokenForm: csrf ? { csrf } : undefined,
      linkOnly: !this.oidc && !this.o.adminToken,
    };
    const cookie =
      csrf &&
      cookieHeader(LOGIN_CSRF_COOKIE, csrf, { path: '/dashboard', maxAgeSeconds: 3600, secure: this.secure(req) });
    this.send(res, status, authPage('Sign in', signInBody(choices, message)), cookie ? [...cookies, cookie] : cookies);
  }

  /** Starts a session for `v` and sends the browser to `to` with its cookie (ending any session it had). */
  private async signIn(req: Request, res: Response, v: Viewer, to: string, extraCookies: string[] = []): Promise<void> {
    await this.sessions.end(cookieOf(req, SESSION_COOKIE)); // no session fixation: always a new id
    const { cookie } = await this.sessions.start(v);
    this.o.log?.info({ subject: v.subject, role: v.role, departments: v.departments, via: v.via }, 'staff signed in');
    const secure = this.secure(req);
    res.setHeader('Set-Cookie', [
      cookieHeader(SESSION_COOKIE, cookie, { path: '/dashboard', maxAgeSeconds: this.sessions.maxSeconds, secure }),
      ...extraCookies,
    ]);
    res.setHeader('Location', to);
    res.sendRaw(303, '');
  }

  /** Answers `e` as a sign-in page when it is a refusal, else as the usual error. */
  private refuse(req: Request, res: Response, e: unknown): void {
    // A person in a browser gets the page again with the reason, an identity provider that is down included.
    if (isRedressError(e) && ['UNAUTHORIZED', 'FORBIDDEN', 'DEPENDENCY_UNREACHABLE'].includes(e.code))
      return this.signInPage(req, res, e.status, e.message);
    sendError(res, e, this.o.log);
  }

  /** Mounts the sign-in routes: the provider's start and callback, the one-time link, the token form, sign-out. */
  mount(server: Server): void {
    const route = (fn: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      try {
        await fn(req, res);
      } catch (e) {
        this.refuse(req, res, e);
      }
    };
    const form = async (req: Request) => new URLSearchParams((await readBody(req, FORM_BYTES)).toString('utf8'));
    const flowCookie = (req: Request, value: string, maxAgeSeconds: number) =>
      cookieHeader(FLOW_COOKIE, value, { path: '/dashboard/sign-in', maxAgeSeconds, secure: this.secure(req) });

    server.get(
      '/dashboard/sign-in',
      route(async (req, res) => {
        if (!this.oidc) throw new RedressError('NOT_FOUND', 'no identity provider is configured');
        const back = new URLSearchParams(String(req.getQuery() ?? '')).get('return');
        const { flow, url } = await this.oidc.begin(safeReturn(back));
        res.setHeader('Set-Cookie', flowCookie(req, flow, FLOW_SECONDS));
        res.setHeader('Location', url);
        res.sendRaw(302, '');
      }),
    );

    server.get(
      CALLBACK_PATH,
      route(async (req, res) => {
        if (!this.oidc) throw new RedressError('NOT_FOUND', 'no identity provider is configured');
        const query = req.getQuery();
        const done = await this.oidc.finish(cookieOf(req, FLOW_COOKIE), typeof query === 'string' ? query : '');
        await this.signIn(req, res, done.viewer, done.returnTo, [flowCookie(req, '', 0)]);
      }),
    );

    server.get(
      LINK_PATH,
      route(async (req, res) => {
        const token = new URLSearchParams(String(req.getQuery() ?? '')).get('token') ?? undefined;
        if (!(await redeemSignInLink(this.o.db, token, this.o.clock())))
          throw new RedressError('UNAUTHORIZED', 'this sign-in link was already used or has expired');
        await this.signIn(req, res, LINK_VIEWER, '/dashboard');
      }),
    );

    // The staff-token form: a fallback beside OIDC, and the API's automation token.
    server.post(
      '/dashboard/login',
      route(async (req, res) => {
        const fields = await form(req);
        checkForm(req, fields.get('csrf'), cookieOf(req, LOGIN_CSRF_COOKIE), this.o);
        if (!this.o.adminToken || !sameSecret(fields.get('token') ?? '', this.o.adminToken))
          throw new RedressError('UNAUTHORIZED', 'That token is not right.');
        await this.signIn(req, res, ADMIN_VIEWER, safeReturn(fields.get('return')));
      }),
    );

    server.post(
      '/dashboard/sign-out',
      route(async (req, res) => {
        const fields = await form(req);
        const cookie = cookieOf(req, SESSION_COOKIE);
        const v = await this.sessions.read(cookie);
        if (!v) throw new RedressError('UNAUTHORIZED', 'You are not signed in.');
        checkForm(req, fields.get('csrf'), v.csrf, this.o);
        await this.sessions.end(cookie);
        this.o.log?.info({ subject: v.subject, via: v.via }, 'staff signed out');
        const secure = this.secure(req);
        const cleared = cookieHeader(SESSION_COOKIE, '', { path: '/dashboard', maxAgeSeconds: 0, secure });
        this.signInPage(req, res, 200, 'You are signed out.', [cleared]);
      }),
    );
  }

  /**
   * At start, with neither OIDC_ISSUER nor ADMIN_TOKEN set: prints a one-time sign-in link under `url` (PUBLIC_URL
   * when set) with `write` (the console), so a newcomer can open the dashboard at once. Does nothing otherwise.
   */
  async announce(url: string, write: (text: string) => void = (t) => void process.stderr.write(t)): Promise<void> {
    if (this.oidc || this.o.adminToken) return;
    const link = await issueSignInLink(this.o.db, this.o.clock(), this.o.publicUrl ?? url);
    this.o.log?.warn('no staff sign-in is configured: a one-time dashboard sign-in link was printed to the console');
    write(linkAnnouncement(link));
  }
}
