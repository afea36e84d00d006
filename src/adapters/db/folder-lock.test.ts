import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFolderLock, readLockOwner } from './folder-lock.ts';

describe('the embedded data folder lock', () => {
  let dir = '';
  const lockFile = () => join(dir, 'polaris.lock');
  const writeLock = (pid: number, port: number) =>
    writeFileSync(lockFile(), JSON.stringify({ pid, port, startedAt: '2020-01-01T00:00:00.000Z' }));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'polaris-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('treats a lock naming this PID that this process does not hold as stale (a restart as PID 1 again)', () => {
    writeLock(process.pid, 1111);
    expect(readLockOwner(dir)).toBeUndefined();
    const lock = acquireFolderLock(dir, 2222);
    expect(lock.ok).toBe(true);
    const written = JSON.parse(readFileSync(lockFile(), 'utf8'));
    expect(written).toMatchObject({ pid: process.pid, port: 2222 });
    expect(written.startedAt).not.toBe('2020-01-01T00:00:00.000Z');
    expect(readLockOwner(dir)).toMatchObject({ pid: process.pid, port: 2222 });
    if (lock.ok) lock.release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('refuses a second reservation inside the process that holds the lock, until it is released', () => {
    const first = acquireFolderLock(dir, 3333);
    expect(first.ok).toBe(true);
    const second = acquireFolderLock(dir, 4444);
    expect(second).toEqual({ ok: false, owner: expect.objectContaining({ pid: process.pid, port: 3333 }) });
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).port).toBe(3333);
    if (first.ok) first.release();
    const third = acquireFolderLock(dir, 5555);
    expect(third.ok).toBe(true);
    if (first.ok) first.release(); // a second release of an old lock must not drop the new one
    expect(readLockOwner(dir)).toMatchObject({ pid: process.pid, port: 5555 });
    if (third.ok) third.release();
  });

  it('refuses a folder whose lock names another live process, and keeps that lock', () => {
    writeLock(process.ppid, 6666);
    const lock = acquireFolderLock(dir, 7777);
    expect(lock).toEqual({ ok: false, owner: expect.objectContaining({ pid: process.ppid, port: 6666 }) });
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.ppid);
  });
});
