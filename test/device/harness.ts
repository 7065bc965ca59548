// Shared pieces of the device protocol tests: building the C runtime for the
// host under ASan/UBSan, running it behind a real pty pair made by socat, and
// a transport that damages bytes in flight.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";
import { requireTool } from "../cli.js";
import type { Transport } from "../../src/device/transport.js";

export const runtimeDir = fileURLToPath(new URL("../../firmware/runtime/", import.meta.url));
export const halDir = fileURLToPath(new URL("../../firmware/hal/", import.meta.url));
export const fixturesDir = fileURLToPath(new URL("./fixtures/", import.meta.url));

export const STRICT = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"];
export const SANITIZE = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-fno-omit-frame-pointer"];
/** LeakSanitizer needs ptrace, which containers often forbid; the runtime never allocates anyway. */
export const SANITIZER_ENV = { ASAN_OPTIONS: "detect_leaks=0:abort_on_error=1", UBSAN_OPTIONS: "print_stacktrace=1" };

const PROTOCOL_SOURCES = ["tml_cobs.c", "tml_crc.c", "tml_protocol.c", "tml_proto_server.c", "tml_profile.c", "tml_input_stage.c"];

export type DeviceApp = "proto" | "eembc";

export async function haveCc(): Promise<boolean> {
  return requireTool("cc", "apt-get install build-essential");
}

export async function haveSocat(): Promise<boolean> {
  return requireTool("socat", "apt-get install socat");
}

export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tinyml-${prefix}-`));
}

/** Compiles the device runtime, one app, the fake model and the host board's HAL into `dir/device-<app>`. */
export async function buildDevice(dir: string, app: DeviceApp): Promise<string> {
  const out = join(dir, `device-${app}`);
  const sources = [
    ...PROTOCOL_SOURCES.map((f) => join(runtimeDir, f)),
    join(runtimeDir, app === "proto" ? "tml_proto_app.c" : "tml_eembc.c"),
    join(runtimeDir, "tml_main.c"),
    join(fixturesDir, "fake_model.c"),
    // The host board's own HAL: the protocol tests run the product's serial line.
    join(halDir, "host", "tml_hal_host.c"),
  ];
  await execa("cc", [
    ...STRICT, ...SANITIZE,
    "-DTML_APP_INPUT_STAGE_BYTES=1000", '-DTML_RUNTIME_NAME="fake"', '-DTML_VERSION="0.1.0-test"',
    '-DTML_EEMBC_MODEL_ID="kws01"', '-DTML_BOARD_ID="host-test"', `-I${runtimeDir}`, `-I${halDir}`, ...sources, "-o", out,
  ]);
  return out;
}

export interface PtyDevice {
  /** The host end of the pty pair: open it with SerialTransport. */
  path: string;
  /** The device process id (it writes it at start-up and again after each reset). */
  pid(): Promise<number>;
  /** Sanitizer reports and anything else the device wrote to stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Runs `binary` with its stdin/stdout on one end of a socat pty pair and
 * returns the other end's path, the way a board appears on /dev/ttyACM0.
 */
export async function startPtyDevice(binary: string, dir: string): Promise<PtyDevice> {
  const link = join(dir, `tty-${Math.random().toString(36).slice(2, 8)}`);
  const pidfile = `${link}.pid`;
  let errors = "";
  const proc: ResultPromise = execa("socat", [`PTY,raw,echo=0,link=${link}`, `EXEC:${binary},pty,raw,echo=0`], {
    env: { ...process.env, ...SANITIZER_ENV, TML_HOST_PIDFILE: pidfile },
    reject: false,
    stdin: "ignore",
  });
  proc.stderr?.on("data", (d: Buffer) => (errors += d.toString()));
  const started = Date.now();
  while (!existsSync(link) || !existsSync(pidfile)) {
    if (Date.now() - started > 5000) throw new Error(`socat did not create ${link}: ${errors}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    path: link,
    async pid() {
      return Number(readFileSync(pidfile, "utf8").trim());
    },
    stderr: () => errors,
    async stop() {
      proc.kill("SIGTERM");
      await proc;
      rmSync(pidfile, { force: true });
    },
  };
}

/** Fails with the sanitizer's report if the device hit one. */
export function assertNoSanitizerReport(dev: PtyDevice): void {
  const text = dev.stderr();
  if (/AddressSanitizer|runtime error:|UndefinedBehaviorSanitizer/.test(text)) throw new Error(`sanitizer report from the device:\n${text}`);
}

/** xorshift32: reproducible damage from a seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export interface FaultStats {
  bytes: number;
  dropped: number;
  corrupted: number;
}

/**
 * Sits between a client and the real transport and, in both directions,
 * drops `rate/2` and corrupts (xor with a non-zero byte) `rate/2` of the bytes.
 */
export class FaultyTransport implements Transport {
  readonly stats = { toDevice: { bytes: 0, dropped: 0, corrupted: 0 } as FaultStats, fromDevice: { bytes: 0, dropped: 0, corrupted: 0 } as FaultStats };
  private readonly random: () => number;

  constructor(private readonly inner: Transport, private readonly rate: number, seed: number) {
    this.random = seededRandom(seed);
  }

  get name(): string {
    return `${this.inner.name} (1% faults)`;
  }

  private damage(data: Uint8Array, s: FaultStats): Uint8Array {
    const out: number[] = [];
    for (const b of data) {
      s.bytes++;
      const r = this.random();
      if (r < this.rate / 2) {
        s.dropped++;
      } else if (r < this.rate) {
        s.corrupted++;
        out.push(b ^ (1 + Math.floor(this.random() * 255)));
      } else {
        out.push(b);
      }
    }
    return new Uint8Array(out);
  }

  write(data: Uint8Array): Promise<void> {
    return this.inner.write(this.damage(data, this.stats.toDevice));
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.inner.onData((chunk) => listener(this.damage(chunk, this.stats.fromDevice)));
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.inner.onClose(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The fake model's reference: output 0 = input ^ 0x5a; output 1 = sum of the input as int8, int32 LE. */
export function fakeModelReference(input: Uint8Array): [Uint8Array, Uint8Array] {
  const xored = input.map((b) => b ^ 0x5a);
  let sum = 0;
  for (const b of input) sum += (b << 24) >> 24;
  const s = new Uint8Array(4);
  new DataView(s.buffer).setInt32(0, sum, true);
  return [xored, s];
}
