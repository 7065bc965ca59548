// Bundles the CLI into dist/tinyml.js. Dependencies stay external: they are
// installed next to the package, and tfjs-node must be resolved at run time.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function bundle() {
  await build({
    absWorkingDir: root,
    entryPoints: ["src/cli/main.ts"],
    outfile: "dist/tinyml.js",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await bundle();
