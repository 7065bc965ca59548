// A vendor tool invocation as data: the exact argv, the directory it runs
// in and the environment variables tinyml adds. Builds and flashes are
// lists of these, so `--dry-run` prints precisely what a real run executes
// and tests can compare them with what a recording fake tool saw.

export interface ToolCommand {
  /** argv[0] is looked up on PATH, as a shell would. */
  argv: string[];
  cwd: string;
  /** Added to the inherited environment. */
  env: Record<string, string>;
  /**
   * Output that means failure even on exit status 0: some vendor scripts
   * print an error and return normally (coralmicro's flashtool does).
   */
  failOn?: string[];
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:+,@%-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** The argv as one shell-ready line, without cwd or env. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}

/** `cd DIR && VAR=value tool args…`: pasteable into a shell to rerun the step. */
export function formatCommand(cmd: ToolCommand): string {
  const env = Object.entries(cmd.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return `cd ${shellQuote(cmd.cwd)} && ${[...env, commandLine(cmd.argv)].join(" ")}`;
}

/** The JSON form `--dry-run --json` prints. */
export function commandJson(cmd: ToolCommand): { argv: string[]; cwd: string; env: Record<string, string> } {
  return { argv: cmd.argv, cwd: cmd.cwd, env: cmd.env };
}
