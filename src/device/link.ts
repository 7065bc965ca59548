// The request/response engine under DeviceClient: request ids, per-attempt
// timeouts, retransmission, and the ~1 KB cap on unacknowledged bytes.
//
// Recovery rules. A request is sent again with the same id (the device
// answers a repeat from its cached response, or re-runs an idempotent
// chunk, so nothing takes effect twice) when
//  - no answer arrived within the attempt timeout, or
//  - evidence of loss arrived early: a NAK for an unreadable frame, or a
//    corrupted frame from the device (its answer was damaged on the way);
//    the oldest request is resent, once per received chunk of bytes, or
//  - a later request was answered first: the device works in order, so an
//    older request still waiting lost its request or its answer.
// The request fails with TML_E_DEVICE_TIMEOUT after `attempts` silent
// attempt timeouts; early retransmits do not count against that budget
// but stay inside the same overall deadline, so a line that is all noise
// still ends in an error instead of a loop.
import { TinymlError } from "../errors.js";
import { loadFactor, scaledTimeout } from "../util/load.js";
import { FrameDecoder, encodeFrame, type DecoderStats, type Message } from "./frame.js";
import { decodeHello, decodeNak } from "./messages.js";
import {
  BOOT_REQUEST_ID, MessageType, NakReason, RESPONSE_FLAG, UNKNOWN_REQUEST_ID, messageTypeName, nakReasonName,
} from "./protocol.js";
import type { Transport } from "./transport.js";

export interface LinkOptions {
  /** Silence, in ms, after which a request is sent again. Default 1000. */
  attemptTimeoutMs?: number;
  /** Silent attempts before TML_E_DEVICE_TIMEOUT. Default 5. */
  attempts?: number;
  /** Unacknowledged encoded bytes allowed on the line (one frame always may go). Default 1024. */
  maxInFlightBytes?: number;
}

export interface LinkStats {
  requests: number;
  retransmits: number;
  fastRetransmits: number;
  timeouts: number;
  naks: number;
  staleResponses: number;
  decoder: DecoderStats;
}

/** The board restarted mid-run: its loaded input and session are gone. Catch it, call hello(), retry. */
export class DeviceResetError extends TinymlError {
  constructor(port: string, how: string) {
    super("TML_E_DEVICE_PROTOCOL", `the device on ${port} restarted mid-run (${how})`, {
      hint: "a brown-out, watchdog or crash reset the board; tinyml re-synchronises and retries the case once — if it keeps happening, check the power supply and the firmware's stack size",
    });
    this.name = "DeviceResetError";
  }
}

export function isDeviceResetError(e: unknown): e is DeviceResetError {
  return e instanceof DeviceResetError;
}

interface Pending {
  id: number;
  type: number;
  frame: Uint8Array;
  attemptTimeoutMs: number;
  silentAttempts: number;
  sends: number;
  /** Send sequence numbers of the first and the latest transmission. */
  firstSeq: number;
  lastSeq: number;
  deadline: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  resolve: (body: Uint8Array) => void;
  reject: (e: Error) => void;
}

/** Outcome of one settled request, for the client's adaptive chunk size. */
export type DeliveryListener = (clean: boolean) => void;

export class DeviceLink {
  readonly stats: LinkStats;
  private readonly decoder = new FrameDecoder();
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: Array<() => void> = [];
  private readonly unsubscribe: Array<() => void> = [];
  private nextId = 1 + Math.floor(Math.random() * 0xfff0);
  private closedError: TinymlError | undefined;
  private inFlightBytes = 0;
  private readonly attemptTimeoutMs: number;
  private readonly attempts: number;
  private readonly maxInFlightBytes: number;
  private sendSeq = 0;
  /** Set when a boot HELLO arrives; the client decides whether that is a reset. */
  onBoot: () => void = () => undefined;
  onDelivery: DeliveryListener = () => undefined;

