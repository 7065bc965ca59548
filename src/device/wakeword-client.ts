// WakewordClient: the host end of `--app wakeword` (firmware/runtime/
// tml_wakeword_app.c). It opens a session (HELLO, INFO), streams PCM in
// AUDIO blocks and collects the frame records each block's answer carries.
//
// Blocks are pipelined — a few are on the line at once, so a slow line (a
// QEMU pty) is not idle while the device computes — but never so many that
// the link would queue one: requests then leave in the order they were made,
// which the device needs (each block states the sample offset it starts at
// and is refused when that is not where the stream is).
import { TinymlError } from "../errors.js";
import { DeviceLink, type LinkOptions } from "./link.js";
import { decodeHello, decodeInfo, type InfoFixed } from "./messages.js";
import { FixedSize, MAX_CHUNK, MessageType, PROTOCOL_VERSION, WwFrameFlag } from "./protocol.js";
import type { Transport } from "./transport.js";

/** One 20 ms frame as the device computed it. */
export interface DeviceFrame {
  index: number;
  timeMs: number;
  features: Int8Array;
  /** Present once 49 frames exist. */
  scores?: Int8Array;
  /** RecognizeCommands' result for this frame (when scores exist). */
  smoothed?: { index: number; score: number; isNewCommand: boolean };
  /** A keyword detection: the smoothed category is a keyword and new. */
  event: boolean;
  ticks: { frontend: number; classifier: number; smoothing: number };
}

/** Most AUDIO blocks on the line at once; 3 encoded blocks stay under the link's 1 KB in-flight cap. */
const IN_FLIGHT_BLOCKS = 3;

export class WakewordClient {
  private readonly link: DeviceLink;
  private rebooted = false;

  private constructor(readonly transport: Transport, opts: LinkOptions) {
    this.link = new DeviceLink(transport, opts);
    this.link.onBoot = () => {
      this.rebooted = true;
    };
  }

  /** Opens a session: HELLO (which also restarts the device's stream), then INFO. */
  static async connect(transport: Transport, opts: LinkOptions = {}): Promise<{ client: WakewordClient; info: InfoFixed }> {
    const client = new WakewordClient(transport, opts);
    try {
      const hello = decodeHello(await client.link.request(MessageType.HELLO, new Uint8Array(0)));
      if (hello.version !== PROTOCOL_VERSION) {
        throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device on ${transport.name} speaks protocol version ${hello.version}, this tinyml speaks ${PROTOCOL_VERSION}`, {
          hint: "rebuild and flash the firmware with this tinyml",
        });
      }
      client.rebooted = false;
      const info = decodeInfo(await client.link.request(MessageType.INFO, new Uint8Array(0)));
      return { client, info };
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  /** Restarts the device's stream: frontend state, feature ring and smoothing. */
  async resetStream(): Promise<void> {
    await this.link.request(MessageType.WW_RESET, new Uint8Array(0));
  }

  /** Streams `samples` (from the stream's start) and returns every frame they completed. */
  async stream(samples: Int16Array, blockSamples = MAX_CHUNK / 2): Promise<DeviceFrame[]> {
    const frames: DeviceFrame[] = [];
    const inFlight: Array<Promise<DeviceFrame[]>> = [];
    for (let at = 0; at < samples.length || inFlight.length > 0; ) {
      while (at < samples.length && inFlight.length < IN_FLIGHT_BLOCKS) {
        const block = samples.subarray(at, Math.min(samples.length, at + blockSamples));
        const answer = this.audio(at, block);
        // Awaited in order below; this only keeps a failure behind an earlier await from being "unhandled".
        answer.catch(() => undefined);
        inFlight.push(answer);
        at += block.length;
      }
      frames.push(...(await inFlight.shift()!));
    }
    return frames;
  }

  async close(): Promise<void> {
    await this.link.close();
  }

  private async audio(offset: number, block: Int16Array): Promise<DeviceFrame[]> {
    const body = new Uint8Array(FixedSize.AUDIO_REQUEST_FIXED + 2 * block.length);
    const view = new DataView(body.buffer);
    view.setUint32(0, offset, true);
    block.forEach((s, k) => view.setInt16(FixedSize.AUDIO_REQUEST_FIXED + 2 * k, s, true));
    const answer = await this.link.request(MessageType.AUDIO, body);
    if (this.rebooted) throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device on ${this.transport.name} restarted mid-stream`);
    return decodeAudio(answer, offset, offset + block.length);
  }
}

export function decodeAudio(b: Uint8Array, offset: number, end: number): DeviceFrame[] {
  const bad = (why: string): TinymlError =>
    new TinymlError("TML_E_DEVICE_PROTOCOL", `the device's AUDIO answer ${why}`, { hint: "rebuild the wakeword firmware with this tinyml" });
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < FixedSize.AUDIO_RESPONSE_FIXED) throw bad(`has ${b.length} bytes`);
  if (v.getUint32(0, true) !== offset || v.getUint32(4, true) !== end) {
    throw bad(`acknowledges samples ${v.getUint32(0, true)}..${v.getUint32(4, true)}, ${offset}..${end} were sent`);
  }
  const status = v.getInt32(8, true);
  if (status !== 0) throw new TinymlError("TML_E_TEST_FAILED", `a model invoke on the device failed with status ${status} (samples ${offset}..${end})`);
  const count = b[12]!;
  const frames: DeviceFrame[] = [];
  let at = FixedSize.AUDIO_RESPONSE_FIXED;
  for (let k = 0; k < count; k++) {
    if (at + FixedSize.WW_FRAME_FIXED > b.length) throw bad("ends inside a frame record");
    const flags = b[at + 20]!;
    const nFeatures = b[at + 23]!;
    const nScores = b[at + 24]!;
    const data = at + FixedSize.WW_FRAME_FIXED;
    if (data + nFeatures + nScores > b.length) throw bad("ends inside a frame record");
    const hasScores = (flags & WwFrameFlag.SCORES) !== 0;
    frames.push({
      index: v.getUint32(at, true),
      timeMs: v.getUint32(at + 4, true),
      ticks: { frontend: v.getUint32(at + 8, true), classifier: v.getUint32(at + 12, true), smoothing: v.getUint32(at + 16, true) },
      features: new Int8Array(b.slice(data, data + nFeatures).buffer),
      ...(hasScores
        ? {
            scores: new Int8Array(b.slice(data + nFeatures, data + nFeatures + nScores).buffer),
            smoothed: { index: b[at + 21]!, score: b[at + 22]!, isNewCommand: (flags & WwFrameFlag.NEW_COMMAND) !== 0 },
          }
        : {}),
      event: (flags & WwFrameFlag.EVENT) !== 0,
    });
    at = data + nFeatures + nScores;
  }
  if (at !== b.length) throw bad(`has ${b.length - at} trailing bytes`);
  return frames;
}
