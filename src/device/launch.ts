// Opening a device to test, chosen by the board's data (flasher.driver):
//  - "none": the host board; its firmware runs as a child process and the
//    serial line is the child's stdin/stdout (PipeTransport);
//  - "qemu": the ELF boots in QEMU, paused, with -icount so timer ticks are
//    instruction counts; the pty is opened before the CPU starts, because
//    QEMU drops what the guest writes while no one holds the pty;
//  - anything else: a real board on --port or the port found by its USB id,
//    under a per-port lock so two runs never share a board.
// Every path ends in a connected client or a TinymlError within its timeout.
import type { Board } from "../boards/board.js";
import { selectPort } from "./port-select.js";
import { TinymlError, isTinymlError } from "../errors.js";
import { DeviceClient, type DeviceClientOptions } from "./client.js";
import { EembcClient } from "./eembc-client.js";
import { lockPort } from "./port-lock.js";
import { PipeTransport } from "./pipe-transport.js";
import { launchQemu } from "./qemu.js";
import { SerialTransport, type Transport } from "./transport.js";
import { scaledTimeout } from "../util/load.js";

export interface OpenDeviceOptions {
  /** A real board's serial port (else discovered by USB id). */
  port?: string;
  /** QEMU's whole session, from boot to kill. Default 30 minutes. */
  sessionTimeoutMs?: number;
  /** Overrides the per-board link timing (attempt timeout, attempts, invoke timeout). */
  client?: DeviceClientOptions;
  /** How long to wait for another run to free the port. Default 10 s. */
  portWaitMs?: number;
  /** A real board's line rate, overriding its board file's. */
  baudRate?: number;
}

/** A raw line to a running device: the transport and how to tear it all down. */
export interface DeviceLine {
  transport: Transport;
  /** Where the device is: a port path, a pty, or the host process. */
  where: string;
  /** Timer ticks → instructions, when the board is emulated under -icount. */
  instructionsPerTick?: number;
  /** Link timing that suits this kind of line. */
  clientDefaults: DeviceClientOptions;
  close(): Promise<void>;
  /**
   * Emulated boards: closes tinyml's end of the serial line and leaves the
   * emulator running, for another program to open the same port.
   */
  detach?(): Promise<DetachedDevice>;
}

/** An emulator left running after detach(). */
export interface DetachedDevice {
  /** The serial port it exposes (a pty). */
  port: string;
  /** Settles with a description when the emulator exits. */
  ended: Promise<string>;
  stop(): Promise<void>;
}

export interface DeviceSession {
  client: DeviceClient;
  line: DeviceLine;
  close(): Promise<void>;
}

export interface EembcSession {
  client: EembcClient;
  line: DeviceLine;
  close(): Promise<void>;
}

/**
 * QEMU polls a pty about once a second and moves 6–13 KB/s host → guest,
 * so one attempt must outlast a poll; the pipe to a host process answers in
 * microseconds; USB CDC boards sit in between.
 */
const QEMU_CLIENT: DeviceClientOptions = { attemptTimeoutMs: 2500, attempts: 12, invokeTimeoutMs: 120_000, bootTimeoutMs: 10_000 };
const HOST_CLIENT: DeviceClientOptions = { attemptTimeoutMs: 1000, attempts: 5, invokeTimeoutMs: 60_000 };
const SERIAL_CLIENT: DeviceClientOptions = { attemptTimeoutMs: 1000, attempts: 6, invokeTimeoutMs: 60_000, bootTimeoutMs: 8000 };

/** The bare-metal HAL's semihosting exit codes (tml_baremetal.h). */
const GUEST_EXITS: Record<number, string> = {
  250: ": the firmware faulted",
  251: ": an exception no handler takes",
};

/** Instructions per timer tick under -icount shift=N: 2^N ns per instruction, one tick every 1e9/hz ns. */
export function icountInstructionsPerTick(board: Board): number | undefined {
  const q = board.emulator?.qemu;
  if (!q) return undefined;
  return 1e9 / 2 ** (q.icountShift ?? 0) / board.timer.hz;
}

