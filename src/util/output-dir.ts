// An output directory tinyml owns (a build directory, a fine-tuned model):
//  - claimed before work starts: probed for writing, checked against the
//    command's inputs, and locked, so a second concurrent run into it waits
//    for the first and then fails clearly rather than interleaving;
//  - written in a staging directory beside it and swapped into place only
//    when complete, so an interrupted or failed run leaves the previous
//    output intact and a Ctrl-C leaves no staging directory behind;
//  - recorded in .tinyml-output.json: the entries tinyml wrote. Only those
//    are ever replaced. A non-empty directory without that record (or with
//    entries it does not list) belongs to the user and is refused; with
//    --force tinyml writes beside the user's entries, replacing only its own.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { TinymlError } from "../errors.js";
import { registerCleanup } from "./lifecycle.js";
import { acquireLock, type FileLock } from "./lock-file.js";
import { checkOutputAgainstInputs, probeOutput } from "./output-path.js";

export const OWNERSHIP_FILE = ".tinyml-output.json";

/** What a directory's ownership record holds. `details` is the writer's own (board, app, model…). */
export interface OutputRecord {
  tool: "tinyml";
  version: string;
  /** What kind of output: "firmware-project", "finetuned-model". */
  kind: string;
  /** Top-level entries tinyml wrote (the record itself excluded). */
  entries: string[];
  details?: Record<string, unknown>;
}

export interface ClaimOptions {
  /** For messages: "build directory", "model directory". */
  what: string;
  kind: string;
  version: string;
  force: boolean;
  /** The command's inputs: the output may be none of them, inside none, and contain none. */
  inputs: ReadonlyArray<{ path: string; what: string }>;
  /**
   * Entries of the previous output moved into the new one before it is
   * written (a vendor tool's incremental build directory). Put back if the
   * run fails before publishing.
   */
  carryOver?: readonly string[];
  /** Entries the user keeps in the directory on purpose (an SDK checkout): neither refused nor replaced. */
  userEntries?: readonly string[];
  /** How long to wait for another run that holds the directory. Default 10 minutes. */
  lockWaitMs?: number;
  /** Told once when another run holds the directory. */
  onWait?: (ownerPid: number) => void;
}

export interface ClaimedDir {
  /** The final directory. */
  dir: string;
  /** Where to write; becomes `dir` at publish(). */
  staging: string;
  /** The previous record, when the directory was tinyml's. */
  previous: OutputRecord | undefined;
  /** Puts the staged output in place (atomically when the directory holds nothing of the user's). */
  publish(details?: Record<string, unknown>): void;
  /** After publish: records what appeared in `dir` since (a vendor build's output), and releases the lock. */
  finish(): void;
  /**
   * Undoes everything not yet published and releases the lock. Safe to call
   * more than once. With keepFailed, what was staged is kept as `<dir>.failed`
   * (a failed build to look at) and that path is returned.
   */
  abort(opts?: { keepFailed?: boolean }): string | undefined;
}

export function readOutputRecord(dir: string): OutputRecord | undefined {
  const file = join(dir, OWNERSHIP_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as OutputRecord;
    return r.tool === "tinyml" && Array.isArray(r.entries) ? r : undefined;
  } catch {
    return undefined;
  }
}

function siblingPath(dir: string, tag: string): string {
  return join(dirname(dir), `.${basename(dir)}.tinyml-${tag}`);
}

