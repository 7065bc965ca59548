// A content-addressed cache of compiled objects, shared by every build on
// the machine (the ccache "direct mode" idea): an object is reused when the
// compiler, its exact arguments, the source and every header the previous
// compile read (from its -MMD dependency file) are byte-identical. Sources
// are compiled from paths relative to the project directory, so the same
// kernel compiled for the same board and flags hits whichever project,
// staging directory or model it is built for.
//
// Layout under the cache root ($TINYML_CACHE_DIR, else $XDG_CACHE_HOME/tinyml,
// else ~/.cache/tinyml): objects/<key>.o and manifests/<key>.json. Every file
// is written to a temporary name and renamed, so concurrent builds never see
// half a file; two builds racing on one manifest can only lose an entry,
// which costs a recompile, never a wrong object.

import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** Objects unused for this long are pruned (at most once a day). */
const MAX_AGE_MS = 30 * 24 * 3600_000;
const PRUNE_EVERY_MS = 24 * 3600_000;
/** Previous dependency sets kept per compile command. */
const MAX_VARIANTS = 8;

export function cacheRoot(): string {
  if (process.env.TINYML_CACHE_DIR) return resolve(process.env.TINYML_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "tinyml");
}

/** TINYML_CACHE_DIR=off (or 0) disables the cache: every source compiles. */
export function cacheEnabled(): boolean {
  const v = process.env.TINYML_CACHE_DIR;
  return v !== "off" && v !== "0";
}

interface ManifestEntry {
  /** Header path (as the compiler wrote it, relative to the project or absolute) → sha256. */
  deps: Record<string, string>;
  object: string;
}

const fileHashes = new Map<string, { mtimeMs: number; size: number; hash: string }>();

/** sha256 of a file, memoised by (path, mtime, size) within the process. */
function hashFile(path: string): string | null {
  let st;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  const memo = fileHashes.get(path);
  if (memo && memo.mtimeMs === st.mtimeMs && memo.size === st.size) return memo.hash;
  const hash = createHash("sha256").update(readFileSync(path)).digest("hex");
  fileHashes.set(path, { mtimeMs: st.mtimeMs, size: st.size, hash });
  return hash;
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Parses a make-style .d file ("obj.o: a.c b.h \\\n c.h") into its prerequisites. */
export function parseDepFile(text: string): string[] {
  const body = text.replace(/\\\r?\n/g, " ");
  const colon = body.search(/:(\s|$)/);
  if (colon < 0) return [];
  return body.slice(colon + 1).split(/(?<!\\)\s+/).map((p) => p.replace(/\\ /g, " ")).filter((p) => p.length > 0 && !p.endsWith(":"));
}

export interface CachedCompile {
  /** The project directory the command runs in. */
  cwd: string;
  /** Identifies the compiler binary and version (see compilerIdentity). */
  compiler: string;
  /** The full argv, including the source and the -o/-MF paths. */
  argv: readonly string[];
  source: string;
  object: string;
  depFile: string;
}

export class ObjectCache {
  constructor(private readonly root: string = cacheRoot()) {}

  private commandKey(c: CachedCompile): string | null {
    const sourceHash = hashFile(resolve(c.cwd, c.source));
    if (!sourceHash) return null;
    // The output paths name where the object goes, not what it is.
    const args = c.argv.map((a) => (a === c.object ? "<obj>" : a === c.depFile ? "<dep>" : a));
    return createHash("sha256").update(JSON.stringify([c.compiler, args, c.source, sourceHash])).digest("hex");
  }

  private manifestPath(key: string): string {
    return join(this.root, "manifests", key.slice(0, 2), `${key}.json`);
  }

  /** Copies a cached object into place; true on a hit. */
  restore(c: CachedCompile): boolean {
    const key = this.commandKey(c);
    if (!key) return false;
    let entries: ManifestEntry[];
    try {
      entries = JSON.parse(readFileSync(this.manifestPath(key), "utf8")) as ManifestEntry[];
    } catch {
      return false;
    }
    for (const e of entries) {
      const same = Object.entries(e.deps).every(([p, h]) => hashFile(isAbsolute(p) ? p : resolve(c.cwd, p)) === h);
      const obj = join(this.root, "objects", e.object.slice(0, 2), `${e.object}.o`);
      if (!same || !existsSync(obj)) continue;
      mkdirSync(dirname(resolve(c.cwd, c.object)), { recursive: true });
      copyFileSync(obj, resolve(c.cwd, c.object));
      const now = new Date();
      try {
        utimesSync(obj, now, now);
        utimesSync(this.manifestPath(key), now, now);
      } catch {
        // Only the pruning age depends on it.
      }
      return true;
    }
    return false;
  }

  /** Records a fresh compile's object under its command and dependency hashes. */
  store(c: CachedCompile): void {
    const key = this.commandKey(c);
    const objAbs = resolve(c.cwd, c.object);
    if (!key || !existsSync(objAbs)) return;
    let deps: string[];
    try {
      deps = parseDepFile(readFileSync(resolve(c.cwd, c.depFile), "utf8"));
    } catch {
      return; // no dependency list: the object cannot be reused safely
    }
    const depHashes: Record<string, string> = {};
    for (const d of deps) {
      const h = hashFile(isAbsolute(d) ? d : resolve(c.cwd, d));
      if (!h) return;
      depHashes[d] = h;
    }
    const bytes = readFileSync(objAbs);
    const object = createHash("sha256").update(bytes).digest("hex");
    const objPath = join(this.root, "objects", object.slice(0, 2), `${object}.o`);
    if (!existsSync(objPath)) writeAtomic(objPath, bytes);
    let entries: ManifestEntry[] = [];
    try {
      entries = JSON.parse(readFileSync(this.manifestPath(key), "utf8")) as ManifestEntry[];
    } catch {
      // first entry for this command
    }
    entries = [{ deps: depHashes, object }, ...entries.filter((e) => e.object !== object)].slice(0, MAX_VARIANTS);
    writeAtomic(this.manifestPath(key), JSON.stringify(entries));
    this.pruneOccasionally();
  }

  private pruneOccasionally(): void {
    const stamp = join(this.root, "last-prune");
    try {
      if (Date.now() - statSync(stamp).mtimeMs < PRUNE_EVERY_MS) return;
    } catch {
      // never pruned
    }
    writeAtomic(stamp, `${new Date().toISOString()}\n`);
    const cutoff = Date.now() - MAX_AGE_MS;
    for (const sub of ["objects", "manifests"]) {
      const top = join(this.root, sub);
      for (const d of existsSync(top) ? readdirSync(top) : []) {
        for (const f of readdirSync(join(top, d))) {
          const p = join(top, d, f);
          try {
            if (statSync(p).mtimeMs < cutoff) rmSync(p, { force: true });
          } catch {
            // another build pruned it
          }
        }
      }
    }
  }
}
