// DeviceClient: what a test runner asks of a board running the tinyml
// inference app — who are you, take this input, run it n times, give me the
// outputs and the per-op profile, restart. Transport, framing and recovery
// live in DeviceLink; this file turns requests into typed results.
//
// Chunk size adapts to the line: a chunk that needed a retransmit halves
// it (down to 16 bytes), eight clean ones double it (up to the device's
// maximum). At 1% byte corruption a 270-byte frame arrives intact only ~7%
// of the time, a 40-byte one ~67%; on a clean line chunks stay at 256.
import { TinymlError } from "../errors.js";
import { scaledTimeout } from "../util/load.js";
import { DeviceLink, DeviceResetError, type LinkOptions, type LinkStats } from "./link.js";
import {
  decodeHello,
  decodeInfo,
  decodeInvoke,
  decodeInvokeOps,
  decodeLoadInput,
  decodeProfile,
  decodeReadOutput,
  decodeReadTensor,
  decodeTensorInfo,
  encodeInvoke,
  encodeInvokeOps,
  encodeLoadInput,
  encodeProfile,
  encodeReadOutput,
  encodeReadTensor,
  encodeTensorInfo,
  type Hello,
  type InfoFixed,
  type TensorSpec,
} from "./messages.js";
import { MAX_CHUNK, MAX_RUNS, MessageType, PROTOCOL_VERSION } from "./protocol.js";
import type { Transport } from "./transport.js";

export { DeviceResetError, isDeviceResetError } from "./link.js";
export type { TensorSpec } from "./messages.js";

export interface DeviceClientOptions extends LinkOptions {
  /**
   * Per-attempt timeout for INVOKE and PROFILE, which run the model, until
   * one INVOKE has measured how long a run takes; after that the timeout is
   * the attempt timeout plus twice the expected run time. Default 30000 ms.
   */
  invokeTimeoutMs?: number;
  /** How long reset() waits for the boot HELLO before re-synchronising anyway. Default 5000 ms. */
  bootTimeoutMs?: number;
}

