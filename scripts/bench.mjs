// `npm run bench [name…] [-- --option …]`: runs every bench/*.ts (or the
// named ones) with tsx, passing the options (everything from the first
// argument starting with --) to each; each writes its results to
// bench/results/<name>.json.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith("--"));
const wanted = firstOption < 0 ? args : args.slice(0, firstOption);
const options = firstOption < 0 ? [] : args.slice(firstOption);
const benches = readdirSync(`${root}bench`)
  .filter((f) => f.endsWith(".ts") && f !== "result.ts")
  .map((f) => f.slice(0, -3))
  .filter((n) => wanted.length === 0 || wanted.includes(n));
let failed = 0;
for (const name of benches) {
  console.log(`== bench/${name}.ts`);
  try {
    execFileSync("npx", ["tsx", `bench/${name}.ts`, ...options], { cwd: root, stdio: "inherit" });
  } catch {
    failed++;
  }
}
process.exitCode = failed > 0 ? 1 : 0;