/** Starts or opens the device for `board` running `image` and returns the byte line to it. */
export async function openLine(board: Board, image: string, opts: OpenDeviceOptions = {}): Promise<DeviceLine> {
  switch (board.flasher.driver) {
    case "none": {
      const t = await PipeTransport.spawn(image);
      return { transport: t, where: `host process ${t.pid ?? "?"}`, clientDefaults: HOST_CLIENT, close: () => t.close() };
    }
    case "qemu": {
      const session = await launchQemu({ board, elf: image, icount: true, timeoutMs: opts.sessionTimeoutMs ?? 30 * 60_000 });
      let transport: SerialTransport;
      try {
        transport = await SerialTransport.open(session.ptyPath);
        await session.resume();
      } catch (e) {
        session.kill();
        await session.exit;
        throw e;
      }
      const ended = session.exit.then((x) =>
        x.timedOut ? `QEMU was killed after its ${opts.sessionTimeoutMs ?? 30 * 60_000} ms session limit` : `QEMU exited (code ${x.code}${GUEST_EXITS[x.code ?? -1] ?? ""}${x.signal ? `, ${x.signal}` : ""})`);
      const line = closesWith(transport, ended);
      return {
        transport: line, where: session.ptyPath, instructionsPerTick: icountInstructionsPerTick(board), clientDefaults: QEMU_CLIENT,
        async close() {
          await transport.close();
          session.kill();
          await session.exit;
        },
        async detach() {
          await transport.close();
          return {
            port: session.ptyPath, ended,
            async stop() {
              session.kill();
              await session.exit;
            },
          };
        },
      };
    }
    default: {
      const port = selectPort(board, { port: opts.port });
      const lock = await lockPort(port.path, opts.portWaitMs);
      try {
        const t = await SerialTransport.open(port.path, { baudRate: opts.baudRate ?? board.serial?.baud });
        return {
          transport: t, where: port.path, clientDefaults: SERIAL_CLIENT,
          async close() {
            await t.close();
            lock.release();
          },
        };
      } catch (e) {
        lock.release();
        throw e;
      }
    }
  }
}

/** Opens the device and a tinyml protocol session on it (HELLO answered). */
export async function openDevice(board: Board, image: string, opts: OpenDeviceOptions = {}): Promise<DeviceSession> {
  const line = await openLine(board, image, opts);
  try {
    const client = await DeviceClient.connect(line.transport, { ...line.clientDefaults, ...opts.client });
    return { client, line, close: async () => { await client.close(); await line.close(); } };
  } catch (e) {
    await line.close();
    throw noAnswer(e, board, line.where);
  }
}

/** Opens the device and aligns with its MLPerf Tiny (EEMBC) runner protocol. */
export async function openEembcDevice(board: Board, image: string, opts: OpenDeviceOptions = {}): Promise<EembcSession> {
  const line = await openLine(board, image, opts);
  const slow = board.flasher.driver === "qemu";
  const client = new EembcClient(line.transport, { timeoutMs: slow ? 15_000 : 5000, inferTimeoutMs: 300_000 });
  try {
    await client.sync(5, slow ? 500 : 200);
    return { client, line, close: async () => { await client.close(); await line.close(); } };
  } catch (e) {
    await client.close().catch(() => undefined);
    await line.close();
    throw noAnswer(e, board, line.where);
  }
}

/** A timeout while opening a protocol session, said as "the board does not answer" with what to check. */
export function noAnswer(e: unknown, board: Board, where: string): unknown {
  if (!isTinymlError(e) || e.code !== "TML_E_DEVICE_TIMEOUT") return e;
  return new TinymlError("TML_E_DEVICE_TIMEOUT", `${board.id} on ${where} does not answer: ${e.message}`, {
    hint: "check that the board runs tinyml firmware built for it (`tinyml build --board " + board.id + "`, then flash) and that nothing else holds the port",
  });
}

/** The transport, closing (for the client) when the emulator behind it exits. */
/** How long a closed pty waits for QEMU's exit status before reporting the pty's own error. */
const EXIT_GRACE_MS = 2000;

function closesWith(inner: Transport, ended: Promise<string>): Transport {
  let closedByUs = false;
  return {
    name: inner.name,
    write: (d) => inner.write(d),
    onData: (l) => inner.onData(l),
    onClose(listener) {
      let live = true;
      let told = false;
      const tell = (e?: Error): void => {
        if (!live || told) return;
        told = true;
        listener(e);
      };
      // The pty usually fails (EBADF, EIO) a moment before QEMU's exit status
      // arrives; the status says why (a fault, a guest exit), so it is waited
      // for, within a grace that stretches with the machine's load.
      const off = inner.onClose((e) => {
        if (closedByUs) return tell(e);
        const grace = new Promise<undefined>((r) => setTimeout(() => r(undefined), scaledTimeout(EXIT_GRACE_MS)).unref());
        void Promise.race([ended, grace]).then((why) => tell(why ? new Error(why) : e));
      });
      void ended.then((why) => {
        if (!closedByUs) tell(new Error(why));
      });
      return () => {
        live = false;
        off();
      };
    },
    close() {
      closedByUs = true;
      return inner.close();
    },
  };
}
