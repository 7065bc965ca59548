// Drives any firmware that speaks the MLPerf Tiny / EEMBC runner's text
// protocol (mlcommons/tiny benchmark/api): commands end in '%', the device
// answers with "\r\n"-terminated m-… and e-[…] lines and closes every
// command with m-ready. One command is in flight at a time; a `db` line
// carries 31 bytes so it fits the device's 80-character buffer.
import { TinymlError } from "../errors.js";
import { scaledTimeout } from "../util/load.js";
import type { Transport } from "./transport.js";

export interface EembcClientOptions {
  /** How long one command may take to reach m-ready. Default 10000 ms. */
  timeoutMs?: number;
  /** For `infer`, which runs the model. Default 120000 ms. */
  inferTimeoutMs?: number;
}

export interface EembcInferResult {
  warmup: number;
  runs: number;
  /** The device's microsecond timestamps around the timed runs. */
  startUs: number;
  endUs: number;
  /** (end − start) / runs: the runner's latency figure. */
  latencyUs: number;
  results: number[];
  /** What m-results-[…] held, as printed: the runner parses these digits. */
  resultsText: string;
}

/** Bytes per `db` line, as the MLCommons runner sends them. */
export const EEMBC_DB_BYTES_PER_LINE = 31;

export class EembcClient {
  private buffer = "";
  private lines: string[] = [];
  private waiter: (() => void) | undefined;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly timeoutMs: number;
  private readonly inferTimeoutMs: number;
  private closedError: TinymlError | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly transport: Transport, opts: EembcClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.inferTimeoutMs = opts.inferTimeoutMs ?? 120_000;
    this.unsubscribe.push(transport.onData((chunk) => this.onData(chunk)));
    this.unsubscribe.push(
      transport.onClose((err) => {
        this.closedError = new TinymlError("TML_E_DEVICE_PROTOCOL", `the serial line to ${transport.name} closed${err ? `: ${err.message}` : ""}`);
        this.waiter?.();
      }),
    );
  }

  /**
   * Sends one command (without the '%') and returns the lines the device
   * printed for it, m-ready excluded. Lines printed before the command
   * (boot messages, leftovers) are dropped.
   */
  command(text: string, timeoutMs = this.timeoutMs): Promise<string[]> {
    const run = this.queue.then(() => this.commandNow(text, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Aligns with the device: waits for the line to go quiet (boot messages
   * and their m-ready must not be taken as the answer to our first
   * command), then asks its name; a board still booting gets a few tries.
   */
  async sync(attempts = 5, quietMs = 200): Promise<string> {
    let last: unknown;
    for (let i = 0; i < attempts; i++) {
      await this.quiet(quietMs);
      try {
        return await this.name();
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }

  async name(): Promise<string> {
    return this.field(await this.command("name"), /^m-name-(?:dut-)?\[(.*)\]$/, "name");
  }

  async profile(): Promise<{ firmware: string; model: string }> {
    const lines = await this.command("profile");
    return { firmware: this.field(lines, /^m-profile-\[(.*)\]$/, "profile"), model: this.field(lines, /^m-model-\[(.*)\]$/, "profile") };
  }

  async timestamp(): Promise<number> {
    return Number(this.field(await this.command("timestamp"), /^m-lap-us-(\d+)$/, "timestamp"));
  }

  /** Loads the input buffer: `db load N`, then 31-byte `db <hex>` lines until m-load-done. */
  async load(data: Uint8Array): Promise<void> {
    this.checkErrors(await this.command(`db load ${data.length}`), `db load ${data.length}`);
    let done = false;
    for (let at = 0; at < data.length; at += EEMBC_DB_BYTES_PER_LINE) {
      const hex = Buffer.from(data.subarray(at, at + EEMBC_DB_BYTES_PER_LINE)).toString("hex");
      const lines = await this.command(`db ${hex}`);
      this.checkErrors(lines, "db <hex>");
      done = lines.includes("m-load-done");
    }
    if (!done) throw new TinymlError("TML_E_DEVICE_PROTOCOL", `${this.transport.name}: the device never said m-load-done after ${data.length} bytes`);
  }

  /** The device's copy of the input buffer (`db print`). */
  async print(): Promise<Uint8Array> {
    const lines = await this.command("db print");
    this.checkErrors(lines, "db print");
    const hex = lines.filter((l) => l.startsWith("m-buffer-")).map((l) => l.slice("m-buffer-".length).split("-").join(""));
    return new Uint8Array(Buffer.from(hex.join(""), "hex"));
  }

  async infer(runs: number, warmup: number): Promise<EembcInferResult> {
    const lines = await this.command(`infer ${runs} ${warmup}`, this.inferTimeoutMs);
    this.checkErrors(lines, `infer ${runs} ${warmup}`);
    const laps = lines.filter((l) => /^m-lap-us-\d+$/.test(l)).map((l) => Number(l.slice("m-lap-us-".length)));
    if (laps.length !== 2 || !lines.includes("m-infer-done")) {
      throw new TinymlError("TML_E_DEVICE_PROTOCOL", `${this.transport.name}: 'infer' answered without two m-lap-us lines and m-infer-done:\n${lines.join("\n")}`);
    }
    const [startUs, endUs] = laps as [number, number];
    return {
      warmup: Number(this.field(lines, /^m-warmup-start-(\d+)$/, "infer")),
      runs: Number(this.field(lines, /^m-infer-start-(\d+)$/, "infer")),
      startUs, endUs, latencyUs: (endUs - startUs) / runs,
      results: this.parseResults(lines),
      resultsText: this.field(lines, /^m-results-\[(.*)\]$/, "infer"),
    };
  }

  async results(): Promise<number[]> {
    return this.parseResults(await this.command("results"));
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await this.transport.close();
  }

  // ---- internals ----

  private async commandNow(text: string, timeoutMs: number): Promise<string[]> {
    if (text.length + 1 > 80) throw new RangeError(`EEMBC command of ${text.length + 1} characters exceeds the device's 80`);
    if (this.closedError) throw this.closedError;
    this.lines = [];
    await this.transport.write(new TextEncoder().encode(`${text}%`));
    const deadline = Date.now() + scaledTimeout(timeoutMs);
    for (;;) {
      const ready = this.lines.indexOf("m-ready");
      if (ready >= 0) {
        const out = this.lines.slice(0, ready);
        this.lines = this.lines.slice(ready + 1);
        return out;
      }
      if (this.closedError) throw this.closedError;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new TinymlError("TML_E_DEVICE_TIMEOUT", `no m-ready from ${this.transport.name} within ${timeoutMs} ms after '${text}%'`, {
          hint: "check that the firmware speaks the EEMBC runner protocol (built with `--app eembc`) at this baud rate",
        });
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      this.waiter = undefined;
    }
  }

  /** Resolves once nothing has arrived for `ms`, dropping what did. */
  private async quiet(ms: number): Promise<void> {
    let seen = -1;
    while (seen !== this.received) {
      seen = this.received;
      await new Promise((r) => setTimeout(r, ms));
    }
    this.lines = [];
    this.buffer = "";
  }

  private received = 0;

  private onData(chunk: Uint8Array): void {
    this.received += chunk.length;
    this.buffer += Buffer.from(chunk).toString("latin1");
    const parts = this.buffer.split(/\r?\n/);
    this.buffer = parts.pop() ?? "";
    for (const line of parts) if (line.length > 0) this.lines.push(line.replace(/\r$/, ""));
    if (parts.length > 0) this.waiter?.();
  }

  private checkErrors(lines: string[], what: string): void {
    const err = lines.find((l) => l.startsWith("e-"));
    if (err) throw new TinymlError("TML_E_DEVICE_PROTOCOL", `${this.transport.name} refused '${what}': ${err}`);
  }

  private field(lines: string[], re: RegExp, what: string): string {
    this.checkErrors(lines, what);
    for (const l of lines) {
      const m = re.exec(l);
      if (m) return m[1] ?? "";
    }
    throw new TinymlError("TML_E_DEVICE_PROTOCOL", `${this.transport.name} answered '${what}' without the expected line:\n${lines.join("\n")}`);
  }

  private parseResults(lines: string[]): number[] {
    const inside = this.field(lines, /^m-results-\[(.*)\]$/, "results");
    return inside === "" ? [] : inside.split(",").map(Number);
  }
}
