import { TEST_AUTH } from './accounts.ts';

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** Headers of a browser on PUBLIC_BASE_URL asking for HTML, with a session cookie or ADMIN_TOKEN. */
export function browserHeaders(who: { cookie?: string; bearer?: boolean } = {}): Record<string, string> {
  return {
    accept: 'text/html,application/xhtml+xml',
    origin: TEST_AUTH.baseUrl,
    ...(who.cookie ? { cookie: who.cookie } : {}),
    ...(who.bearer ? { authorization: `Bearer ${TEST_AUTH.adminToken}` } : {}),
  };
}

/** Posts an HTML form (urlencoded; an array value repeats the field) as a browser would. */
export function postForm(
  app: Requester,
  path: string,
  fields: Record<string, string | string[]>,
  who: { cookie?: string; bearer?: boolean } = {},
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  }
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...browserHeaders(who) },
    body: body.toString(),
  });
}

/** GETs a page as a browser would. */
export function getPage(app: Requester, path: string, who: { cookie?: string; bearer?: boolean } = {}) {
  return app.request(path, { headers: browserHeaders(who) });
}
