import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AlertSpool, DatabaseOutage } from '../../domain/alert-rules.ts';

type Stored = { since: string; lastAt: string; checks: number; error: string; instance: string };

/**
 * The spool as a JSON file under `dir` (POLARIS_DATA_DIR/alerts), written by rename so a crash
 * never leaves half a file; an unreadable file counts as no outage rather than a crash.
 */
export function createAlertSpool(dir: string, instance = `${hostname()}:${process.pid}`): AlertSpool {
  const file = join(dir, 'database-unreachable.json');
  const read = async (): Promise<DatabaseOutage | undefined> => {
    let stored: Stored;
    try {
      stored = JSON.parse(await readFile(file, 'utf8')) as Stored;
    } catch {
      return undefined;
    }
    const since = new Date(stored.since);
    const lastAt = new Date(stored.lastAt);
    if (Number.isNaN(since.getTime()) || Number.isNaN(lastAt.getTime())) return undefined;
    return {
      since,
      lastAt,
      checks: Number(stored.checks) || 1,
      error: String(stored.error),
      instance: String(stored.instance),
    };
  };
  return {
    read,
    async record(at, error) {
      const previous = await read();
      const outage: DatabaseOutage = {
        since: previous?.since ?? at,
        lastAt: at,
        checks: (previous?.checks ?? 0) + 1,
        error: error.slice(0, 300),
        instance: previous?.instance ?? instance,
      };
      await mkdir(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(
        tmp,
        `${JSON.stringify({ ...outage, since: outage.since.toISOString(), lastAt: outage.lastAt.toISOString() })}\n`,
      );
      await rename(tmp, file);
      return outage;
    },
    async clear() {
      await rm(file, { force: true });
    },
  };
}
