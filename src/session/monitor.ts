// A serial monitor over a device line (`tinyml monitor`): the device's text
// as it comes, each line that tinyml's firmware prints for a person decoded
// beside it — a wake-word detection as keyword, time and score; a bare-metal
// fault report's PC and LR as function and source line (addr2line on the
// image) — and what the user types sent to the device. Protocol frames
// (binary, between 0x00 delimiters) are counted, not printed.

import type { DeviceLine } from "../device/launch.js";
import { symbolize } from "../toolchain/addr2line.js";

export interface MonitorOptions {
  line: DeviceLine;
  /** The image the device runs, to decode fault addresses (bare metal). */
  elf?: string;
  /** Receives the device's text and the decoded lines (stdout). */
  write: (text: string) => void;
  /** Bytes typed by the user, for the device; resolves when the user ends the monitor. */
  input?: { onData(listener: (b: Uint8Array) => void): void; ended: Promise<void> };
}

export interface MonitorResult {
  /** Why the monitor ended. */
  ended: "user" | "device";
  /** How the device's line closed, when it did. */
  why?: string;
  lines: number;
  /** Bytes of protocol frames seen (not printed). */
  frameBytes: number;
}

const WAKEWORD = /^wakeword: (\S+) score=(\d+) time_ms=(\d+)$/;
const FAULT = /^\*\*\* tinyml: (\S+) at pc=(?:0x)?([0-9a-fA-F]+) lr=(?:0x)?([0-9a-fA-F]+)(?: cfsr=(?:0x)?([0-9a-fA-F]+))?(?: hfsr=(?:0x)?([0-9a-fA-F]+))?/;

/** Decoded companions of one device line (empty for lines that need none). */
export async function decodeLine(text: string, elf?: string): Promise<string[]> {
  const ww = WAKEWORD.exec(text);
  if (ww) return [`  -> keyword '${ww[1]}' at ${(Number(ww[3]) / 1000).toFixed(3)} s, score ${ww[2]} of 255`];
  const f = FAULT.exec(text);
  if (!f) return [];
  const pc = parseInt(f[2]!, 16);
  const lr = parseInt(f[3]!, 16);
  const hfsr = f[5] ? parseInt(f[5], 16) : 0;
  // HFSR.FORCED: a configurable fault (bus, usage, memory) escalated because its handler is off.
  const forced = (hfsr & (1 << 30)) !== 0 ? "; escalated from a configurable fault" : "";
  const out = [`  -> ${f[1]}${f[4] ? ` (CFSR 0x${f[4]}${cfsrWhy(parseInt(f[4], 16))}${forced})` : ""}`];
  const where = elf ? await symbolize(elf, [pc, lr]) : undefined;
  if (!where) {
    out.push(`  -> pc 0x${f[2]}, lr 0x${f[3]} (give the image with --build-dir to see functions and lines)`);
    return out;
  }
  out.push(`  -> pc 0x${f[2]} in ${where[0]!.function} at ${where[0]!.where}`, `  -> lr 0x${f[3]} in ${where[1]!.function} at ${where[1]!.where}`);
  return out;
}

/** The Configurable Fault Status Register's most telling bits, in words. */
function cfsrWhy(cfsr: number): string {
  const bits: Array<[number, string]> = [
    [1 << 0, "instruction access violation"], [1 << 1, "data access violation"], [1 << 8, "instruction bus error"],
    [1 << 9, "precise data bus error"], [1 << 10, "imprecise data bus error"], [1 << 16, "undefined instruction"],
    [1 << 17, "invalid state"], [1 << 24, "unaligned access"], [1 << 25, "divide by zero"],
  ];
  const why = bits.filter(([b]) => (cfsr & b) !== 0).map(([, w]) => w);
  return why.length > 0 ? `: ${why.join(", ")}` : "";
}

export async function runMonitor(opts: MonitorOptions): Promise<MonitorResult> {
  let pending = "";
  let inFrame = false;
  let frameBytes = 0;
  let lines = 0;
  let chain = Promise.resolve();
  // Lines are written in order, each followed by its decoding (addr2line is a process).
  const flushLine = (text: string): void => {
    lines++;
    chain = chain.then(async () => {
      opts.write(`${text}\n`);
      for (const d of await decodeLine(text, opts.elf)) opts.write(`${d}\n`);
    });
  };
  const off = opts.line.transport.onData((chunk) => {
    for (const byte of chunk) {
      // A 0x00 opens or closes a protocol frame; text never contains one.
      if (byte === 0) {
        inFrame = !inFrame;
        frameBytes++;
        continue;
      }
      if (inFrame) {
        frameBytes++;
        continue;
      }
      if (byte === 0x0a) {
        flushLine(pending.replace(/\r$/, ""));
        pending = "";
      } else {
        pending += String.fromCharCode(byte);
      }
    }
  });
  opts.input?.onData((b) => void opts.line.transport.write(b).catch(() => undefined));
  let why: string | undefined;
  const deviceGone = new Promise<"device">((resolve) => {
    opts.line.transport.onClose((e) => {
      why = e?.message;
      resolve("device");
    });
  });
  const ended = await Promise.race([deviceGone, (opts.input?.ended ?? new Promise<never>(() => undefined)).then(() => "user" as const)]);
  off();
  if (pending) flushLine(pending);
  await chain;
  return { ended, ...(why ? { why } : {}), lines, frameBytes };
}
