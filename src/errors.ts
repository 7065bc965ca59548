// User-facing failures are values with a stable code, a location and a hint
// (the esbuild/changesets style). The CLI maps the code's category to an exit
// code in exactly one place (`exitCodeFor`), and prints no stack trace for them.
// Anything that is not a TinymlError is a bug in tinyml and says so.

/** Stable error codes. Never renumber or rename one: scripts match on them. */
export const ErrorCodes = {
  // usage and input files (exit 2)
  TML_E_USAGE: "usage",
  TML_E_FILE_NOT_FOUND: "input",
  TML_E_FILE_IS_DIRECTORY: "input",
  TML_E_FILE_UNREADABLE: "input",
  TML_E_FORMAT_UNKNOWN: "input",
  TML_E_PROJECT_INVALID: "input",
  // models (exit 3)
  TML_E_MODEL_INVALID: "model",
  TML_E_MODEL_UNSUPPORTED: "model",
  TML_E_OP_UNSUPPORTED: "model",
  TML_E_DTYPE_UNSUPPORTED: "model",
  TML_E_LAYER_UNSUPPORTED: "model",
  TML_E_WEIGHTS_INVALID: "model",
  TML_E_INPUT_MISMATCH: "input",
  TML_E_CALIB_INVALID: "input",
  TML_E_QUANTIZE_FAILED: "model",
  // boards, toolchains and budgets (exit 4)
  TML_E_BOARD_UNKNOWN: "board",
  TML_E_BOARD_INVALID: "board",
  TML_E_BUDGET_EXCEEDED: "board",
  TML_E_TOOLCHAIN_MISSING: "toolchain",
  TML_E_TOOLCHAIN_FAILED: "toolchain",
  // devices and tests (exit 5 = infrastructure, 1 = a test failed)
  TML_E_PORT_NOT_FOUND: "infra",
  TML_E_PORT_BUSY: "infra",
  TML_E_PORT_PERMISSION: "infra",
  TML_E_DEVICE_TIMEOUT: "infra",
  TML_E_DEVICE_PROTOCOL: "infra",
  TML_E_TEST_FAILED: "test",
  // output
  TML_E_OUTPUT_UNWRITABLE: "input",
} as const;

export type ErrorCode = keyof typeof ErrorCodes;
export type ErrorCategory = (typeof ErrorCodes)[ErrorCode];

/** Exit codes by category: a CI rig can tell a failed test from a broken rig. */
export const ExitCodes: Readonly<Record<ErrorCategory | "ok" | "internal", number>> = {
  ok: 0,
  test: 1,
  usage: 2,
  input: 2,
  model: 3,
  board: 4,
  toolchain: 4,
  infra: 5,
  internal: 70,
};

/** Where a problem is: a file and optionally a place inside it. */
export interface ErrorLocation {
  file?: string;
  /** e.g. "subgraph 0, op 12 (CONV_2D)", "byte offset 1234", "tensor 7 'conv1/weights'" */
  detail?: string;
}

export interface TinymlErrorInit {
  location?: ErrorLocation;
  /** What to do next. Shown as "hint: …". */
  hint?: string;
  cause?: unknown;
}

export class TinymlError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, init: TinymlErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "TinymlError";
    this.code = code;
    this.location = init.location;
    this.hint = init.hint;
  }

  get category(): ErrorCategory {
    return ErrorCodes[this.code];
  }

  /** The same error with a location filled in where it had none. */
  withFile(file: string): TinymlError {
    if (this.location?.file) return this;
    return new TinymlError(this.code, this.message, {
      location: { ...this.location, file },
      hint: this.hint,
      cause: this.cause,
    });
  }

  /** The same error with every path under `from` rewritten to lie under `to` (a directory that moved). */
  relocated(from: string, to: string): TinymlError {
    const move = (text: string | undefined): string | undefined => (text === undefined ? undefined : text.split(from).join(to));
    const location = this.location ? { ...(this.location.file ? { file: move(this.location.file)! } : {}), ...(this.location.detail ? { detail: move(this.location.detail)! } : {}) } : undefined;
    return new TinymlError(this.code, move(this.message)!, { ...(location ? { location } : {}), hint: move(this.hint), cause: this.cause });
  }

  toJSON(): { code: ErrorCode; message: string; location?: ErrorLocation; hint?: string } {
    return {
      code: this.code,
      message: this.message,
      ...(this.location ? { location: this.location } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

export function isTinymlError(e: unknown): e is TinymlError {
  return e instanceof TinymlError;
}

export function exitCodeFor(e: unknown): number {
  return isTinymlError(e) ? ExitCodes[e.category] : ExitCodes.internal;
}

/** One human-readable block: "error[CODE]: message\n  at: where\n  hint: …". */
export function formatError(e: unknown): string {
  if (!isTinymlError(e)) {
    const err = e instanceof Error ? e : new Error(String(e));
    return [
      `internal error: ${err.message}`,
      `  This is a bug in tinyml. Please report it with the command you ran and this trace:`,
      ...(err.stack ?? "").split("\n").slice(1).map((l) => `  ${l.trim()}`),
    ].join("\n");
  }
  const lines = [`error[${e.code}]: ${e.message}`];
  const where = [e.location?.file, e.location?.detail].filter(Boolean).join(": ");
  if (where) lines.push(`  at: ${where}`);
  if (e.hint) lines.push(`  hint: ${e.hint}`);
  return lines.join("\n");
}
