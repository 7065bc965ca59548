// Which emulator `tinyml monitor` attaches to when several are kept: the one
// running the build directory's image, never another one of the same board.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findKept, keptFor } from "../../src/session/kept.js";

const written: string[] = [];
afterEach(() => {
  for (const f of written.splice(0)) rmSync(f, { recursive: true, force: true });
});

/** A record as `flash --keep` writes it, owned by a live process (this one or its parent). */
function keep(board: string, image: string, pid: number, port: string): void {
  const file = join(tmpdir(), `tinyml-kept-${board}-${pid}.json`);
  writeFileSync(file, JSON.stringify({ board, port, image, app: "tinyml", pid }));
  written.push(file);
}

describe("kept emulators", () => {
  it("chooses by image, and only guesses when one is kept and no build directory was named", () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyml-kept-test-"));
    written.push(dir);
    const port = join(dir, "pty");
    writeFileSync(port, "");
    const board = `kept-test-${process.pid}`;
    keep(board, join(dir, "a", "firmware.elf"), process.pid, port);
    expect(findKept(board, join(dir, "b", "firmware.elf"), false)?.image).toBe(join(dir, "a", "firmware.elf"));
    expect(findKept(board, join(dir, "b", "firmware.elf"), true)).toBeUndefined();

    keep(board, join(dir, "b", "firmware.elf"), process.ppid, port);
    expect(keptFor(board)).toHaveLength(2);
    expect(findKept(board, join(dir, "b", "firmware.elf"), true)?.pid).toBe(process.ppid);
    expect(findKept(board, join(dir, "c", "firmware.elf"), false)).toBeUndefined();
  });

  it("ignores a record whose owner is gone", () => {
    const board = `kept-gone-${process.pid}`;
    keep(board, "/x/firmware.elf", 2 ** 22 + 12345, "/dev/null");
    expect(keptFor(board)).toEqual([]);
  });
});
