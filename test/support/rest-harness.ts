import { beforeEach } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/create-emulator.ts';
import { basicAuth, TEST_KEYS } from './emulator.ts';

// biome-ignore lint/suspicious/noExplicitAny: test assertions read response JSON loosely
export type Loose = Record<string, any>;

/** JSON headers with valid Basic auth. */
export const JSON_AUTH = { authorization: basicAuth(), 'content-type': 'application/json' };

/** A valid plan creation body. */
export const PLAN_BODY = {
  period: 'monthly',
  interval: 1,
  item: { name: 'Explorer', amount: 159_900, currency: 'INR' },
};

/** A fresh emulator (frozen clock) before each test, and a caller for its REST API in-process. */
export function restHarness() {
  let emu: Emulator;
  beforeEach(() => {
    emu = createEmulator({ ...TEST_KEYS, clock: 1_750_000_000 });
  });
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = JSON_AUTH,
  ) => {
    const res = await emu.app.request(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Loose };
  };
  return { call, emulator: () => emu };
}
