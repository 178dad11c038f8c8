/** Staff sign-in as the configuration sets it up (OIDC_*, PUBLIC_URL, ADMIN_TOKEN, STAFF_SESSION_*). */
import type { Config } from '../../core/config.ts';
import type { Logger } from '../../core/log.ts';
import type { Db } from '../../store/db.ts';
import { StaffAuth } from './staff-auth.ts';

/** The dashboard's sign-in for `config`: OpenID Connect when OIDC_ISSUER is set, the staff token when ADMIN_TOKEN is. */
export function staffAuthFromConfig(config: Config, o: { db: Db; clock: () => Date; log?: Logger }): StaffAuth {
  const publicUrl = config.PUBLIC_URL;
  const oidc =
    config.OIDC_ISSUER && config.OIDC_CLIENT_ID && publicUrl
      ? {
          issuer: config.OIDC_ISSUER,
          clientId: config.OIDC_CLIENT_ID,
          clientSecret: config.OIDC_CLIENT_SECRET,
          scopes: config.OIDC_SCOPES,
          publicUrl,
          roles: {
            claim: config.OIDC_ROLES_CLAIM,
            managerGroups: config.OIDC_MANAGER_GROUPS,
            departmentManagerPrefix: config.OIDC_DEPARTMENT_MANAGER_PREFIX,
            staffGroups: config.OIDC_STAFF_GROUPS,
          },
        }
      : undefined;
  return new StaffAuth({
    ...o,
    adminToken: config.ADMIN_TOKEN,
    oidc,
    publicUrl,
    trustProxy: config.TRUST_PROXY,
    idleSeconds: config.STAFF_SESSION_IDLE_MINUTES * 60,
    maxSeconds: config.STAFF_SESSION_MAX_HOURS * 3600,
  });
}
