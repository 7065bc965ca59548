// Processes as the kernel sees them (/proc), for tests that must prove what
// is still running after tinyml was told to stop.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** argv joined by spaces. */
  command: string;
}

export function processes(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const command = readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (state === "Z") continue; // a zombie has already exited
      out.push({ pid: Number(e), ppid, command });
    } catch {
      // gone while we looked
    }
  }
  return out;
}

/** Every process below `root` in the process tree. */
export function descendants(root: number, all = processes()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const p = frontier.pop()!;
    for (const c of all.filter((x) => x.ppid === p)) {
      found.push(c);
      frontier.push(c.pid);
    }
  }
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

/**
 * Polls `check` until it returns a value, or `gaveUp` says waiting is
 * pointless (the process under test exited). No fixed deadline: on a busy
 * machine this simply takes longer; vitest's timeout is the backstop.
 */
export async function waitFor<T>(check: () => T | undefined, gaveUp: () => string | undefined, everyMs = 50): Promise<T> {
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    const why = gaveUp();
    if (why !== undefined) throw new Error(`stopped waiting: ${why}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
