// Emulators that `tinyml flash --keep` left running for other programs,
// recorded in the temp directory (board, pty, image, the tinyml process that
// owns them), so `tinyml monitor --board qemu-m4` attaches to the one that
// runs the build directory's image instead of booting another. A record whose owner is gone is
// ignored; the owner removes its record when it stops.

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { registerCleanup } from "../util/lifecycle.js";
import { processAlive } from "../util/lock-file.js";

export interface KeptEmulator {
  board: string;
  port: string;
  image: string;
  app: string;
  pid: number;
}

const PREFIX = "tinyml-kept-";

function recordPath(board: string, pid: number): string {
  return join(tmpdir(), `${PREFIX}${board.replace(/[^A-Za-z0-9._-]/g, "_")}-${pid}.json`);
}

/** Records a kept emulator until this process exits. */
export function recordKept(k: Omit<KeptEmulator, "pid">): void {
  const file = recordPath(k.board, process.pid);
  writeFileSync(file, `${JSON.stringify({ ...k, pid: process.pid })}\n`);
  registerCleanup(() => rmSync(file, { force: true }));
}

/** Every emulator kept for `board` whose owner still runs. */
export function keptFor(board: string): KeptEmulator[] {
  const found: KeptEmulator[] = [];
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX) || !name.endsWith(".json")) continue;
    try {
      const k = JSON.parse(readFileSync(join(tmpdir(), name), "utf8")) as KeptEmulator;
      if (k.board === board && processAlive(k.pid) && existsSync(k.port)) found.push(k);
    } catch {
      // a record being written or removed
    }
  }
  return found;
}

/**
 * The kept emulator running `image`; when no image was asked for (no
 * --build-dir), the board's only kept emulator. Several and none asked for
 * cannot be told apart, so none is chosen.
 */
export function findKept(board: string, image: string, imageGiven: boolean): KeptEmulator | undefined {
  const kept = keptFor(board);
  const same = kept.find((k) => resolve(k.image) === resolve(image));
  if (same) return same;
  return !imageGiven && kept.length === 1 ? kept[0] : undefined;
}
