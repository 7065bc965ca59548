// Progress as a person sees it: `tinyml build` in a real terminal (a tmux
// pane) compiling cold shows one `[n/N] file` line that is rewritten in
// place as sources finish, then the summary; the screen never fills with
// one line per source. The pane is sampled while the build runs; how often
// it changes is up to the machine, so the test asks only that the count on
// that one line moved forward at least once.
import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, requireTool } from "../cli.js";
import { modelPath } from "../fixtures.js";

const hasTmux = (await requireTool("tmux", "apt-get install tmux")) && (await requireTool("cc", "apt-get install gcc"));
const session = `tinyml-progress-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "tinyml-tty-"));

async function pane(): Promise<string> {
  return String((await execa("tmux", ["capture-pane", "-p", "-t", session], { reject: false })).stdout);
}

describe.skipIf(!hasTmux)("progress in a terminal", () => {
  afterAll(async () => {
    await execa("tmux", ["kill-session", "-t", session], { reject: false });
  });

  it("rewrites one [n/N] line during a cold build, then prints the summary", async () => {
    const build = [
      "env", "TINYML_CACHE_DIR=off", "node", join(repoRoot, "bin", "tinyml.js"), "build", "--board", "host",
      modelPath("person_detect"), "--build-dir", join(dir, "b"), ";", "echo", "BUILD-EXIT=$?", ";", "sleep", "600",
    ].join(" ");
    await execa("tmux", ["new-session", "-d", "-s", session, "-x", "120", "-y", "40", build]);
    const seen: Array<{ row: number; done: number; total: number }> = [];
    let screen = "";
    while (!/BUILD-EXIT=\d+/.test(screen)) {
      screen = await pane();
      screen.split("\n").forEach((line, row) => {
        const m = /^compiling for host \[[#.]+\] \[(\d+)\/(\d+)\] \S+/.exec(line);
        if (m) seen.push({ row, done: Number(m[1]), total: Number(m[2]) });
      });
    }
    expect(screen).toMatch(/BUILD-EXIT=0/);
    // The live line was seen at two counts, always on the same row.
    expect(new Set(seen.map((s) => s.done)).size, JSON.stringify(seen.slice(0, 5))).toBeGreaterThanOrEqual(2);
    expect(new Set(seen.map((s) => s.row)).size).toBe(1);
    expect(seen.every((s, i) => i === 0 || s.done >= seen[i - 1]!.done)).toBe(true);
    // At the end it is replaced by the summary: no [n/N] line is left on screen.
    expect(screen).toMatch(/^compiling for host: \d+ compiled, 0 from the object cache in \d/m);
    expect(screen).not.toMatch(/\[\d+\/\d+\]/);
    expect(screen).toMatch(/^built .*firmware for Host/m);
  });
});
