/** Who a person is on the dashboard, from their identity provider's claims: manager of all or some departments, or staff. */
import { z } from 'zod';

/** A signed-in person as the dashboard sees them: departments null means every department. */
export const viewerSchema = z.object({
  subject: z.string(),
  name: z.string(),
  role: z.enum(['manager', 'staff']),
  departments: z.array(z.string()).nullable(),
  via: z.enum(['oidc', 'admin_token', 'one_time_link']),
});
/** A signed-in person. */
export type Viewer = z.infer<typeof viewerSchema>;

/** How the roles claim maps to roles (OIDC_ROLES_CLAIM, OIDC_MANAGER_GROUPS, OIDC_DEPARTMENT_MANAGER_PREFIX, OIDC_STAFF_GROUPS). */
export interface RoleMapping {
  claim: string;
  managerGroups: string;
  departmentManagerPrefix: string;
  staffGroups: string;
}

const names = (csv: string) =>
  csv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The values of the claim at dotted `path` in `claims`: a list of strings, or one space-separated string. */
export function claimValues(claims: Record<string, unknown>, path: string): string[] | undefined {
  let v: unknown = claims;
  for (const key of path.split('.')) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  if (typeof v === 'string') return v.split(/\s+/).filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/**
 * The role `values` of the roles claim give: a manager group makes a manager of every department (it wins over the
 * rest), department-manager values a manager of those departments, a staff group staff; undefined when none applies.
 */
export function roleFrom(values: readonly string[], m: RoleMapping): Pick<Viewer, 'role' | 'departments'> | undefined {
  const managers = names(m.managerGroups);
  if (values.some((v) => managers.includes(v))) return { role: 'manager', departments: null };
  const departments = [
    ...new Set(
      values
        .filter((v) => v.startsWith(m.departmentManagerPrefix))
        .map((v) => v.slice(m.departmentManagerPrefix.length)),
    ),
  ].filter(Boolean);
  if (departments.length) return { role: 'manager', departments: departments.sort() };
  const staff = names(m.staffGroups);
  if (values.some((v) => staff.includes(v))) return { role: 'staff', departments: null };
  return undefined;
}

/** A display name from the usual claims: name, else email, else preferred_username, else the subject. */
export function displayName(claims: Record<string, unknown>): string {
  for (const k of ['name', 'email', 'preferred_username', 'sub']) {
    const v = claims[k];
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 200);
  }
  return 'unknown';
}
