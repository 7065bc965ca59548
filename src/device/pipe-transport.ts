// A Transport over a child process's stdin/stdout: the host board's firmware
// runs as a native process and the protocol needs no pty for it. The child's
// exit is the line closing under us, so a killed device fails the pending
// request at once instead of waiting out its timeouts.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { TinymlError } from "../errors.js";
import { CHILD_GROUP, trackChild } from "../util/lifecycle.js";
import type { Transport } from "./transport.js";

export class PipeTransport implements Transport {
  private closedByUs = false;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitWaiters: Array<() => void> = [];
  private stderrText = "";

  private constructor(readonly name: string, private readonly child: ChildProcessByStdio<Writable, Readable, Readable>) {
    child.stdin.on("error", () => undefined); // EPIPE after the child died: reported through onClose
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      this.stderrText = (this.stderrText + s).slice(-4000);
    });
    child.once("exit", (code, signal) => {
      this.exited = { code, signal };
      for (const w of this.exitWaiters.splice(0)) w();
    });
  }

  /** Starts `executable` with its stdin/stdout as the serial line. */
  static spawn(executable: string, env: NodeJS.ProcessEnv = process.env): Promise<PipeTransport> {
    const child = trackChild(spawn(executable, [], { stdio: ["pipe", "pipe", "pipe"], env, ...CHILD_GROUP }));
    return new Promise((resolve, reject) => {
      child.once("spawn", () => resolve(new PipeTransport(`${executable} (pid ${child.pid})`, child)));
      child.once("error", (err) =>
        reject(new TinymlError("TML_E_DEVICE_PROTOCOL", `cannot start the host firmware ${executable}: ${err.message}`, {
          hint: "build it first (`tinyml build --board host MODEL --build-dir DIR`) or drop --no-build",
          cause: err,
        })),
      );
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What the process wrote to stderr (its last 4000 characters). */
  stderr(): string {
    return this.stderrText;
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.exited || this.child.stdin.destroyed) {
        reject(new TinymlError("TML_E_DEVICE_PROTOCOL", `${this.name} is not running`));
        return;
      }
      this.child.stdin.write(data, (err) => {
        if (!err) {
          resolve();
          return;
        }
        // EPIPE means the process died: say how, once its exit status is in (it follows within moments).
        void this.exitStatus(500).then((how) =>
          reject(new TinymlError("TML_E_DEVICE_PROTOCOL", how ? `the device process ${how}` : `write to ${this.name} failed: ${err.message}`, { cause: err })));
      });
    });
  }

  private exitStatus(waitMs: number): Promise<string | undefined> {
    const describe = (): string | undefined =>
      this.exited ? (this.exited.signal ? `was killed by ${this.exited.signal}` : `exited with status ${this.exited.code}`) : undefined;
    if (this.exited) return Promise.resolve(describe());
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(describe()), waitMs);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve(describe());
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    const fn = (chunk: Buffer): void => listener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.child.stdout.on("data", fn);
    return () => this.child.stdout.off("data", fn);
  }

  onClose(listener: (error?: Error) => void): () => void {
    const fn = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (this.closedByUs) return;
      const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      const said = this.stderrText.trim() ? ` (stderr: ${this.stderrText.trim().split("\n").slice(-3).join(" | ")})` : "";
      listener(new Error(`the device process ${how}${said}`));
    };
    this.child.on("exit", fn);
    return () => this.child.off("exit", fn);
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    this.child.stdin.end();
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
    await gone;
    clearTimeout(timer);
  }
}
