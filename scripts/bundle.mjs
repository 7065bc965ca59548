// Bundles the CLI into dist/tinyml.js. Dependencies stay external: they are
// installed next to the package, and tfjs-node must be resolved at run time.
// Code splitting puts what a dynamic import() reaches (the ONNX converter
// and its schema) into chunks of their own under dist/chunks/, loaded when
// first used: a single file would import every external package at every
// start.
import { build } from "esbuild";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
/** A process started from the previous bundle may still load its chunks for a while. */
const STALE_AFTER_MS = 10 * 60_000;
/** What chunkNames "chunks/[name]-[hash]" produces: a name, esbuild's 8-character hash, .js or its map. */
const CHUNK_FILE = /^[\w.-]+-[A-Z0-9]{8}\.js(\.map)?$/;

export async function bundle() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { tinyml: "src/cli/main.ts" },
    outdir: "dist",
    chunkNames: "chunks/[name]-[hash]",
    entryNames: "[name]",
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
  });
  // Chunks are named by content, so every change adds some: drop the old ones no build uses.
  // Only files named as esbuild names chunks (chunkNames above) are ever removed.
  const current = new Set(Object.keys(result.metafile.outputs).map((p) => p.replace(/^dist\//, "")));
  const chunks = `${root}dist/chunks`;
  for (const f of existsSync(chunks) ? readdirSync(chunks) : []) {
    const path = `${chunks}/${f}`;
    if (!CHUNK_FILE.test(f) || current.has(`chunks/${f}`)) continue;
    if (Date.now() - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await bundle();
