// File access with user-facing errors, and atomic writes: output goes to a
// temporary file beside the target and is renamed into place, so a failed
// run never leaves a half-written model or report behind.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { TinymlError } from "../errors.js";

export function readInputFile(path: string, what = "file"): Uint8Array {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `${what} not found: ${path}`, {
      location: { file: path },
      hint: "Check the path; relative paths are resolved from the current directory.",
    });
  }
  if (st.isDirectory()) {
    throw new TinymlError("TML_E_FILE_IS_DIRECTORY", `${what} is a directory, not a file: ${path}`, {
      location: { file: path },
      hint: `Name the ${what} inside it.`,
    });
  }
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new TinymlError("TML_E_FILE_UNREADABLE", `cannot read ${what}: ${(e as Error).message}`, {
      location: { file: path },
      hint: "Check the file's permissions.",
    });
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes `data` to `path` via a temporary file and a rename. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.tinyml-tmp-${process.pid}-${basename(path)}`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new TinymlError("TML_E_OUTPUT_UNWRITABLE", `cannot write ${path}: ${(e as Error).message}`, {
      location: { file: path },
      hint: "Check that the directory exists and is writable, and that the disk has space.",
    });
  }
}
