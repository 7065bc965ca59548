// Bundle the CLI once before any test runs it as a process, so parallel
// test files never race to rebuild dist/. The suite's builds share one
// object cache of their own (not the user's ~/.cache/tinyml), removed at the
// end: the first build of a board compiles, the others reuse its objects.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle } from "../scripts/bundle.mjs";

export default async function setup(): Promise<() => void> {
  await bundle();
  const own = process.env.TINYML_CACHE_DIR === undefined;
  if (own) process.env.TINYML_CACHE_DIR = mkdtempSync(join(tmpdir(), "tinyml-test-cache-"));
  return () => {
    if (own) rmSync(process.env.TINYML_CACHE_DIR!, { recursive: true, force: true });
  };
}