  constructor(readonly transport: Transport, opts: LinkOptions = {}) {
    this.attemptTimeoutMs = opts.attemptTimeoutMs ?? 1000;
    this.attempts = opts.attempts ?? 5;
    this.maxInFlightBytes = opts.maxInFlightBytes ?? 1024;
    this.stats = { requests: 0, retransmits: 0, fastRetransmits: 0, timeouts: 0, naks: 0, staleResponses: 0, decoder: this.decoder.stats };
    this.unsubscribe.push(transport.onData((chunk) => this.onData(chunk)));
    this.unsubscribe.push(
      transport.onClose((err) =>
        this.shutdown(new TinymlError("TML_E_DEVICE_PROTOCOL", `the serial line to ${transport.name} closed${err ? `: ${err.message}` : ""}`, {
          hint: "the board was unplugged, or its emulator or process exited; check its log",
          cause: err,
        })),
      ),
    );
  }

  get defaultAttemptTimeoutMs(): number {
    return this.attemptTimeoutMs;
  }

  /**
   * Sends one request and resolves with the response body. Waits first until
   * the frame fits the in-flight budget.
   */
  async request(type: number, body: Uint8Array, attemptTimeoutMs = this.attemptTimeoutMs): Promise<Uint8Array> {
    const id = this.allocateId();
    const frame = encodeFrame(type, id, body);
    while (this.pending.size > 0 && this.inFlightBytes + frame.length > this.maxInFlightBytes && !this.closedError) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    if (this.closedError) throw this.closedError;
    return new Promise<Uint8Array>((resolve, reject) => {
      const p: Pending = {
        id, type, frame, attemptTimeoutMs, silentAttempts: 0, sends: 0, firstSeq: 0, lastSeq: 0,
        deadline: Date.now() + scaledTimeout(attemptTimeoutMs) * this.attempts, timer: undefined, resolve, reject,
      };
      this.pending.set(id, p);
      this.inFlightBytes += frame.length;
      this.stats.requests++;
      this.transmit(p);
    });
  }

  /** Fails every outstanding request with `error` (used when the board resets). */
  failAll(error: Error): void {
    for (const p of [...this.pending.values()]) this.settle(p, error);
  }

  async close(): Promise<void> {
    this.shutdown(new TinymlError("TML_E_DEVICE_PROTOCOL", `the connection to ${this.transport.name} was closed`));
    for (const u of this.unsubscribe.splice(0)) u();
    await this.transport.close();
  }

  private shutdown(error: TinymlError): void {
    if (!this.closedError) this.closedError = error;
    this.failAll(error);
    for (const w of this.waiting.splice(0)) w();
  }

  private allocateId(): number {
    const id = this.nextId;
    this.nextId = this.nextId >= 0xfffe ? 1 : this.nextId + 1; // 0 (boot) and 0xFFFF (unknown) are reserved
    return id;
  }

  private transmit(p: Pending): void {
    if (p.sends > 0) this.stats.retransmits++;
    p.sends++;
    p.lastSeq = ++this.sendSeq;
    if (p.sends === 1) p.firstSeq = p.lastSeq;
    clearTimeout(p.timer);
    // A busier machine answers later: each attempt waits longer, and the
    // overall deadline grows with it (attempts left × the attempt now).
    const attempt = scaledTimeout(p.attemptTimeoutMs);
    p.deadline = Math.max(p.deadline, Date.now() + attempt * (this.attempts - p.silentAttempts));
    const wait = Math.max(1, Math.min(attempt, p.deadline - Date.now()));
    p.timer = setTimeout(() => this.onAttemptTimeout(p), wait);
    this.transport.write(p.frame).catch((e: unknown) => this.settle(p, e instanceof Error ? e : new Error(String(e))));
  }

  private onAttemptTimeout(p: Pending): void {
    if (!this.pending.has(p.id)) return;
    this.stats.timeouts++;
    p.silentAttempts++;
    if (p.silentAttempts >= this.attempts || Date.now() >= p.deadline) {
      this.settle(
        p,
        new TinymlError("TML_E_DEVICE_TIMEOUT", `no answer from the device on ${this.transport.name} to ${messageTypeName(p.type)} (${p.sends} sends, ${p.silentAttempts} attempts of ${p.attemptTimeoutMs} ms × load ${loadFactor().toFixed(1)} of silence)`, {
          hint: "check that the board runs tinyml firmware built for this model (`tinyml flash`), that nothing else holds the port, and the cable; a hung board needs a power cycle",
        }),
      );
      return;
    }
    this.transmit(p);
  }

