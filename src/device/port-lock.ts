// One test run per serial port at a time, across processes: a lock file in
// the temp directory keyed by the port's real device path, holding the
// owner's pid. A lock whose owner is gone (a crashed run) is taken over.
import { openSync, closeSync, readFileSync, realpathSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TinymlError } from "../errors.js";

export interface PortLock {
  path: string;
  release(): void;
}

export function portLockPath(port: string): string {
  let real = port;
  try {
    real = realpathSync(port);
  } catch {
    // A port that does not exist yet still gets a stable key; opening it will fail later with its own message.
  }
  return join(tmpdir(), `tinyml-port-${real.replace(/[^A-Za-z0-9._-]/g, "_")}.lock`);
}

function ownerAlive(file: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(file, "utf8").trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM" ? pid : undefined;
  }
}

function tryLock(file: string): boolean {
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

/** Takes the port's lock, waiting up to `waitMs` for another run to finish with it. */
export async function lockPort(port: string, waitMs = 10_000): Promise<PortLock> {
  const file = portLockPath(port);
  const deadline = Date.now() + waitMs;
  let held = false;
  for (;;) {
    if (tryLock(file)) break;
    const owner = ownerAlive(file);
    if (owner === undefined) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TinymlError("TML_E_PORT_BUSY", `serial port ${port} is locked by another tinyml run (pid ${owner})`, {
        location: { file },
        hint: owner === process.pid
          ? "two entries of the hardware map name the same port: give each board its own"
          : `wait for that run to finish, or remove ${file} if process ${owner} is not tinyml`,
      });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    path: file,
    release() {
      if (held) return;
      held = true;
      rmSync(file, { force: true });
    },
  };
}
