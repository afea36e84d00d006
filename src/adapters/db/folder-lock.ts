import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

/** Who holds the embedded database folder. */
export type LockOwner = { pid: number; port: number; startedAt: string };

export type FolderLock = { ok: true; release: () => void } | { ok: false; owner: LockOwner };

const LOCK_FILE = 'polaris.lock';

/** The lock files this process holds right now, by absolute path. */
const held = new Set<string>();

function lockPath(dataDir: string): string {
  return resolve(dataDir, LOCK_FILE);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLockFile(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** The live owner of the folder, or undefined when the folder is free or its lock is stale. */
export function readLockOwner(dataDir: string): LockOwner | undefined {
  const path = lockPath(dataDir);
  const owner = readLockFile(path);
  if (!owner) return undefined;
  // Our own PID in a lock we do not hold was written by an earlier process that had the same PID:
  // a container restarted as PID 1 again.
  if (owner.pid === process.pid) return held.has(path) ? owner : undefined;
  return isAlive(owner.pid) ? owner : undefined;
}

/**
 * Takes the folder for this process (PGlite itself has no lock, DESIGN §3). A lock left by a
 * killed process, or by an earlier process with this one's PID, is recovered; a live owner is
 * reported instead, this process included while it holds the lock.
 */
export function acquireFolderLock(dataDir: string, port: number): FolderLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const owner: LockOwner = { pid: process.pid, port, startedAt: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      held.add(path);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        held.delete(path);
        process.off('exit', release);
        if (readLockFile(path)?.pid === process.pid) rmSync(path, { force: true });
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
