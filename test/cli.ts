// Runs the real `tinyml` executable as a child process, the way users and CI
// rigs do.
import { execa } from "execa";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const bin = `${repoRoot}bin/tinyml.js`;

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function tinyml(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const r = await execa("node", [bin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: opts.env,
    reject: false,
    stdin: "ignore",
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs a command that must succeed with --json and returns its parsed document. */
export async function tinymlJson<T = unknown>(args: string[]): Promise<T> {
  const r = await tinyml([...args, "--json"]);
  if (r.exitCode !== 0) throw new Error(`tinyml ${args.join(" ")} exited ${r.exitCode}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Whether a tool is on PATH. */
export async function hasTool(cmd: string): Promise<boolean> {
  const r = await execa("sh", ["-c", `command -v ${cmd}`], { reject: false });
  return r.exitCode === 0;
}

/**
 * A missing toolchain skips the test locally with the install hint, but fails
 * a CI run (CI=true): CI must exercise every real tool.
 */
export async function requireTool(cmd: string, install: string): Promise<boolean> {
  if (await hasTool(cmd)) return true;
  const msg = `${cmd} not found: install it with \`${install}\``;
  if (process.env.CI === "true") throw new Error(`${msg} (required under CI=true)`);
  console.warn(`skipping: ${msg}`);
  return false;
}
