import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds the embedded database folder. */
export type LockOwner = { pid: number; port: number; startedAt: string };

export type FolderLock = { ok: true; release: () => void } | { ok: false; owner: LockOwner };

const LOCK_FILE = 'polaris.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live owner of the folder, or undefined when the folder is free or its lock is stale. */
export function readLockOwner(dataDir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && isAlive(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the folder for this process (PGlite itself has no lock, DESIGN §3). A lock left by a
 * killed process is recovered; a live owner is reported instead.
 */
export function acquireFolderLock(dataDir: string, port: number): FolderLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const owner: LockOwner = { pid: process.pid, port, startedAt: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (readLockOwner(dataDir)?.pid === process.pid) rmSync(path, { force: true });
      };
      process.once('exit', release);
      return { ok: true, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readLockOwner(dataDir);
      if (owner) return { ok: false, owner };
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  const owner = readLockOwner(dataDir);
  if (owner) return { ok: false, owner };
  throw new Error(`could not take the lock ${path}`);
}
