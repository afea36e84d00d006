/** One request a probe sends to a served Polaris: a path under its base URL. */
export type ProbeRequest = {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
};

/** What came back: the status, the headers (lower-case names), set-cookie lines and the body text. */
export type ProbeAnswer = {
  status: number;
  header: (name: string) => string | null;
  setCookies: string[];
  text: string;
};

/** Sends one request; rejects with a message naming the URL when nothing answers in time. */
export type HttpProbe = (request: ProbeRequest) => Promise<ProbeAnswer>;

/** An HttpProbe over fetch against `baseUrl`, each request bounded by `timeoutMs`. */
export function createHttpProbe(baseUrl: string, timeoutMs = 10_000): HttpProbe {
  return async (request) => {
    const url = new URL(request.path, baseUrl).toString();
    let res: Response;
    try {
      res = await fetch(url, {
        method: request.method,
        headers: request.headers ?? {},
        ...(request.body === undefined ? {} : { body: request.body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // fetch says only "fetch failed"; the cause names it (ECONNREFUSED, ENOTFOUND, "bad port").
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
      throw new Error(`${request.method} ${url}: ${reason}`);
    }
    const text = await res.text();
    return {
      status: res.status,
      header: (name) => res.headers.get(name),
      setCookies: res.headers.getSetCookie(),
      text,
    };
  };
}
