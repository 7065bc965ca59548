// One test run per serial port at a time, across processes: a lock file in
// the temp directory keyed by the port's real device path, holding the
// owner's pid (src/util/lock-file.ts).
import { realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TinymlError } from "../errors.js";
import { acquireLock, type FileLock } from "../util/lock-file.js";

export type PortLock = FileLock;

export function portLockPath(port: string): string {
  let real = port;
  try {
    real = realpathSync(port);
  } catch {
    // A port that does not exist yet still gets a stable key; opening it will fail later with its own message.
  }
  return join(tmpdir(), `tinyml-port-${real.replace(/[^A-Za-z0-9._-]/g, "_")}.lock`);
}

/** Takes the port's lock, waiting up to `waitMs` for another run to finish with it. */
export async function lockPort(port: string, waitMs = 10_000): Promise<PortLock> {
  const file = portLockPath(port);
  return acquireLock(file, {
    waitMs,
    busy: (owner) => new TinymlError("TML_E_PORT_BUSY", `serial port ${port} is locked by another tinyml run (pid ${owner})`, {
      location: { file },
      hint: owner === process.pid
        ? "two entries of the hardware map name the same port: give each board its own"
        : `wait for that run to finish, or remove ${file} if process ${owner} is not tinyml`,
    }),
  });
}
