/** How the roles claim becomes a dashboard role, and the sign-in variables checked at start with every problem listed. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/core/config.ts';
import { claimValues, displayName, roleFrom } from '../../../../src/staff/auth/roles.ts';
import { safeReturn } from '../../../../src/staff/auth/cookies.ts';

const mapping = {
  claim: 'groups',
  managerGroups: 'redress-managers, cs-leads',
  departmentManagerPrefix: 'redress:manager:',
  staffGroups: 'redress-staff',
};

describe('roles from the roles claim', () => {
  it('reads a list, a space-separated string, or a dotted path; nothing else', () => {
    expect(claimValues({ groups: ['a', 'b', 3] }, 'groups')).toEqual(['a', 'b']);
    expect(claimValues({ roles: 'a  b' }, 'roles')).toEqual(['a', 'b']);
    expect(claimValues({ realm_access: { roles: ['x'] } }, 'realm_access.roles')).toEqual(['x']);
    expect(claimValues({ groups: { a: 1 } }, 'groups')).toBeUndefined();
    expect(claimValues({}, 'realm_access.roles')).toBeUndefined();
  });

  it('makes managers of all, of named departments, staff, or nothing', () => {
    expect(roleFrom(['cs-leads', 'redress:manager:billing'], mapping)).toEqual({ role: 'manager', departments: null });
    expect(
      roleFrom(['redress:manager:quality', 'redress:manager:billing', 'redress:manager:billing'], mapping),
    ).toEqual({
      role: 'manager',
      departments: ['billing', 'quality'],
    });
    expect(roleFrom(['redress-staff', 'redress:manager:'], mapping)).toEqual({ role: 'staff', departments: null });
    expect(roleFrom(['everyone', 'redress-managers-old'], mapping)).toBeUndefined();
    expect(roleFrom([], mapping)).toBeUndefined();
  });

  it('names the person by name, else email, else login, else subject', () => {
    expect(displayName({ name: ' Ana ', email: 'a@x' })).toBe('Ana');
    expect(displayName({ email: 'a@x', sub: 's' })).toBe('a@x');
    expect(displayName({ sub: 's' })).toBe('s');
  });
});

describe('where sign-in leads back to', () => {
  it('is a dashboard path on this site, else the dashboard', () => {
    expect(safeReturn('/dashboard/tickets?figure=open&from=2026-01-01')).toBe(
      '/dashboard/tickets?figure=open&from=2026-01-01',
    );
    expect(safeReturn('/dashboard')).toBe('/dashboard');
    for (const bad of [
      '//evil.example/dashboard',
      'https://evil.example/dashboard',
      '/dashboard/../api/tickets',
      '/dashboardx',
      '/\\evil.example',
      '',
      null,
    ])
      expect(safeReturn(bad), String(bad)).toBe('/dashboard');
  });
});

describe('sign-in configuration', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (e) {
      return (e as { details: string[] }).details;
    }
  };

  it('lists every problem at once', () => {
    expect(
      problems({
        OIDC_ISSUER: 'http://login.example.com',
        OIDC_SCOPES: 'email profile',
        OIDC_ROLES_CLAIM: 'a..b',
        STAFF_SESSION_IDLE_MINUTES: '600',
        STAFF_SESSION_MAX_HOURS: '2',
      }),
    ).toEqual([
      'OIDC_ISSUER: must be an https:// URL (http:// only on localhost) for the identity provider',
      'OIDC_SCOPES: must include openid',
      'OIDC_ROLES_CLAIM: must be a claim name or a dotted path such as realm_access.roles',
      'OIDC_CLIENT_ID: is required when OIDC_ISSUER is set',
      'PUBLIC_URL: is required when OIDC_ISSUER is set (the sign-in callback)',
      'STAFF_SESSION_IDLE_MINUTES: must not be longer than STAFF_SESSION_MAX_HOURS',
    ]);
    expect(problems({ OIDC_CLIENT_ID: 'x', PUBLIC_URL: 'https://a.example/app' })).toEqual([
      'PUBLIC_URL: must be an origin without a path',
      'OIDC_ISSUER: is required when OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is set',
    ]);
    expect(problems({ PUBLIC_URL: 'https://u:p@a.example' })).toEqual(['PUBLIC_URL: must not hold credentials']);
  });

  it('takes a complete setting, http only on this machine', () => {
    const c = loadConfig({
      OIDC_ISSUER: 'http://127.0.0.1:9000',
      OIDC_CLIENT_ID: 'redress',
      PUBLIC_URL: 'https://complaints.example.com',
    });
    expect(c).toMatchObject({ OIDC_SCOPES: 'openid email profile', OIDC_ROLES_CLAIM: 'groups' });
    expect(c.STAFF_SESSION_IDLE_MINUTES).toBe(60);
  });
});
