#!/usr/bin/env node
// Runs the bundled CLI. In a source checkout where `npm ci` did not run the
// bundle step (npm 11 can skip lifecycle scripts), bundle once on first use.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/tinyml.js", import.meta.url));
if (!existsSync(dist)) {
  await import("../scripts/bundle.mjs");
}
await import("../dist/tinyml.js");
