// Every child process tinyml starts and every temporary path it creates is
// registered here, so that SIGINT (Ctrl-C), SIGTERM (a CI timeout, a
// supervisor) and SIGHUP (a closed terminal) stop them all and leave nothing
// behind: children get SIGTERM, then SIGKILL after a short grace, then the
// cleanups run and tinyml exits 128 + the signal's number. A second signal
// skips the grace.
//
// Children run in their own process group (spawn with `detached: true`, see
// CHILD_GROUP) and are signalled as a group, so a vendor tool's own children
// (idf.py → cmake → ninja → gcc) stop with it. The handlers are installed by
// the CLI only; a library user keeps control of its own signals.

/** The part of a ChildProcess (or an execa subprocess) this module needs. */
export interface ChildLike {
  readonly pid?: number | undefined;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal?: NodeJS.Signals | number): boolean;
  once(event: "exit", listener: (...args: unknown[]) => void): unknown;
}

/** Spawn options that make the child a process-group leader, so it can be stopped with its own children. */
export const CHILD_GROUP = { detached: true } as const;

const EXIT_CODES: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** How long children get to exit after SIGTERM before SIGKILL. */
const GRACE_MS = 2000;

const children = new Set<ChildLike>();
const cleanups = new Set<() => void>();
let interrupted: NodeJS.Signals | null = null;
let installed = false;
/** Set by a command whose normal end is a signal (`flash --keep`): its exit code then. */
let expectedSignalExit: number | null = null;

function alive(c: ChildLike): boolean {
  return c.exitCode === null && c.signalCode === null;
}

function signalChild(c: ChildLike, signal: NodeJS.Signals): void {
  if (!alive(c) || c.pid === undefined) return;
  try {
    // The whole group: the child and everything it started.
    process.kill(-c.pid, signal);
  } catch {
    try {
      c.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Registers a running child; it is forgotten when it exits. Returns the child for chaining. */
export function trackChild<C extends ChildLike>(child: C): C {
  if (child.pid === undefined || !alive(child)) return child;
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/**
 * Registers a synchronous cleanup (remove a temp directory, release a lock)
 * that must run if tinyml is interrupted or exits before its owner undoes
 * it. Returns the function that unregisters it (call it once the owner has
 * cleaned up by itself).
 */
export function registerCleanup(fn: () => void): () => void {
  cleanups.add(fn);
  return () => {
    cleanups.delete(fn);
  };
}

/** The signal that is stopping tinyml, or null. */
export function interruptedBy(): NodeJS.Signals | null {
  return interrupted;
}

export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return expectedSignalExit ?? EXIT_CODES[signal] ?? 128;
}

/**
 * For a command that runs until it is stopped (`flash --keep`): a signal is
 * its normal end, so tinyml cleans up as always and exits with `code`.
 */
export function signalsEndNormally(code = 0): void {
  expectedSignalExit = code;
}

/** Runs and forgets every registered cleanup; each one's failure is its own. */
export function runCleanups(): void {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // A cleanup that fails must not stop the others.
    }
  }
}

/** Children still running. */
export function runningChildren(): number {
  return [...children].filter(alive).length;
}

function killAll(signal: NodeJS.Signals): void {
  for (const c of children) signalChild(c, signal);
}

async function stop(signal: NodeJS.Signals, report: (line: string) => void): Promise<never> {
  const count = runningChildren();
  report(`tinyml: ${signal} received: stopping${count > 0 ? ` ${count} child process${count === 1 ? "" : "es"}` : ""} and cleaning up`);
  killAll("SIGTERM");
  const deadline = Date.now() + GRACE_MS;
  while (runningChildren() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  killAll("SIGKILL");
  // Give the kernel a moment to deliver SIGKILL before temp dirs they use go.
  const killDeadline = Date.now() + 500;
  while (runningChildren() > 0 && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 10));
  runCleanups();
  process.exit(exitCodeForSignal(signal));
}

/**
 * Installs the signal handlers (the CLI does, once). `report` receives one
 * line for the user (stderr).
 */
export function installSignalHandlers(report: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (interrupted) {
        // The second signal: no more grace.
        killAll("SIGKILL");
        runCleanups();
        process.exit(exitCodeForSignal(interrupted));
      }
      interrupted = signal;
      void stop(signal, report);
    });
  }
  // Whatever ends the process (an uncaught error included), nothing tinyml started outlives it.
  process.on("exit", () => {
    killAll("SIGKILL");
    runCleanups();
  });
}