function foreignEntries(dir: string, record: OutputRecord | undefined): string[] {
  const ours = new Set([OWNERSHIP_FILE, ...(record?.entries ?? [])]);
  return readdirSync(dir).filter((e) => !ours.has(e)).sort();
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

export async function claimOutputDir(path: string, opts: ClaimOptions): Promise<ClaimedDir> {
  const dir = probeOutput(path, opts.what, "directory");
  checkOutputAgainstInputs(dir, opts.inputs, opts.what);
  mkdirSync(dirname(dir), { recursive: true });
  const lock: FileLock = await acquireLock(siblingPath(dir, "lock"), {
    waitMs: opts.lockWaitMs ?? 10 * 60_000,
    onWait: opts.onWait,
    busy: (owner) => new TinymlError("TML_E_OUTPUT_UNWRITABLE", `the ${opts.what} ${dir} is in use by another tinyml run (pid ${owner})`, {
      location: { file: dir },
      hint: owner === process.pid ? "Two outputs of this run name the same directory: give each its own." : "Wait for that run to finish, or write to another directory.",
    }),
  });
  try {
    return openClaim(dir, lock, opts);
  } catch (e) {
    lock.release();
    throw e;
  }
}

function openClaim(dir: string, lock: FileLock, opts: ClaimOptions): ClaimedDir {
  const exists = existsSync(dir);
  const previous = exists ? readOutputRecord(dir) : undefined;
  const foreign = exists ? foreignEntries(dir, previous) : [];
  const unexpected = foreign.filter((e) => !(opts.userEntries ?? []).includes(e));
  if (unexpected.length > 0 && !opts.force) {
    const whose = previous ? "entries tinyml did not write" : "files tinyml did not write (it has no .tinyml-output.json record)";
    throw new TinymlError("TML_E_OUTPUT_UNWRITABLE", `the ${opts.what} ${dir} holds ${whose}: ${listed(unexpected)}`, {
      location: { file: dir },
      hint: "tinyml never deletes files it did not write. Choose an empty or new directory, or pass --force to write beside them (only tinyml's own files are replaced).",
    });
  }
  const staging = siblingPath(dir, `staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const carried: string[] = [];
  const ours = new Set(previous?.entries ?? []);
  for (const name of opts.carryOver ?? []) {
    if (!ours.has(name) || !existsSync(join(dir, name))) continue;
    renameSync(join(dir, name), join(staging, name));
    carried.push(name);
  }
  let state: "staged" | "published" | "done" = "staged";
  const undoStaging = (): void => {
    for (const name of carried) {
      if (existsSync(join(staging, name)) && !existsSync(join(dir, name))) renameSync(join(staging, name), join(dir, name));
    }
    rmSync(staging, { recursive: true, force: true });
  };
  // Interrupted before publishing, the previous output comes back as it was;
  // after, what the run wrote (a vendor build's partial output) is recorded as tinyml's.
  const unregister = registerCleanup(() => {
    if (state === "staged") undoStaging();
    else if (state === "published") finish();
    lock.release();
  });
  let record: OutputRecord | undefined;

  const finish = (): void => {
    if (state === "done") return;
    if (state === "published" && record) {
      const now = readdirSync(dir).filter((e) => e !== OWNERSHIP_FILE && !foreign.includes(e)).sort();
      if (now.join("\n") !== record.entries.join("\n")) {
        record = { ...record, entries: now };
        writeFileSync(join(dir, OWNERSHIP_FILE), `${JSON.stringify(record, null, 2)}\n`);
      }
    }
    state = "done";
    unregister();
    lock.release();
  };

  return {
    dir,
    staging,
    previous,
    publish(details) {
      if (state !== "staged") throw new Error(`${dir} was already published`);
      const entries = readdirSync(staging).filter((e) => e !== OWNERSHIP_FILE).sort();
      const clash = foreign.filter((f) => entries.includes(f));
      if (clash.length > 0) {
        throw new TinymlError("TML_E_OUTPUT_UNWRITABLE", `the ${opts.what} ${dir} holds ${listed(clash)}, which tinyml did not write and would replace`, {
          location: { file: dir },
          hint: "Move those files away, or choose another directory.",
        });
      }
      record = { tool: "tinyml", version: opts.version, kind: opts.kind, entries, ...(details ? { details } : {}) };
      writeFileSync(join(staging, OWNERSHIP_FILE), `${JSON.stringify(record, null, 2)}\n`);
      if (foreign.length === 0) swapWhole(dir, staging);
      else swapEntries(dir, staging, [...entries, OWNERSHIP_FILE], previous?.entries ?? []);
      state = "published";
    },
    finish,
    abort(abortOpts) {
      let kept: string | undefined;
      if (state === "staged") {
        if (abortOpts?.keepFailed) kept = keepFailed(dir, staging, carried, opts);
        undoStaging();
        state = "done";
        unregister();
        lock.release();
      } else {
        // A run that failed after publishing still wrote what is there now.
        finish();
      }
      return kept;
    },
  };
}

/**
 * Moves a failed run's staging directory to `<dir>.failed` (replacing an
 * earlier failure tinyml kept there, never anything else), minus the
 * entries carried over from the previous output, which go back.
 */
function keepFailed(dir: string, staging: string, carried: readonly string[], opts: ClaimOptions): string | undefined {
  const failed = `${dir}.failed`;
  if (existsSync(failed)) {
    const r = readOutputRecord(failed);
    if (!r || r.kind !== "failed-run" || foreignEntries(failed, r).length > 0) return undefined;
    rmSync(failed, { recursive: true, force: true });
  }
  for (const name of carried) {
    if (existsSync(join(staging, name)) && !existsSync(join(dir, name))) renameSync(join(staging, name), join(dir, name));
  }
  const entries = readdirSync(staging).filter((e) => e !== OWNERSHIP_FILE).sort();
  const record: OutputRecord = { tool: "tinyml", version: opts.version, kind: "failed-run", entries, details: { of: opts.kind } };
  writeFileSync(join(staging, OWNERSHIP_FILE), `${JSON.stringify(record, null, 2)}\n`);
  renameSync(staging, failed);
  return failed;
}

/** The directory holds only tinyml's entries: replace it whole, with two renames. */
function swapWhole(dir: string, staging: string): void {
  if (!existsSync(dir)) {
    renameSync(staging, dir);
    return;
  }
  const aside = siblingPath(dir, `old-${process.pid}`);
  rmSync(aside, { recursive: true, force: true });
  renameSync(dir, aside);
  try {
    renameSync(staging, dir);
  } catch (e) {
    renameSync(aside, dir);
    throw e;
  }
  rmSync(aside, { recursive: true, force: true });
}

/** The user's entries stay: move tinyml's new entries in one by one, and its stale ones out. */
function swapEntries(dir: string, staging: string, entries: readonly string[], previousOurs: readonly string[]): void {
  const aside = siblingPath(dir, `old-${process.pid}`);
  rmSync(aside, { recursive: true, force: true });
  mkdirSync(aside);
  for (const name of new Set([...entries, ...previousOurs, OWNERSHIP_FILE])) {
    if (existsSync(join(dir, name))) renameSync(join(dir, name), join(aside, name));
  }
  for (const name of entries) renameSync(join(staging, name), join(dir, name));
  rmSync(aside, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
}

/** Whether `dir` is a directory tinyml wrote (for commands that read it back, like flash). */
export function isTinymlOutput(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && readOutputRecord(dir) !== undefined;
}
