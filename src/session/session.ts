// A device session, the one sequence every on-device command runs:
//
//   flashing    a real board whose firmware this run built is flashed
//   connecting  the host firmware starts as a process, an emulated board
//               boots in QEMU, a real board's port is opened under a lock
//   running     the caller's body: inference cases, a wake-word stream,
//               the EEMBC protocol, or a handshake before handing the port on
//   closing     the line is closed and the process or emulator stopped
//
// (Building comes first, in firmware.ts, once per board for all targets.)
// A failure is reported with the stage it happened in, PlatformIO-style, so
// a rig owner can tell a flash that failed from a board that did not answer.

import type { DeviceClientOptions } from "../device/client.js";
import { openLine, type DetachedDevice, type DeviceLine, type OpenDeviceOptions } from "../device/launch.js";
import { flashBoard } from "../flash/flashers.js";
import { selectPort } from "../device/port-select.js";
import { runsFlashedImage } from "../firmware-project/image.js";
import type { PreparedFirmware } from "./firmware.js";
import type { SessionTarget } from "./target.js";

export type SessionStage = "building" | "flashing" | "connecting" | "running" | "closing";

export interface SessionOptions {
  open?: OpenDeviceOptions;
  verbose?: boolean;
  /** Progress lines (stderr). */
  progress?: (line: string) => void;
}

/** An error with the stage it ended the session in. */
export class SessionError extends Error {
  constructor(readonly stage: SessionStage, readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    this.name = "SessionError";
  }
}

export interface DeviceSession {
  target: SessionTarget;
  firmware: PreparedFirmware;
  line: DeviceLine;
  /** Link timing for a protocol client on this line: the line's defaults, with the caller's overrides. */
  client: DeviceClientOptions;
}

/** Flashes (when this run built the image for a real board) and opens the line. */
async function open(target: SessionTarget, firmware: PreparedFirmware, opts: SessionOptions): Promise<DeviceSession> {
  const { board } = target;
  if (firmware.built && runsFlashedImage(board)) {
    opts.progress?.(`flashing ${target.id}…`);
    try {
      await flashBoard({ board, buildDir: firmware.dir, port: selectPort(board, { ...(target.port ? { port: target.port } : {}) }), verbose: opts.verbose ?? false });
    } catch (e) {
      throw new SessionError("flashing", e);
    }
  }
  try {
    const line = await openLine(board, firmware.image, { ...opts.open, ...(target.port ? { port: target.port } : {}) });
    return { target, firmware, line, client: { ...line.clientDefaults, ...opts.open?.client } };
  } catch (e) {
    throw new SessionError("connecting", e);
  }
}

/**
 * Runs `body` in a session on one target and always closes it. Errors come
 * out as SessionError with their stage; the body's own errors are "running".
 */
export async function withSession<T>(target: SessionTarget, firmware: PreparedFirmware, opts: SessionOptions, body: (s: DeviceSession) => Promise<T>): Promise<T> {
  const session = await open(target, firmware, opts);
  let result: T;
  try {
    result = await body(session);
  } catch (e) {
    await session.line.close().catch(() => undefined);
    throw e instanceof SessionError ? e : new SessionError("running", e);
  }
  try {
    await session.line.close();
  } catch (e) {
    throw new SessionError("closing", e);
  }
  return result;
}

/**
 * For `flash --keep`: opens a session, lets `check` talk to the firmware
 * (its app's handshake), then hands the port over: tinyml's end of the line
 * closes and the emulator keeps running until stop().
 */
export async function handOver<T>(target: SessionTarget, firmware: PreparedFirmware, opts: SessionOptions, check: (s: DeviceSession) => Promise<T>): Promise<{ checked: T; device: DetachedDevice }> {
  const session = await open(target, firmware, opts);
  try {
    const checked = await check(session);
    if (!session.line.detach) throw new SessionError("running", new Error(`${target.board.id} cannot be handed over: only emulated boards keep running for another program`));
    return { checked, device: await session.line.detach() };
  } catch (e) {
    await session.line.close().catch(() => undefined);
    throw e instanceof SessionError ? e : new SessionError("running", e);
  }
}
