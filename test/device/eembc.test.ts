// The EEMBC / MLPerf Tiny runner protocol: tml_eembc.c (host build, fake
// model) driven by EembcClient over a pty, plus the raw replies the
// MLCommons runner parses.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { EembcClient } from "../../src/device/eembc-client.js";
import { SerialTransport } from "../../src/device/transport.js";
import { assertNoSanitizerReport, buildDevice, haveCc, haveSocat, scratch, seededRandom, startPtyDevice, type PtyDevice } from "./harness.js";

const ready = (await haveCc()) && (await haveSocat());
const dir = scratch("eembc");
let binary = "";
let dev: PtyDevice | undefined;
let client: EembcClient | undefined;

beforeAll(async () => {
  if (ready) binary = await buildDevice(dir, "eembc");
});
afterEach(async () => {
  await client?.close();
  await dev?.stop();
  if (dev) assertNoSanitizerReport(dev);
  dev = undefined;
  client = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function connect(): Promise<EembcClient> {
  dev = await startPtyDevice(binary, dir);
  client = new EembcClient(await SerialTransport.open(dev.path));
  await client.sync();
  return client;
}

/**
 * The fake model's output 0 dequantized, ((x ^ 0x5a) + 128) / 256, as the
 * keyword-spotting reference prints it (the default I/O, kws01's): three
 * digits truncated, not rounded.
 */
function expectedResults(input: Uint8Array): number[] {
  return [...input].map((b) => {
    const q = ((b ^ 0x5a) << 24) >> 24;
    return Math.floor((q + 128) * 0.00390625 * 1000) / 1000;
  });
}

describe.skipIf(!ready)("EEMBC runner protocol", () => {
  it("names itself and its profile", async () => {
    const c = await connect();
    expect(await c.name()).toBe("tinyml");
    expect(await c.profile()).toEqual({ firmware: "ULPMark for tinyML Firmware V0.0.1", model: "kws01" });
    expect(await c.command("name")).toEqual(["m-name-dut-[tinyml]"]);
  });

  it("loads a buffer in 31-byte db lines, prints it back, and infers", async () => {
    const c = await connect();
    const r = seededRandom(2);
    const input = new Uint8Array(1000).map(() => Math.floor(r() * 256));
    await c.load(input);
    expect(Buffer.from(await c.print()).equals(Buffer.from(input))).toBe(true);
    const res = await c.infer(5, 3);
    expect(res.warmup).toBe(3);
    expect(res.runs).toBe(5);
    expect(res.endUs).toBeGreaterThanOrEqual(res.startUs);
    expect(res.results).toEqual(expectedResults(input));
    expect(await c.results()).toEqual(res.results);
  });

  it("prints the reply sequence of `infer N W` exactly", async () => {
    const c = await connect();
    await c.load(new Uint8Array(1000).fill(0x5a)); // output 0 = 0 → (0 + 128) / 256 = 0.500
    const lines = await c.command("infer 2 1");
    expect(lines.slice(0, 4)).toEqual(["m-warmup-start-1", "m-warmup-done", "m-infer-start-2", lines[3]]);
    expect(lines[3]).toMatch(/^m-lap-us-\d+$/);
    expect(lines[4]).toMatch(/^m-lap-us-\d+$/);
    expect(lines[5]).toBe("m-infer-done");
    expect(lines[6]).toBe(`m-results-[${Array(1000).fill("0.500").join(",")}]`);
    expect(lines).toHaveLength(7);
    const db = await c.command("db print");
    expect(db[0]).toBe("m-buffer-5a-5a-5a-5a-5a-5a-5a-5a");
    expect(db).toHaveLength(125);
  });

  it("answers errors as e-[…] and always ends with m-ready", async () => {
    const c = await connect();
    expect(await c.command("bogus")).toEqual(["e-[Unknown command: bogus]"]);
    expect(await c.command("db load 0")).toEqual(["e-[Command 'db load' must be >0 bytes]"]);
    expect(await c.command("db load 5000")).toEqual(["e-[Buffer size 5000 exceeds maximum of 1000]"]);
    expect(await c.command("db load 2")).toEqual(["m-[Expecting 2 bytes]"]);
    expect(await c.command("db abc")).toEqual(["e-[Insufficient number of hex digits]"]);
    expect(await c.command("db zz")).toEqual(["e-[Invalid hex digit 'zz']"]);
    expect(await c.command("db 0102ff")).toEqual(["m-load-done"]);
    expect(await c.command("infer 0")).toEqual(["e-[Inference iterations must be >0]"]);
    expect(await c.command("infer 1 -1")).toEqual(["e-[Inference warmup must be >=0]"]);
    expect(await c.command("timestamp")).toEqual([expect.stringMatching(/^m-lap-us-\d+$/)]);
    // An over-long command is refused as a whole, and the device keeps going.
    await c.transport.write(new TextEncoder().encode(`${"x".repeat(100)}%`));
    await new Promise((r) => setTimeout(r, 300)); // let its error and m-ready pass before the next command
    expect(await c.command("name")).toEqual(["m-name-dut-[tinyml]"]);
  });
});
