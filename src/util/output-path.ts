// Checks an output path before any work starts, so a build or a quantize
// never runs for minutes and then fails to write: the path must not be on a
// pseudo-filesystem (/proc, /sys, /dev: writes there hang or mean something
// else), not on a read-only filesystem, its nearest existing directory must
// accept a new file, and it must not be (or contain, or sit inside) one of
// the command's inputs.

import { closeSync, existsSync, openSync, readFileSync, realpathSync, statSync, unlinkSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { TinymlError } from "../errors.js";

/** Filesystems that hold no files of the user's: writing there is never an output. */
const PSEUDO_FILESYSTEMS: ReadonlySet<string> = new Set([
  "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "configfs",
  "fusectl", "pstore", "bpf", "mqueue", "binfmt_misc", "autofs", "efivarfs", "hugetlbfs", "rpc_pipefs", "nsfs",
]);

interface Mount {
  point: string;
  fstype: string;
  readOnly: boolean;
}

/** /proc/self/mountinfo, or nothing where the OS has none (macOS): the write probe still runs. */
function mounts(): Mount[] {
  let text: string;
  try {
    text = readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return [];
  }
  const out: Mount[] = [];
  for (const line of text.split("\n")) {
    // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const f = left.split(" ");
    const point = (f[4] ?? "").replace(/\\040/g, " ");
    const [fstype = "", , superOptions = ""] = right.split(" ");
    const ro = (f[5] ?? "").split(",").includes("ro") || superOptions.split(",").includes("ro");
    out.push({ point, fstype, readOnly: ro });
  }
  return out;
}

function mountOf(path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const m of mounts()) {
    const inside = path === m.point || path.startsWith(m.point.endsWith("/") ? m.point : `${m.point}/`);
    if (inside && (!best || m.point.length >= best.point.length)) best = m;
  }
  return best;
}

/** The path itself if it exists, else its nearest existing ancestor, resolved through symlinks. */
function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return realpathSync(p);
}

function unwritable(path: string, what: string, why: string, hint: string): TinymlError {
  return new TinymlError("TML_E_OUTPUT_UNWRITABLE", `cannot write the ${what} ${path}: ${why}`, { location: { file: path }, hint });
}

export type OutputKind = "file" | "directory";

/**
 * Probes `path` for writing and returns it resolved. Fast (no waiting on the
 * filesystem beyond one create-and-remove of a probe file), so every command
 * runs it for every output before its first expensive step.
 */
export function probeOutput(path: string, what: string, kind: OutputKind): string {
  const abs = resolve(path);
  const existing = nearestExisting(abs);
  const mount = mountOf(existing);
  if (mount && PSEUDO_FILESYSTEMS.has(mount.fstype)) {
    throw unwritable(abs, what, `${mount.point} is the kernel's ${mount.fstype} pseudo-filesystem, not storage`, `Choose a ${what} on a real disk, e.g. ./${kind === "directory" ? "build" : "out"}.`);
  }
  if (mount?.readOnly) {
    throw unwritable(abs, what, `${mount.point} is mounted read-only`, `Choose a ${what} on a writable filesystem, or remount ${mount.point} read-write.`);
  }
  if (existing === realpathOrSelf(abs)) {
    const st = statSync(abs);
    if (kind === "directory" && !st.isDirectory()) {
      throw unwritable(abs, what, "it is a file, not a directory", `Name a directory (it is created when missing), not an existing file.`);
    }
    if (kind === "file" && st.isDirectory()) {
      throw unwritable(abs, what, "it is a directory", `Name a file inside it, e.g. ${abs}${sep}out`);
    }
  } else if (!statSync(existing).isDirectory()) {
    throw unwritable(abs, what, `${existing} is a file, so nothing can be created below it`, "Choose a path whose parent is a directory.");
  }
  const probeDir = statSync(existing).isDirectory() ? existing : dirname(existing);
  const probe = `${probeDir}${sep}.tinyml-probe-${process.pid}`;
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EROFS" ? "the filesystem is read-only" : code === "EACCES" || code === "EPERM" ? `no permission to create files in ${probeDir}` : code === "ENOSPC" ? "the disk is full" : `${probeDir}: ${(e as Error).message}`;
    throw unwritable(abs, what, why, "Choose a writable location, or fix the directory's permissions.");
  }
  return abs;
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Whether `inner` is `outer` or lies below it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Refuses an output that is an input, lies inside an input directory, or
 * contains an input: replacing it would destroy what the command reads
 * (`finetune --data D -o D` once deleted the user's recordings).
 */
export function checkOutputAgainstInputs(output: string, inputs: ReadonlyArray<{ path: string; what: string }>, what: string): void {
  const out = realpathOrSelf(resolve(output));
  for (const input of inputs) {
    const inp = realpathOrSelf(resolve(input.path));
    const relation = out === inp ? "is" : isWithin(out, inp) ? "is inside" : isWithin(inp, out) ? "contains" : null;
    if (!relation) continue;
    throw new TinymlError("TML_E_USAGE", `the ${what} ${output} ${relation} the ${input.what} ${input.path}: writing it would destroy an input`, {
      location: { file: output },
      hint: `Write the output somewhere else, e.g. -o ${dirname(out) === out ? "out" : `${dirname(out)}${sep}out`}.`,
    });
  }
}