export interface DeviceInfo extends InfoFixed {
  protocolVersion: number;
  maxChunk: number;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface InvokeOptions {
  /** Timed runs (any number; sent in batches of at most MAX_RUNS). Default 1. */
  runs?: number;
  /** Untimed runs before the first timed one. Default 0. */
  warmup?: number;
}

export interface InvokeResult {
  /** 0, or the status of the first invoke that failed (runs stop there). */
  status: number;
  /** The op that failed, or -1. */
  failedOp: number;
  /** Timer ticks of each completed timed run. */
  ticks: number[];
}

export interface ProfileResult {
  /** Ticks per op of one invoke, in execution order; empty when the model has no profiler. */
  ticks: number[];
}

const MIN_CHUNK = 16;
const CLEAN_TO_GROW = 8;

export class DeviceClient {
  private readonly link: DeviceLink;
  private readonly invokeTimeoutMs: number;
  private readonly bootTimeoutMs: number;
  private synced = false;
  private resetSeen = false;
  private expectingBoot: (() => void) | undefined;
  private cachedInfo: DeviceInfo | undefined;
  private deviceMaxChunk = MAX_CHUNK;
  private chunk = MAX_CHUNK;
  private cleanStreak = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Slowest run seen so far, in ms (from the device's ticks); undefined until measured. */
  private runMs: number | undefined;

  constructor(readonly transport: Transport, opts: DeviceClientOptions = {}) {
    this.link = new DeviceLink(transport, opts);
    this.invokeTimeoutMs = opts.invokeTimeoutMs ?? 30_000;
    this.bootTimeoutMs = opts.bootTimeoutMs ?? 5000;
    this.link.onBoot = () => this.onBoot();
    this.link.onDelivery = (clean) => this.adapt(clean);
  }

  /** Opens a session with the device on `transport` (ignoring whatever was on the line). */
  static async connect(transport: Transport, opts: DeviceClientOptions = {}): Promise<DeviceClient> {
    const client = new DeviceClient(transport, opts);
    try {
      await client.hello();
    } catch (e) {
      await client.close();
      throw e;
    }
    return client;
  }

  get stats(): LinkStats & { chunk: number } {
    return { ...this.link.stats, chunk: this.chunk };
  }

  /** Opens (or re-opens, after a DeviceResetError) the session. */
  hello(): Promise<Hello> {
    return this.exclusive(() => this.helloNow());
  }

  /** The device's provenance and tensor specs (fetched once per session). */
  info(): Promise<DeviceInfo> {
    return this.exclusive(() => this.infoNow());
  }

  /** Writes input `index` in acknowledged chunks. */
  loadInput(index: number, data: Uint8Array): Promise<void> {
    return this.exclusive(async () => {
      const spec = await this.tensor("input", index);
      if (data.length !== spec.bytes) {
        throw new TinymlError("TML_E_INPUT_MISMATCH", `input ${index} ('${spec.name}') takes ${spec.bytes} bytes, ${data.length} given`, {
          hint: `give exactly ${spec.bytes} bytes: shape [${spec.shape.join(", ")}], TFLite type ${spec.type}`,
        });
      }
      await this.pipelined(data.length, async (offset, len) => {
        const ack = decodeLoadInput(
          await this.link.request(MessageType.LOAD_INPUT, encodeLoadInput(index, offset, data.subarray(offset, offset + len))),
        );
        if (ack.index !== index || ack.offset !== offset || ack.end !== offset + len) {
          throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device acknowledged input ${ack.index} bytes ${ack.offset}..${ack.end}, expected ${index} ${offset}..${offset + len}`);
        }
        return len;
      });
    });
  }

  /** Runs the model `warmup` times untimed, then `runs` times timed. */
  invoke(opts: InvokeOptions = {}): Promise<InvokeResult> {
    return this.exclusive(async () => {
      this.requireSession();
      const runs = opts.runs ?? 1;
      let warmup = opts.warmup ?? 0;
      if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
        throw new TinymlError("TML_E_USAGE", `invoke needs runs >= 1 and warmup >= 0 (got ${runs}, ${warmup})`);
      }
      const result: InvokeResult = { status: 0, failedOp: -1, ticks: [] };
      while (result.ticks.length < runs && result.status === 0) {
        // Batches follow the chunk size too: each run's ticks are 4 bytes of the answer.
        const batch = Math.min(runs - result.ticks.length, MAX_RUNS, Math.max(1, Math.floor(this.chunk / 4)));
        const w = Math.min(warmup, 0xffff);
        const reply = decodeInvoke(await this.link.request(MessageType.INVOKE, encodeInvoke(batch, w), this.runTimeout(batch + w)));
        warmup -= w;
        await this.learnRunTime(reply.ticks);
        result.status = reply.status;
        result.failedOp = reply.failedOp;
        result.ticks.push(...reply.ticks);
      }
      return result;
    });
  }

  /** Reads output `index` back in chunks. */
  readOutput(index: number): Promise<Uint8Array> {
    return this.exclusive(async () => {
      const spec = await this.tensor("output", index);
      const out = new Uint8Array(spec.bytes);
      await this.pipelined(spec.bytes, async (offset, len) => {
        const r = decodeReadOutput(await this.link.request(MessageType.READ_OUTPUT, encodeReadOutput(index, offset, len)));
        if (r.index !== index || r.offset !== offset || r.total !== spec.bytes || r.data.length !== Math.min(len, spec.bytes - offset)) {
          throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device answered output ${r.index} at ${r.offset} (${r.data.length} of ${r.total} bytes), expected output ${index} at ${offset} of ${spec.bytes}`);
        }
        out.set(r.data, offset);
        return r.data.length;
      });
      return out;
    });
  }

  /** --bisect: one invoke of the loaded input that stops after the first `opCount` ops. */
  invokeOps(opCount: number): Promise<{ status: number; failedOp: number }> {
    return this.exclusive(async () => {
      this.requireSession();
      return decodeInvokeOps(await this.link.request(MessageType.INVOKE_OPS, encodeInvokeOps(opCount), this.runTimeout(1)));
    });
  }

