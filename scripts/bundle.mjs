// Bundles the CLI into dist/tinyml.js. Dependencies stay external: they are
// installed next to the package, and tfjs-node must be resolved at run time.
import { build } from "esbuild";


await build({
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
