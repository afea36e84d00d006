import { TEST_AUTH } from './accounts.ts';

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** The Authorization header of ADMIN_TOKEN. */
export const ADMIN_BEARER = { authorization: `Bearer ${TEST_AUTH.adminToken}` };

/** POSTs an HTML form as a browser on PUBLIC_BASE_URL would (urlencoded, Origin set, HTML wanted). */
export function postForm(
  app: Requester,
  path: string,
  fields: [string, string][] | Record<string, string>,
  headers: Record<string, string> = ADMIN_BEARER,
) {
  return app.request(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      origin: TEST_AUTH.baseUrl,
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** GETs a page as a browser would (HTML wanted). */
export function getPage(app: Requester, path: string, headers: Record<string, string> = ADMIN_BEARER) {
  return app.request(path, { headers: { accept: 'text/html', ...headers } });
}

/** The text of the HTML error page's message (`#error-message`), entities decoded. */
export async function errorMessageOf(res: Response): Promise<string> {
  const match = /<p id="error-message" role="alert">([^<]*)<\/p>/.exec(await res.text());
  return (match?.[1] ?? '')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
