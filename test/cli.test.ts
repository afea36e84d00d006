import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadMigrations } from '../src/adapters/db/migration-files.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { runCli, startServer } from './support/cli.ts';
import { RUNBOOK_QUERIES_PATH } from './support/runbook-sql.ts';

describe('polaris CLI: bad configuration and arguments', () => {
  it('a malformed DATABASE_URL stops with exit 2 naming the variable', async () => {
    const r = await runCli(['db', 'status'], { DATABASE_URL: 'mysql:/nope' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'polaris: configuration error: DATABASE_URL: must be a postgresql://user:password@host:port/database URL',
    ]);
  });

  it('an unreachable database exits 2 and shows the URL without its password', async () => {
    const port = await findFreePort();
    const r = await runCli(['db', 'migrate'], {
      DATABASE_URL: `postgresql://polaris:s3cret-pw@127.0.0.1:${port}/app`,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot reach the database at postgresql://polaris:***@127.0.0.1:${port}/app`);
    expect(r.stderr).not.toContain('s3cret-pw');
  });

  it('a bad PORT value exits 2 naming PORT', async () => {
    const r = await runCli(['start'], { PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^polaris: configuration error: PORT: /);
  });
});

// Each CLI run starts a node process: seconds apiece on a busy machine, and these tests make several.
describe('polaris CLI against PostgreSQL', { timeout: 180_000 }, () => {
  let url = '';
  beforeAll(async () => {
    const admin = inject('pgUrl');
    const name = `polaris_cli_${Date.now()}`;
    execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
    url = admin.replace(/\/postgres$/, `/${name}`);
  });

  it('migrates, reports status, and refuses rollback without --yes or with an unknown name, changing nothing', async () => {
    expect((await runCli(['db', 'status'], { DATABASE_URL: url })).code).toBe(1);
    const migrated = await runCli(['--json', 'db', 'migrate'], { DATABASE_URL: url });
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout).applied).toEqual(loadMigrations().map((f) => f.name));

    const noYes = await runCli(['db', 'rollback', '--to', '0099'], {
      DATABASE_URL: url,
    });
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/--yes/);
    const unknown = await runCli(['db', 'rollback', '--to', 'nope', '--yes'], { DATABASE_URL: url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown migration "nope"');

    const status = await runCli(['--json', 'db', 'status'], { DATABASE_URL: url });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).current).toBe(true);

    const back = await runCli(['db', 'rollback', '--to', '0099', '--no-backup', '--yes'], {
      DATABASE_URL: url,
    });
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('rolled back 0100_billing\n');
    expect((await runCli(['db', 'migrate'], { DATABASE_URL: url })).stdout).toContain('applied 0100_billing');
  });

  it('refuses a port in use with exit 2 and one line', async () => {
    const blocker = createServer();
    const port = await findFreePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const r = await runCli(['start'], { DATABASE_URL: url, PORT: String(port) });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        `polaris: port ${port} (PORT) is in use by another program; stop it or set PORT`,
      );
    } finally {
      blocker.close();
    }
  });
});

describe('polaris start on the embedded database', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-cli-'));
  const dataDir = join(dir, 'data');
  let env: Record<string, string> = {};
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a fresh folder, lets psql run the runbook queries, and refuses a second start on the same folder', async () => {
    env = {
      POLARIS_DATA_DIR: dataDir,
      POLARIS_DB_PORT: String(await findFreePort()),
      POLARIS_EMULATOR_PORT: String(await findFreePort()),
    };
    const port = await findFreePort();
    const server = await startServer(env, port);
    try {
      const ready = await (await fetch(`http://127.0.0.1:${port}/api/health/ready`)).json();
      expect(ready).toMatchObject({
        ok: true,
        checks: { database: { ok: true }, migrations: { ok: true }, schema: { ok: true } },
      });

      const dbUrl = (await runCli(['db', 'url'], env)).stdout.trim();
      expect(dbUrl).toBe(`postgresql://postgres@127.0.0.1:${env.POLARIS_DB_PORT}/postgres?sslmode=disable`);
      const psql = execFileSync('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-f', RUNBOOK_QUERIES_PATH], {
        encoding: 'utf8',
      });
      expect(psql).toContain('count');
      // The server's own migrate is audited as "server".
      const audit = execFileSync(
        'psql',
        [
          dbUrl,
          '-Atc',
          "SELECT actor || ' ' || action || ' ' || target FROM audit_log WHERE action LIKE 'db.%'",
        ],
        { encoding: 'utf8' },
      );
      expect(audit.trim()).toBe(`server db.migrate ${loadMigrations().at(-1)?.name}`);

      const status = await runCli(['db', 'status'], env);
      expect(status.code).toBe(0);

      const second = await runCli(['start'], { ...env, PORT: String(await findFreePort()) });
      expect(second.code).toBe(2);
      expect(second.stderr.trim()).toMatch(
        /already served by process \d+ on 127\.0\.0\.1:\d+; stop that process first/,
      );
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    expect(existsSync(join(dataDir, 'polaris.lock'))).toBe(false);
  });

  it('recovers the lock left by a killed server and keeps the data', async () => {
    const port = await findFreePort();
    const first = await startServer(env, port);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dataDir, 'polaris.lock'))).toBe(true);
    const again = await startServer(env, port);
    try {
      const status = await runCli(['--json', 'db', 'status'], env);
      expect(JSON.parse(status.stdout).current).toBe(true);
      expect(readdirSync(dataDir)).toContain('pgdata');
      expect(JSON.parse(readFileSync(join(dataDir, 'polaris.lock'), 'utf8')).pid).toBe(again.child.pid);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });

  it('db commands own the folder themselves when no server runs', async () => {
    const r = await runCli(['db', 'status'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('schema is current');
    expect(existsSync(join(dataDir, 'polaris.lock'))).toBe(false);
  });
});
