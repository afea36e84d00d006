import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { buildContext } from './context.ts';

const base = { POLARIS_ENV: 'test', POLARIS_DATA_DIR: '/tmp/polaris-context-test' };
const contextFor = async (env: Record<string, string>) => {
  const built = buildContext(
    loadConfig({ ...base, ...env }),
    'postgresql://x@127.0.0.1:1/none',
    pino({ level: 'silent' }),
  );
  await built.close();
  return built.ctx;
};
const settingsFor = async (env: Record<string, string>) => (await contextFor(env)).settings;

describe('buildContext', () => {
  it('turns PAYMENTS_ENABLED=false, or its alias, into settings that refuse checkout', async () => {
    expect((await settingsFor({})).paymentsEnabled).toBe(true);
    expect((await settingsFor({ PAYMENTS_ENABLED: 'false' })).paymentsEnabled).toBe(false);
    expect((await settingsFor({ NEXT_PUBLIC_ENABLE_PAYMENTS: 'false' })).paymentsEnabled).toBe(false);
    expect((await settingsFor({ PAYMENTS_ENABLED: 'true' })).paymentsEnabled).toBe(true);
  });

  it('checks admin tokens against ADMIN_TOKEN, and refuses every token when none is set', async () => {
    const token = 'a'.repeat(24);
    const accounts = (await contextFor({ ADMIN_TOKEN: token })).accounts;
    expect(accounts.isAdminToken(token)).toBe(true);
    expect(accounts.isAdminToken(`${token}b`)).toBe(false);
    expect(accounts.isAdminToken('')).toBe(false);
    expect((await contextFor({})).accounts.isAdminToken(token)).toBe(false);
  });
});
