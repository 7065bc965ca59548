// Emulators that `tinyml flash --keep` left running for other programs,
// recorded per board in the temp directory (pty, image, the tinyml process
// that owns them), so `tinyml monitor --board qemu-m4` attaches to the one
// that runs instead of booting another. A record whose owner is gone is
// ignored; the owner removes its record when it stops.

import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerCleanup } from "../util/lifecycle.js";
import { processAlive } from "../util/lock-file.js";

export interface KeptEmulator {
  board: string;
  port: string;
  image: string;
  app: string;
  pid: number;
}

function recordPath(board: string): string {
  return join(tmpdir(), `tinyml-kept-${board.replace(/[^A-Za-z0-9._-]/g, "_")}.json`);
}

/** Records a kept emulator until this process exits. */
export function recordKept(k: Omit<KeptEmulator, "pid">): void {
  const file = recordPath(k.board);
  writeFileSync(file, `${JSON.stringify({ ...k, pid: process.pid })}\n`);
  registerCleanup(() => {
    try {
      if ((JSON.parse(readFileSync(file, "utf8")) as KeptEmulator).pid === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  });
}

/** The emulator kept for `board`, if its owner still runs. */
export function findKept(board: string): KeptEmulator | undefined {
  const file = recordPath(board);
  if (!existsSync(file)) return undefined;
  try {
    const k = JSON.parse(readFileSync(file, "utf8")) as KeptEmulator;
    return processAlive(k.pid) && existsSync(k.port) ? k : undefined;
  } catch {
    return undefined;
  }
}
