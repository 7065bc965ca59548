// The host end of a QEMU guest's UART in tests: a SerialPort on the pty that
// collects everything received, and waits for a pattern with a deadline.

import { SerialPort } from "serialport";

export class GuestSerial {
  private received = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  private constructor(readonly port: SerialPort) {
    port.on("data", (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(path: string): Promise<GuestSerial> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    return new GuestSerial(port);
  }

  /** Everything received so far. */
  get bytes(): Buffer {
    return this.received;
  }

  get text(): string {
    return this.received.toString("latin1");
  }

  async write(data: Buffer | string): Promise<void> {
    await new Promise<void>((resolve, reject) => this.port.write(data, (e) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve, reject) => this.port.drain((e) => (e ? reject(e) : resolve())));
  }

  /** Resolves once `ready(received)` holds; rejects after timeoutMs, quoting what arrived. */
  async waitFor(ready: (received: Buffer) => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received ${JSON.stringify(this.text.slice(-200))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  waitForText(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    let match: RegExpExecArray | null = null;
    return this.waitFor(() => (match = pattern.exec(this.text)) !== null, timeoutMs, String(pattern)).then(() => match!);
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
