// How commands talk to the user. Results go to stdout (exactly one JSON
// document with --json); progress and warnings go to stderr so that piping
// `--json` output stays clean.

export interface GlobalOptions {
  json: boolean;
  verbose: boolean;
  /** -e: an environment of tinyml.yaml. */
  environment?: string;
}

export interface Output {
  readonly json: boolean;
  readonly verbose: boolean;
  /** Human result text (suppressed under --json). */
  print(text: string): void;
  /** The one JSON document of a --json run. */
  printJson(value: unknown): void;
  /** Progress and diagnostics, always on stderr. */
  info(text: string): void;
  warn(text: string): void;
  debug(text: string): void;
}

export function createOutput(opts: GlobalOptions): Output {
  return {
    json: opts.json,
    verbose: opts.verbose,
    print(text) {
      if (!opts.json) process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    },
    printJson(value) {
      process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
    },
    info(text) {
      process.stderr.write(`${text}\n`);
    },
    warn(text) {
      process.stderr.write(`warning: ${text}\n`);
    },
    debug(text) {
      if (opts.verbose) process.stderr.write(`${text}\n`);
    },
  };
}

/** BigInts (int64 tensors) print as numbers when safe, else as strings. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  return value;
}
