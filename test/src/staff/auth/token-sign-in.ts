/** Signing in to the dashboard with the staff token as a browser does: the sign-in page's CSRF cookie and field first. */

/** The name=value part of a Set-Cookie header, as a browser sends it back. */
export const cookieOf = (setCookie: string) => setCookie.split(';')[0];

/** The sign-in form's CSRF cookie (name=value) and hidden field, from the sign-in page at `url`/dashboard. */
export async function signInForm(url: string): Promise<{ cookie: string; csrf: string }> {
  const page = await fetch(`${url}/dashboard`);
  const html = await page.text();
  const csrf = /name="csrf" value="([\w-]+)"/.exec(html)?.[1];
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('redress_login_csrf='));
  if (!csrf || !cookie) throw new Error(`no staff-token form on the sign-in page (${page.status})`);
  return { cookie: cookieOf(cookie), csrf };
}

/** Posts the staff-token form with `token` (and extra headers); the response is not followed. */
export async function postTokenForm(url: string, token: string, headers: Record<string, string> = {}) {
  const form = await signInForm(url);
  return fetch(`${url}/dashboard/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: form.cookie,
      origin: url,
      ...headers,
    },
    body: new URLSearchParams({ csrf: form.csrf, token }).toString(),
    redirect: 'manual',
  });
}

/** Signs in with `token`; returns the session cookie as a browser sends it (name=value). Throws when refused. */
export async function signInWithToken(url: string, token: string, headers: Record<string, string> = {}) {
  const r = await postTokenForm(url, token, headers);
  const session = r.headers.getSetCookie().find((c) => c.startsWith('redress_session='));
  if (r.status !== 303 || !session) throw new Error(`staff-token sign-in refused: ${r.status}`);
  return { cookie: cookieOf(session), setCookie: session };
}
