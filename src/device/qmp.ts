// A minimal QEMU Machine Protocol client over a unix socket: the greeting,
// capability negotiation, and commands matched to replies by id. Events
// (STOP, RESUME, SHUTDOWN…) are ignored; the launcher watches the process.

import { connect, type Socket } from "node:net";

type QmpReply = { id?: number; return?: unknown; error?: { class: string; desc: string }; QMP?: unknown; event?: string };

export class QmpClient {
  private buffer = "";
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private greeted: Promise<void>;
  private closedError: Error | null = null;

  private constructor(private readonly socket: Socket) {
    let greet: () => void = () => {};
    this.greeted = new Promise((resolve) => (greet = resolve));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf("\n")) >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as QmpReply;
        if (msg.QMP !== undefined) greet();
        else if (msg.id !== undefined) this.settle(msg);
      }
    });
    const fail = (e: Error): void => {
      this.closedError ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("QMP connection closed (QEMU exited)")));
  }

  private settle(msg: QmpReply): void {
    const p = this.pending.get(msg.id!);
    if (!p) return;
    this.pending.delete(msg.id!);
    if (msg.error) p.reject(new Error(`QMP: ${msg.error.class}: ${msg.error.desc}`));
    else p.resolve(msg.return);
  }

  /** Connects, retrying until QEMU has created the socket or `deadline` (ms since epoch) passes. */
  static async connect(path: string, deadline: number, alive: () => boolean): Promise<QmpClient> {
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(path);
          s.once("connect", () => resolve(s));
          s.once("error", reject);
        });
        const client = new QmpClient(socket);
        await client.greeted;
        await client.execute("qmp_capabilities");
        return client;
      } catch (e) {
        if (!alive() || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ execute: command, id, ...(args ? { arguments: args } : {}) })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
