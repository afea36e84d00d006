import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/adapters/db/port-probe.ts';

/** A throwaway PostgreSQL server for tests and benchmarks, on loopback. */
export type PostgresServer = {
  url: string;
  port: number;
  /** Stops the server for good and deletes its data. */
  stop: () => void;
  /** Stops the server (pg_ctl -m fast or immediate), keeping its data, as an outage would. */
  halt: (mode: 'fast' | 'immediate') => Promise<void>;
  /** Starts a halted server again on the same port and data. */
  resume: () => Promise<void>;
};

/** Finds initdb/pg_ctl: PATH, then `pg_config --bindir`, then /usr/lib/postgresql/<newest>/bin. */
export function findPostgresBin(): string {
  const candidates: string[] = [];
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) candidates.push(onPath.replace(/\/initdb$/, ''));
  const cfg = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (cfg.status === 0) candidates.push(cfg.stdout.trim());
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found on PATH, via pg_config, or under /usr/lib/postgresql; install the postgresql package',
    );
  }
  return found;
}

/**
 * initdb into a temporary folder, start on a free port; as root the server runs as `postgres`.
 * Tests run without durability (fsync, full_page_writes and synchronous_commit off); `durable`
 * keeps production's settings, as benchmarks must.
 */
export async function startPostgres(
  options: { maxConnections?: number; durable?: boolean } = {},
): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'polaris-pg-'));
  const dataDir = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const command = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
  const run = (cmd: string, args: string[]) => execFileSync(...command(cmd, args), { stdio: 'pipe' });
  // The event loop keeps serving (a load running beside it) while pg_ctl waits.
  const runAsync = (cmd: string, args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile(...command(cmd, args), (error) => (error ? reject(error) : resolve())),
    );
  if (asRoot) {
    chmodSync(dir, 0o777);
    execFileSync('chown', ['postgres', dir]);
  }
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const port = await findFreePort();
  const opts = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    `-c max_connections=${options.maxConnections ?? 200}`,
  ].join(' ');
  const startArgs = ['-D', dataDir, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'];
  run('pg_ctl', startArgs);
  let stopped = false;
  let halted = false;
  return {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        if (!halted) run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    halt: async (mode) => {
      await runAsync('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
      halted = true;
    },
    resume: async () => {
      await runAsync('pg_ctl', startArgs);
      halted = false;
    },
  };
}