  /** --bisect: tensor `index` as the last invoke left it, or null when the runtime cannot show it. */
  readTensor(index: number): Promise<Uint8Array | null> {
    return this.exclusive(async () => {
      this.requireSession();
      const first = decodeReadTensor(await this.link.request(MessageType.READ_TENSOR, encodeReadTensor(index, 0, MAX_CHUNK)));
      if (first.tensor !== index) throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device answered tensor ${first.tensor}, expected ${index}`);
      if (first.total === 0) return null;
      const out = new Uint8Array(first.total);
      out.set(first.data, 0);
      if (first.data.length < first.total) {
        await this.pipelined(first.total - first.data.length, async (rel, len) => {
          const offset = first.data.length + rel;
          const r = decodeReadTensor(await this.link.request(MessageType.READ_TENSOR, encodeReadTensor(index, offset, len)));
          if (r.tensor !== index || r.offset !== offset || r.total !== first.total || r.data.length !== Math.min(len, first.total - offset)) {
            throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device answered tensor ${r.tensor} at ${r.offset} (${r.data.length} of ${r.total} bytes), expected tensor ${index} at ${offset} of ${first.total}`);
          }
          out.set(r.data, offset);
          return r.data.length;
        });
      }
      return out;
    });
  }

  /** Per-op ticks of one invoke of the loaded input. */
  profile(): Promise<ProfileResult> {
    return this.exclusive(async () => {
      this.requireSession();
      // Timing every op costs a little on top of one run: allow two.
      const first = decodeProfile(await this.link.request(MessageType.PROFILE, encodeProfile(0), this.runTimeout(2)));
      const ticks = [...first.ticks];
      while (ticks.length < first.opCount) {
        const page = decodeProfile(await this.link.request(MessageType.PROFILE, encodeProfile(ticks.length)));
        if (page.firstOp !== ticks.length || page.ticks.length === 0 || page.opCount !== first.opCount) {
          throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device returned profile ops ${page.firstOp}.. of ${page.opCount}, expected ${ticks.length}.. of ${first.opCount}`);
        }
        ticks.push(...page.ticks);
      }
      return { ticks };
    });
  }

  /** Restarts the board and opens a new session once it is back. */
  reset(): Promise<void> {
    return this.exclusive(async () => {
      this.requireSession();
      const booted = new Promise<void>((resolve) => (this.expectingBoot = resolve));
      try {
        await this.link.request(MessageType.RESET, new Uint8Array(0));
      } catch (e) {
        // A repeated RESET that reached the already restarted board is refused for lack of a session: it did reset.
        if (!(e instanceof DeviceResetError)) throw e;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([booted, new Promise<void>((resolve) => (timer = setTimeout(resolve, scaledTimeout(this.bootTimeoutMs))))]);
      clearTimeout(timer);
      this.expectingBoot = undefined;
      this.synced = false;
      await this.helloNow();
    });
  }

  async close(): Promise<void> {
    await this.link.close();
  }

  // ---- internals ----

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn).catch((e: unknown) => {
      // A refusal for lack of a session means the board restarted: stay out of sync until hello().
      if (e instanceof DeviceResetError && !this.expectingBoot) {
        this.synced = false;
        this.resetSeen = true;
      }
      throw e;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private onBoot(): void {
    if (this.expectingBoot) {
      this.expectingBoot();
      return;
    }
    if (!this.synced) return; // boot text before we connected, or a reset we are already handling
    this.synced = false;
    this.resetSeen = true;
    this.link.failAll(new DeviceResetError(this.transport.name, "it announced a fresh boot"));
  }

  private requireSession(): void {
    if (this.resetSeen) throw new DeviceResetError(this.transport.name, "it announced a fresh boot");
    if (!this.synced) throw new TinymlError("TML_E_DEVICE_PROTOCOL", `no session with the device on ${this.transport.name}: call hello() first`);
  }

  private runTimeout(runs: number): number {
    if (this.runMs === undefined) return this.invokeTimeoutMs;
    return Math.min(this.invokeTimeoutMs, this.link.defaultAttemptTimeoutMs + Math.ceil(2 * runs * this.runMs));
  }

  private async learnRunTime(ticks: number[]): Promise<void> {
    if (ticks.length === 0) return;
    const hz = (this.cachedInfo ?? (await this.infoNow())).timerHz;
    if (hz > 0) this.runMs = Math.max(this.runMs ?? 0, (Math.max(...ticks) / hz) * 1000);
  }

  private adapt(clean: boolean): void {
    if (!clean) {
      this.chunk = Math.max(MIN_CHUNK, this.chunk >> 1);
      this.cleanStreak = 0;
    } else if (++this.cleanStreak >= CLEAN_TO_GROW) {
      this.chunk = Math.min(this.deviceMaxChunk, this.chunk * 2);
      this.cleanStreak = 0;
    }
  }

  private async helloNow(): Promise<Hello> {
    const hello = decodeHello(await this.link.request(MessageType.HELLO, new Uint8Array(0)));
    if (hello.version !== PROTOCOL_VERSION) {
      throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device on ${this.transport.name} speaks protocol version ${hello.version}, this tinyml speaks ${PROTOCOL_VERSION}`, {
        hint: "rebuild and flash the firmware with this tinyml",
      });
    }
    this.deviceMaxChunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, hello.maxChunk));
    this.chunk = Math.min(this.chunk, this.deviceMaxChunk);
    this.synced = true;
    this.resetSeen = false;
    this.cachedInfo = undefined;
    return hello;
  }

  private async infoNow(): Promise<DeviceInfo> {
    if (this.cachedInfo) return this.cachedInfo;
    this.requireSession();
    const fixed = decodeInfo(await this.link.request(MessageType.INFO, new Uint8Array(0)));
    const inputs: TensorSpec[] = [];
    const outputs: TensorSpec[] = [];
    for (let i = 0; i < fixed.inputCount; i++) inputs.push(decodeTensorInfo(await this.link.request(MessageType.TENSOR_INFO, encodeTensorInfo(0, i))));
    for (let i = 0; i < fixed.outputCount; i++) outputs.push(decodeTensorInfo(await this.link.request(MessageType.TENSOR_INFO, encodeTensorInfo(1, i))));
    this.cachedInfo = { ...fixed, protocolVersion: PROTOCOL_VERSION, maxChunk: this.deviceMaxChunk, inputs, outputs };
    return this.cachedInfo;
  }

  private async tensor(direction: "input" | "output", index: number): Promise<TensorSpec> {
    this.requireSession();
    const info = await this.infoNow();
    const list = direction === "input" ? info.inputs : info.outputs;
    const spec = list[index];
    if (!spec) {
      throw new TinymlError("TML_E_INPUT_MISMATCH", `the model on ${this.transport.name} has ${list.length} ${direction}(s); there is no ${direction} ${index}`);
    }
    return spec;
  }

  /**
   * Moves `total` bytes in chunks with several requests in flight (the link
   * caps the bytes). `step(offset, len)` returns the bytes it actually moved.
   */
  private async pipelined(total: number, step: (offset: number, len: number) => Promise<number>): Promise<void> {
    let next = 0;
    let failure: unknown;
    const inFlight = new Set<Promise<void>>();
    while ((next < total || inFlight.size > 0) && failure === undefined) {
      while (next < total && inFlight.size < 8) {
        const offset = next;
        const len = Math.min(this.chunk, total - offset);
        next += len;
        const job: Promise<void> = step(offset, len).then(
          (moved) => {
            inFlight.delete(job);
            if (moved !== len) failure = new TinymlError("TML_E_DEVICE_PROTOCOL", `the device moved ${moved} of ${len} bytes at offset ${offset}`);
          },
          (e: unknown) => {
            inFlight.delete(job);
            if (failure === undefined) failure = e;
          },
        );
        inFlight.add(job);
      }
      await Promise.race(inFlight);
    }
    if (failure !== undefined) {
      this.link.failAll(failure instanceof Error ? failure : new Error(String(failure)));
      await Promise.allSettled(inFlight);
      throw failure;
    }
  }
}

