// An exclusive lock between processes: a file created with O_EXCL that holds
// the owner's pid. A lock whose owner is gone (a crashed or killed run) is
// taken over; a live owner makes the caller wait, then fail with the error
// it builds. The lock is released by its owner, or by the lifecycle
// cleanups when tinyml is interrupted.

import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { registerCleanup } from "./lifecycle.js";

export interface FileLock {
  path: string;
  release(): void;
}

export interface LockOptions {
  /** How long to wait for a live owner. */
  waitMs: number;
  /** The error when the owner still holds the lock at the deadline. */
  busy: (ownerPid: number) => Error;
  /** Called once when the lock is held by someone else and the caller starts waiting. */
  onWait?: (ownerPid: number) => void;
}

/** Whether process `pid` exists (one of another user's counts). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid in a lock file, if that process is alive. */
export function lockOwner(file: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(file, "utf8").trim());
  } catch {
    return undefined;
  }
  return processAlive(pid) ? pid : undefined;
}

function tryCreate(file: string): boolean {
  try {
    const fd = openSync(file, "wx");
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return false;
  }
}

export async function acquireLock(file: string, opts: LockOptions): Promise<FileLock> {
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  for (;;) {
    if (tryCreate(file)) break;
    const owner = lockOwner(file);
    if (owner === undefined) {
      // A stale lock: its owner died without releasing it.
      rmSync(file, { force: true });
      continue;
    }
    if (owner === process.pid || Date.now() >= deadline) throw opts.busy(owner);
    if (!told) {
      told = true;
      opts.onWait?.(owner);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    unregister();
    // Only our own lock: a lock taken over after ours went stale is not ours to remove.
    if (lockOwner(file) === process.pid) rmSync(file, { force: true });
  };
  const unregister = registerCleanup(release);
  return { path: file, release };
}
