#!/usr/bin/env node
// Runs the bundled CLI. In a source checkout (src/ present: `npm ci` may skip
// lifecycle scripts, and sources change under development) the bundle is
// rebuilt when it is missing or older than any source file; an installed
// package ships dist/ only and skips the check.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = `${root}dist/tinyml.js`;

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (existsSync(`${root}src`)) {
  if (!existsSync(dist) || newestMtime(`${root}src`) > statSync(dist).mtimeMs) {
    const { bundle } = await import("../scripts/bundle.mjs");
    await bundle();
  }
}
await import("../dist/tinyml.js");
