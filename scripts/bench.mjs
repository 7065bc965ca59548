// `npm run bench [name…]`: runs every bench/*.ts (or the named ones) with tsx;
// each writes its results to bench/results/<name>.json.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(`${root}bench`)
  .filter((f) => f.endsWith(".ts") && f !== "result.ts")
  .map((f) => f.slice(0, -3))
  .filter((n) => wanted.length === 0 || wanted.includes(n));
let failed = 0;
for (const name of benches) {
  console.log(`== bench/${name}.ts`);
  try {
    execFileSync("npx", ["tsx", `bench/${name}.ts`], { cwd: root, stdio: "inherit" });
  } catch {
    failed++;
  }
}
process.exitCode = failed > 0 ? 1 : 0;
