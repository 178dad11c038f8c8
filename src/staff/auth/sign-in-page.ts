/** The HTML of sign-in: the sign-in page, the refusal page for staff, and the "signed in as … Sign out" bar. */
import { esc } from '../dashboard-html.ts';
import type { SessionViewer } from './sessions.ts';

const BAR: Record<string, { as: string; all: string; some: string; staff: string; out: string }> = {
  en: { as: 'Signed in as', all: 'manager of every department', some: 'manager of', staff: 'staff', out: 'Sign out' },
  'zh-Hans': { as: '已登录：', all: '全部部门经理', some: '部门经理：', staff: '员工', out: '退出登录' },
  'zh-Hant': { as: '已登入：', all: '全部部門經理', some: '部門經理：', staff: '員工', out: '登出' },
};

/** What the sign-in page offers. */
export interface SignInChoices {
  /** The identity provider's sign-in (OIDC_ISSUER is set). */
  oidc: boolean;
  /** The dashboard page to go back to after sign-in. */
  returnTo: string;
  /** The staff-token form (ADMIN_TOKEN is set), with the form's CSRF token. */
  tokenForm?: { csrf: string };
  /** Neither is configured: the one-time link printed at start is the way in. */
  linkOnly: boolean;
}

/** A page of its own: no scripts, the sign-in box centred. */
export function authPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Redress — ${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}header{background:#1f3a5f;color:#fff;padding:12px 16px}main{max-width:420px;margin:40px auto;background:#fff;padding:20px;border-radius:6px}a.button,button{display:inline-block;background:#1f3a5f;color:#fff;border:0;padding:8px 14px;border-radius:4px;text-decoration:none;font:inherit;cursor:pointer}.note{color:#555}</style>
</head><body><header><b>Redress — ${esc(title)}</b></header><main>${body}</main></body></html>`;
}

/** The sign-in page: `message` says why it is shown (signed out, expired, refused). */
export function signInBody(c: SignInChoices, message = ''): string {
  const parts = [message ? `<p role="alert">${esc(message)}</p>` : ''];
  if (c.oidc)
    parts.push(
      `<p><a class="button" id="sign-in" href="/dashboard/sign-in?return=${esc(encodeURIComponent(c.returnTo))}">Sign in with your company account</a></p>`,
    );
  if (c.tokenForm)
    parts.push(
      `<form method="post" action="/dashboard/login"><input type="hidden" name="csrf" value="${esc(c.tokenForm.csrf)}"><input type="hidden" name="return" value="${esc(c.returnTo)}"><p><label>Staff token <input type="password" name="token" autocomplete="current-password"></label></p><button>Sign in with the staff token</button></form>`,
    );
  if (c.linkOnly)
    parts.push(
      '<p class="note">No sign-in is configured yet. Open the one-time link Redress printed in its console at start (restart it for a new one), then set OIDC_ISSUER or ADMIN_TOKEN: see docs/sign-in.md.</p>',
    );
  return parts.join('');
}

/** The sign-out form: a POST with the session's CSRF token (none for a bearer-token request: it has no session). */
export function signOutForm(v: SessionViewer, label = BAR.en.out): string {
  return v.csrf
    ? `<form method="post" action="/dashboard/sign-out" style="display:inline"><input type="hidden" name="csrf" value="${esc(v.csrf)}"><button id="sign-out">${esc(label)}</button></form>`
    : '';
}

/** Who is signed in and their reach, with the sign-out button, in `lang` (English when unknown). */
export function signedInBar(v: SessionViewer, lang = 'en'): string {
  const t = BAR[lang] ?? BAR.en;
  const reach = v.role === 'staff' ? t.staff : v.departments ? `${t.some} ${v.departments.join(', ')}` : t.all;
  return `<div class="signed-in" style="display:flex;gap:8px;align-items:center">${esc(t.as)} <b>${esc(v.name)}</b> <span>(${esc(reach)})</span> ${signOutForm(v, t.out)}</div>`;
}

/** The page a signed-in person without a manager role gets instead of the figures. */
export function staffOnlyBody(v: SessionViewer): string {
  return `${signedInBar(v)}<p>The dashboard's figures are for managers. Ask an administrator for a manager role if you need them.</p>`;
}
