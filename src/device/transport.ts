// A byte pipe to a device. The protocol clients only need write, a data
// listener and close, so tests can put a fault-injecting wrapper in between
// and boards can arrive over a USB CDC port, a QEMU pty or a host pty alike.
// Loaded when a port is opened: the native binding costs ~65 ms of every
// CLI start otherwise, and build, inspect or quantize never open one.
import type { SerialPort } from "serialport";
import { TinymlError } from "../errors.js";

export interface Transport {
  /** A name for messages, e.g. the port path. */
  readonly name: string;
  /** Resolves once the bytes have been handed to the OS (drained). */
  write(data: Uint8Array): Promise<void>;
  /** Registers a listener for received bytes; returns its removal. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Registers a listener for the line closing under us (unplugged, emulator exited). */
  onClose(listener: (error?: Error) => void): () => void;
  close(): Promise<void>;
}

export interface SerialOptions {
  /** Ignored by ptys; real boards use their board JSON's rate. */
  baudRate?: number;
}

function portError(path: string, err: Error & { code?: string }): TinymlError {
  const text = `${err.code ?? ""} ${err.message}`;
  if (/ENOENT|No such file/i.test(text)) {
    return new TinymlError("TML_E_PORT_NOT_FOUND", `serial port ${path} does not exist`, {
      hint: "check the cable and run `tinyml ports` to list the ports tinyml can see",
      cause: err,
    });
  }
  if (/EACCES|Permission denied/i.test(text)) {
    return new TinymlError("TML_E_PORT_PERMISSION", `no permission to open ${path}`, {
      hint: "add yourself to the dialout group (`sudo usermod -aG dialout $USER`, then log in again) or install the board's udev rules",
      cause: err,
    });
  }
  if (/EBUSY|lock|Resource temporarily unavailable/i.test(text)) {
    return new TinymlError("TML_E_PORT_BUSY", `serial port ${path} is in use by another program`, {
      hint: "close serial monitors (screen, minicom, the Arduino IDE) or other tinyml runs using this port",
      cause: err,
    });
  }
  return new TinymlError("TML_E_DEVICE_PROTOCOL", `cannot open serial port ${path}: ${err.message}`, { cause: err });
}

/**
 * A serial port through `serialport`. Writes wait for drain: bindings-cpp
 * can stall forever when a pty's buffer fills, so the clients keep at most
 * ~1 KB unacknowledged and never queue a large burst here.
 */
export class SerialTransport implements Transport {
  private closedByUs = false;

  private constructor(readonly name: string, private readonly port: SerialPort) {
    // serialport re-emits failed writes as 'error' events; an unheard one would crash the process.
    // Failures reach callers through write()'s promise and onClose listeners instead.
    port.on("error", () => undefined);
  }

  static async open(path: string, opts: SerialOptions = {}): Promise<SerialTransport> {
    const { SerialPort } = await import("serialport");
    const port = new SerialPort({ path, baudRate: opts.baudRate ?? 115200, autoOpen: false, hupcl: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(portError(path, err)) : resolve())));
    return new SerialTransport(path, port);
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.port.isOpen) {
        reject(new TinymlError("TML_E_DEVICE_PROTOCOL", `serial port ${this.name} is closed`));
        return;
      }
      this.port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (err) => {
        if (err) reject(new TinymlError("TML_E_DEVICE_PROTOCOL", `write to ${this.name} failed: ${err.message}`, { cause: err }));
      });
      this.port.drain((err) => (err ? reject(new TinymlError("TML_E_DEVICE_PROTOCOL", `write to ${this.name} failed: ${err.message}`, { cause: err })) : resolve()));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    const fn = (chunk: Buffer): void => listener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.port.on("data", fn);
    return () => this.port.off("data", fn);
  }

  onClose(listener: (error?: Error) => void): () => void {
    const onClose = (err?: Error | null): void => {
      if (!this.closedByUs) listener(err ?? undefined);
    };
    const onError = (err: Error): void => {
      if (!this.closedByUs) listener(err);
    };
    this.port.on("close", onClose);
    this.port.on("error", onError);
    return () => {
      this.port.off("close", onClose);
      this.port.off("error", onError);
    };
  }

  close(): Promise<void> {
    this.closedByUs = true;
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }
}
