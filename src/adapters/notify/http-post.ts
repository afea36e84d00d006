import { httpFailure, networkFailure, type SendResult } from './channel.ts';

const TIMEOUT_MS = 10_000;

/** POSTs a JSON body; a 2xx answer is sent, anything else a failure saying whether to retry. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  what: string,
): Promise<SendResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok ? { ok: true } : { ok: false, failure: httpFailure(response.status, what) };
  } catch (error) {
    return { ok: false, failure: networkFailure(error, what) };
  }
}
