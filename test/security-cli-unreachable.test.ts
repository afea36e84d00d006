import { describe, expect, it } from 'vitest';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { runCli } from './support/cli.ts';

// Each case starts a node process: seconds apiece on a busy machine.
describe('security commands with the database unreachable', { timeout: 180_000 }, () => {
  it.each([
    [['audit', 'requests', '--since', '24h']],
    [['audit', 'log', '--since', '24h']],
    [['users', 'disable', 'someone@example.com', '--reason', 'breach', '--yes']],
    [['sessions', 'revoke', '--all', '--reason', 'breach', '--yes']],
    [['users', 'require-password-reset', '--user', 'someone@example.com', '--reason', 'breach']],
  ])('polaris %s exits 2 naming the URL without its password', async (args) => {
    const port = await findFreePort();
    const r = await runCli(args, { DATABASE_URL: `postgresql://polaris:s3cret-pw@127.0.0.1:${port}/app` });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`cannot reach the database at postgresql://polaris:***@127.0.0.1:${port}/app`);
    expect(r.stderr).not.toContain('s3cret-pw');
  });
});