  /** Evidence that a frame was lost: resend the oldest request. */
  private fastRetransmit(): void {
    const oldest = this.pending.values().next().value;
    if (!oldest || Date.now() >= oldest.deadline) return;
    this.stats.fastRetransmits++;
    this.transmit(oldest);
  }

  /** `answered` came back: every request last sent before it was first sent has lost a frame. */
  private resendOvertaken(answered: Pending): void {
    for (const q of [...this.pending.values()]) {
      if (q.lastSeq >= answered.firstSeq) break; // pending is in first-send order; later ones may still come
      this.stats.fastRetransmits++;
      this.transmit(q);
    }
  }

  private settle(p: Pending, result: Uint8Array | Error): void {
    if (!this.pending.delete(p.id)) return;
    clearTimeout(p.timer);
    this.inFlightBytes -= p.frame.length;
    for (const w of this.waiting.splice(0)) w();
    if (result instanceof Uint8Array) {
      this.onDelivery(p.sends === 1);
      p.resolve(result);
    } else {
      p.reject(result);
    }
  }

  private onData(chunk: Uint8Array): void {
    const before = this.decoder.stats.badCrc + this.decoder.stats.malformed;
    this.lossSeen = false;
    for (const m of this.decoder.push(chunk)) {
      try {
        this.onMessage(m);
      } catch (e) {
        // A CRC-valid frame we cannot read: mismatched firmware. Fail loudly, not in the event handler.
        this.shutdown(e instanceof TinymlError ? e : new TinymlError("TML_E_DEVICE_PROTOCOL", String(e)));
        return;
      }
    }
    if (this.lossSeen || this.decoder.stats.badCrc + this.decoder.stats.malformed > before) this.fastRetransmit();
  }

  private lossSeen = false;

  private onMessage(m: Message): void {
    if (m.type === (MessageType.HELLO | RESPONSE_FLAG) && m.id === BOOT_REQUEST_ID) {
      if (m.body.length >= 2 && decodeHello(m.body).boot) this.onBoot();
      return;
    }
    if (m.type === MessageType.NAK) {
      this.stats.naks++;
      const nak = decodeNak(m.body);
      const p = this.pending.get(m.id);
      if (m.id === UNKNOWN_REQUEST_ID || !p) {
        this.lossSeen = true;
        return;
      }
      this.settle(p, this.nakError(p, nak.reason, nak.version));
      return;
    }
    const p = this.pending.get(m.id);
    if (!p || m.type !== (p.type | RESPONSE_FLAG)) {
      this.stats.staleResponses++; // the answer to a request already answered (we retransmitted too early)
      return;
    }
    this.settle(p, m.body);
    this.resendOvertaken(p);
  }

  private nakError(p: Pending, reason: number, deviceVersion: number): TinymlError {
    const what = messageTypeName(p.type);
    if (reason === NakReason.NO_SESSION) return new DeviceResetError(this.transport.name, `${what} was refused for lack of a session`);
    if (reason === NakReason.VERSION) {
      return new TinymlError("TML_E_DEVICE_PROTOCOL", `the device on ${this.transport.name} speaks protocol version ${deviceVersion}, this tinyml speaks another`, {
        hint: "rebuild and flash the firmware with this tinyml (`tinyml build` then `tinyml flash`)",
      });
    }
    if (reason === NakReason.MODEL) {
      return new TinymlError("TML_E_DEVICE_PROTOCOL", `the device on ${this.transport.name} refused ${what}: its model failed to initialise`, {
        hint: "the arena is probably too small or an op is missing from the resolver; run the firmware's log or rebuild with `tinyml build`",
      });
    }
    return new TinymlError("TML_E_DEVICE_PROTOCOL", `the device on ${this.transport.name} rejected ${what} (${nakReasonName(reason)})`, {
      hint: "the firmware and this tinyml disagree about the model or the protocol: rebuild and flash it",
    });
  }
}
