/** The staff sign-in variables (issue #17 item 5), kept apart from config-variables.ts, which spreads them in. */
import { z } from 'zod';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const parsed = (v: string) => (URL.canParse(v) ? new URL(v) : undefined);

// https, or http on this machine only (a provider or a Redress on localhost, as in development and tests).
const webUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      const u = parsed(v);
      return !!u && (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname)));
    }, `must be an https:// URL (http:// only on localhost) for ${what}`)
    .refine((v) => !parsed(v)?.username && !parsed(v)?.password, 'must not hold credentials')
    .refine((v) => !parsed(v)?.search && !parsed(v)?.hash, 'must not have a query or a fragment');

const text = () => z.string().trim().min(1);

/** The sign-in variables with their schemas and sentences, in the order docs/configuration.md shows them. */
export const signInVariables = {
  PUBLIC_URL: [
    webUrl('the address browsers use')
      .refine((v) => (parsed(v)?.pathname ?? '/') === '/', 'must be an origin without a path')
      .optional(),
    'The address browsers reach Redress at, e.g. https://complaints.example.com (an origin, no path). Required with OIDC_ISSUER: the sign-in callback is PUBLIC_URL/dashboard/sign-in/callback, to register at the identity provider; with https the session cookie is Secure and forms must come from this origin.',
  ],
  OIDC_ISSUER: [
    webUrl('the identity provider').optional(),
    "OpenID Connect issuer of the company's identity provider, e.g. https://login.example.com/realms/staff; its /.well-known/openid-configuration is read at the first sign-in. With it staff sign in on the dashboard with their own accounts (authorisation-code flow with PKCE).",
  ],
  OIDC_CLIENT_ID: [z.string().trim().min(1).optional(), 'Client id of Redress at the identity provider.'],
  OIDC_CLIENT_SECRET: [
    z.string().trim().min(1).optional(),
    'Client secret (client_secret_basic). Unset: Redress is a public client and PKCE alone protects the code.',
  ],
  OIDC_SCOPES: [
    text()
      .refine((v) => v.split(/\s+/).includes('openid'), 'must include openid')
      .default('openid email profile'),
    'Scopes asked for at sign-in, space-separated; add the one your provider needs to release the roles claim (e.g. groups).',
  ],
  OIDC_ROLES_CLAIM: [
    text()
      .regex(/^[\w:-]+(?:\.[\w:-]+)*$/, 'must be a claim name or a dotted path such as realm_access.roles')
      .default('groups'),
    "Claim holding the person's groups or roles (a list or a space-separated string; a dotted path reaches inside an object, e.g. realm_access.roles). Read from the ID token, else from the userinfo endpoint.",
  ],
  OIDC_MANAGER_GROUPS: [
    text().default('redress-managers'),
    'Comma-separated values of the roles claim that make a manager of every department.',
  ],
  OIDC_DEPARTMENT_MANAGER_PREFIX: [
    text().default('redress:manager:'),
    'A value of the roles claim made of this prefix and a department id (redress:manager:billing_pricing) makes a manager of that department, who sees only its figures and tickets; several values, several departments.',
  ],
  OIDC_STAFF_GROUPS: [
    text().default('redress-staff'),
    "Comma-separated values of the roles claim that make staff. Staff may sign in; the dashboard's figures are for managers. A person with none of these values is refused.",
  ],
  STAFF_SESSION_IDLE_MINUTES: [
    z.coerce.number().int().min(1).max(1440).default(60),
    'A dashboard session unused this long ends (sign in again).',
  ],
  STAFF_SESSION_MAX_HOURS: [
    z.coerce.number().int().min(1).max(168).default(12),
    'A dashboard session ends this long after sign-in, however busy.',
  ],
} as const;

/** Problems across the sign-in variables (raw input), for loadConfig's list. */
export function signInProblems(c: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  if (c.OIDC_ISSUER && !c.OIDC_CLIENT_ID) out.push('OIDC_CLIENT_ID: is required when OIDC_ISSUER is set');
  if (c.OIDC_ISSUER && !c.PUBLIC_URL)
    out.push('PUBLIC_URL: is required when OIDC_ISSUER is set (the sign-in callback)');
  if (!c.OIDC_ISSUER && (c.OIDC_CLIENT_ID || c.OIDC_CLIENT_SECRET))
    out.push('OIDC_ISSUER: is required when OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is set');
  const idle = Number(c.STAFF_SESSION_IDLE_MINUTES ?? 60);
  const max = Number(c.STAFF_SESSION_MAX_HOURS ?? 12);
  if (idle > max * 60) out.push('STAFF_SESSION_IDLE_MINUTES: must not be longer than STAFF_SESSION_MAX_HOURS');
  return out;
}
