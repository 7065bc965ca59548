// Booting an image on an emulated board: QEMU starts paused (-S) with UART0
// on a pty and a QMP socket; the caller opens the pty, then resumes. That
// order matters because QEMU discards what the guest writes while no one
// holds the pty open. The semihosting exit code (SYS_EXIT_EXTENDED) becomes
// QEMU's exit code; a session that outlives its timeout is killed, so a hung
// guest ends as a timed-out exit, never as a hung test run.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Board } from "../boards/board.js";
import { TinymlError } from "../errors.js";
import { whichTool } from "../toolchain/probe.js";
import { CHILD_GROUP, registerCleanup, trackChild } from "../util/lifecycle.js";
import { diesWithParent } from "./parent-death.js";
import { QmpClient } from "./qmp.js";

export const QEMU_INSTALL_HINT = "apt-get install qemu-system-arm";

export interface QemuLaunchOptions {
  board: Board;
  elf: string;
  /** -icount shift=N (the board's icountShift): timer ticks become instruction counts, deterministic. */
  icount?: boolean;
  /** The whole session, from launch to exit; QEMU is killed when it passes. */
  timeoutMs: number;
  /** QEMU's working directory (semihosting file paths are relative to it). */
  cwd?: string;
  qemu?: string;
}

export interface QemuExit {
  /** The guest's semihosting exit code, or QEMU's own. null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export interface QemuSession {
  /** The guest's UART0, e.g. /dev/pts/7. */
  ptyPath: string;
  /** The QEMU command line. */
  command: string[];
  /** Starts the paused CPU (QMP `cont`). */
  resume(): Promise<void>;
  exit: Promise<QemuExit>;
  /** Kills QEMU at once (SIGKILL). */
  kill(): void;
  /** What QEMU printed on stdout and stderr so far. */
  output(): string;
}

const PTY_LINE = /char device redirected to (\S+) \(label serial0\)/;

export function qemuArgs(opts: QemuLaunchOptions, qmpSocket: string): string[] {
  const qemu = opts.board.emulator?.qemu;
  if (!qemu) throw noEmulator(opts.board);
  return [
    "-M", qemu.machine,
    "-nographic",
    "-kernel", opts.elf,
    "-serial", "pty",
    "-qmp", `unix:${qmpSocket},server=on,wait=off`,
    "-semihosting-config", "enable=on,target=native",
    "-S",
    // align=on sleeps to keep virtual time with host time: the guest takes as long as the CPU it stands for.
    ...(opts.icount ? ["-icount", `shift=${qemu.icountShift ?? 0}${qemu.icountAlign ? ",align=on" : ""}`] : []),
  ];
}

function noEmulator(board: Board): TinymlError {
  return new TinymlError("TML_E_BOARD_INVALID", `board '${board.id}' has no emulator: it cannot boot in QEMU`, {
    location: { file: board.file, detail: "emulator.qemu" },
    hint: "Use an emulated board (qemu-m4, qemu-m7) or flash a real one.",
  });
}

/** Starts QEMU paused and finds the guest's pty. Resolve first, then open the pty, then resume(). */
export async function launchQemu(opts: QemuLaunchOptions): Promise<QemuSession> {
  const bin = opts.qemu ?? "qemu-system-arm";
  if (!opts.board.emulator?.qemu) throw noEmulator(opts.board);
  if (!whichTool(bin)) {
    throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `the emulator '${bin}' was not found on PATH`, {
      hint: `Install it with \`${QEMU_INSTALL_HINT}\` (Debian/Ubuntu).`,
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "tinyml-qemu-"));
  // Removed when QEMU exits, or by the lifecycle cleanups if tinyml is interrupted first.
  const forget = registerCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const socketPath = join(dir, "qmp.sock");
  const args = qemuArgs(opts, socketPath);
  // stdin stays an open pipe: with -nographic the QEMU monitor listens there.
  // Through setpriv where there is one, so even a SIGKILLed tinyml leaves no QEMU behind.
  const run = diesWithParent(bin, args);
  const child = trackChild(spawn(run.bin, run.args, { cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"], ...CHILD_GROUP }));
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (output += s));

  let timedOut = false;
  let running = true;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, opts.timeoutMs);
  let qmp: QmpClient | null = null;
  const exit = new Promise<QemuExit>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      running = false;
      clearTimeout(timer);
      qmp?.close();
      rmSync(dir, { recursive: true, force: true });
      forget();
      resolve({ code, signal, timedOut });
    };
    child.once("exit", done);
    child.once("error", () => done(null, null));
  });

  const failed = async (why: string): Promise<TinymlError> => {
    child.kill("SIGKILL");
    const ended = await exit;
    return new TinymlError("TML_E_DEVICE_TIMEOUT", `QEMU (${opts.board.emulator!.qemu.machine}) ${why}${ended.timedOut ? ` within ${opts.timeoutMs} ms` : ""}`, {
      location: { file: opts.elf, detail: `command: ${bin} ${args.join(" ")}` },
      hint: output.trim() ? `QEMU said: ${output.trim().split("\n").slice(-5).join(" | ")}` : "Run the command by hand to see what QEMU reports.",
    });
  };

  try {
    qmp = await QmpClient.connect(socketPath, Date.now() + opts.timeoutMs, () => running);
  } catch {
    throw await failed("did not open its QMP socket");
  }
  let ptyPath: string | null = null;
  try {
    const devices = (await qmp.execute("query-chardev")) as Array<{ label: string; filename: string }>;
    const serial = devices.find((d) => d.label === "serial0" && d.filename.startsWith("pty:"));
    ptyPath = serial ? serial.filename.slice("pty:".length) : null;
  } catch {
    ptyPath = null;
  }
  ptyPath ??= PTY_LINE.exec(output)?.[1] ?? null;
  if (!ptyPath) throw await failed("reported no pty for serial0");

  const client = qmp;
  return {
    ptyPath,
    command: [bin, ...args],
    resume: async () => {
      await client.execute("cont");
    },
    exit,
    kill: () => {
      child.kill("SIGKILL");
    },
    output: () => output,
  };
}
