// The device runtime (firmware/runtime, compiled for the host under
// ASan/UBSan with a fake model) driven by DeviceClient through a real pty
// pair: every request, the failure modes a rig meets, and their errors.
import { scaledTimeout } from "../../src/util/load.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { DeviceClient, isDeviceResetError } from "../../src/device/client.js";
import { FrameDecoder, encodeFrame } from "../../src/device/frame.js";
import { MessageType, RESPONSE_FLAG } from "../../src/device/protocol.js";
import { SerialTransport, type Transport } from "../../src/device/transport.js";
import { isTinymlError } from "../../src/errors.js";
import {
  assertNoSanitizerReport, buildDevice, fakeModelReference, haveCc, haveSocat, scratch, seededRandom, startPtyDevice, type PtyDevice,
} from "./harness.js";

const ready = (await haveCc()) && (await haveSocat());
const dir = scratch("device-link");
let binary = "";
const running: Array<{ dev: PtyDevice; client?: DeviceClient }> = [];

beforeAll(async () => {
  if (ready) binary = await buildDevice(dir, "proto");
});
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.client?.close().catch(() => undefined);
    await r.dev.stop();
    assertNoSanitizerReport(r.dev);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(opts: Parameters<typeof DeviceClient.connect>[1] = {}): Promise<{ dev: PtyDevice; client: DeviceClient; transport: SerialTransport }> {
  const dev = await startPtyDevice(binary, dir);
  const entry: { dev: PtyDevice; client?: DeviceClient } = { dev };
  running.push(entry);
  const transport = await SerialTransport.open(dev.path);
  const client = await DeviceClient.connect(transport, opts);
  entry.client = client;
  return { dev, client, transport };
}

const randomInput = (seed: number): Uint8Array => {
  const r = seededRandom(seed);
  return new Uint8Array(1000).map(() => Math.floor(r() * 256));
};

async function runCase(client: DeviceClient, input: Uint8Array): Promise<void> {
  await client.loadInput(0, input);
  const r = await client.invoke({ runs: 3, warmup: 2 });
  expect(r.status).toBe(0);
  expect(r.ticks).toHaveLength(3);
  const [x, s] = fakeModelReference(input);
  expect(Buffer.from(await client.readOutput(0)).equals(Buffer.from(x))).toBe(true);
  expect([...(await client.readOutput(1))]).toEqual([...s]);
}

/** Removes the device's boot HELLO frames: a reset whose announcement was lost on the line. */
class BootHelloFilter implements Transport {
  private readonly decoder = new FrameDecoder();
  constructor(private readonly inner: Transport) {}
  get name(): string { return this.inner.name; }
  write(d: Uint8Array): Promise<void> { return this.inner.write(d); }
  onData(listener: (c: Uint8Array) => void): () => void {
    return this.inner.onData((chunk) => {
      for (const m of this.decoder.push(chunk)) {
        if (m.type === (MessageType.HELLO | RESPONSE_FLAG) && m.id === 0) continue;
        listener(encodeFrame(m.type, m.id, m.body, m.version));
      }
    });
  }
  onClose(l: (e?: Error) => void): () => void { return this.inner.onClose(l); }
  close(): Promise<void> { return this.inner.close(); }
}

describe.skipIf(!ready)("device protocol over a pty", () => {
  it("reports the firmware's provenance and tensors", async () => {
    const { client } = await start();
    const info = await client.info();
    expect(info).toMatchObject({
      protocolVersion: 1, boardId: "host-test", runtime: "fake", tinymlVersion: "0.1.0-test", timerHz: 1e9,
      arenaBytes: 2004, stageBytes: 1000, modelInitOk: true, inputCount: 1, outputCount: 2,
      modelSha256: "00112233445566778899aabbccddeeff0123456789abcdef0123456789abcdef",
    });
    expect(info.inputs[0]).toEqual({ direction: "input", index: 0, name: "input", type: 9, shape: [1, 1000], scale: 0.5, zeroPoint: -3, bytes: 1000 });
    expect(info.outputs.map((o) => [o.name, o.type, o.shape, o.bytes])).toEqual([["xored", 9, [1, 1000], 1000], ["sum", 2, [1], 4]]);
  });

  it("round-trips LOAD_INPUT, INVOKE, READ_OUTPUT and PROFILE bit-exactly", async () => {
    const { client } = await start();
    for (let seed = 1; seed <= 5; seed++) await runCase(client, randomInput(seed));
    const profile = await client.profile();
    expect(profile.ticks).toHaveLength(3);
    expect(client.stats.retransmits).toBe(0);
  });

  it("batches more runs than one frame holds, after warm-ups on fresh inputs", async () => {
    const { client } = await start();
    const input = randomInput(9);
    await client.loadInput(0, input);
    const r = await client.invoke({ runs: 150, warmup: 5 });
    expect(r.ticks).toHaveLength(150);
    expect(r.ticks.every((t) => t > 0)).toBe(true);
    // The model overwrites its input; staging restores it before every run.
    expect(Buffer.from(await client.readOutput(0)).equals(Buffer.from(fakeModelReference(input)[0]))).toBe(true);
  });

  it("reports a failing invoke's status and op", async () => {
    const { client } = await start();
    const input = randomInput(3);
    input[0] = 0x7f;
    input[1] = 0x7f;
    await client.loadInput(0, input);
    expect(await client.invoke({ runs: 4 })).toEqual({ status: 3, failedOp: 1, ticks: [] });
  });

  it("rejects a wrong-sized input with the tensor's size", async () => {
    const { client } = await start();
    await expect(client.loadInput(0, new Uint8Array(999))).rejects.toMatchObject({ code: "TML_E_INPUT_MISMATCH" });
    await expect(client.readOutput(5)).rejects.toMatchObject({ code: "TML_E_INPUT_MISMATCH" });
  });

  it("resets on request and keeps serving", async () => {
    const { client, dev } = await start();
    const pid = await dev.pid();
    await client.loadInput(0, randomInput(4));
    await client.reset();
    expect(await dev.pid()).toBe(pid); // re-executed in place, as a board reboots
    await runCase(client, randomInput(5));
  });

  it("detects an unexpected reset (boot HELLO) mid-run, then re-syncs and retries", async () => {
    const { client, dev } = await start();
    await client.loadInput(0, randomInput(6));
    process.kill(await dev.pid(), "SIGUSR1");
    let error: unknown;
    const deadline = Date.now() + 5000;
    while (!error && Date.now() < deadline) {
      try {
        await client.info();
        await client.invoke({ runs: 1 });
        await new Promise((r) => setTimeout(r, 50));
      } catch (e) {
        error = e;
      }
    }
    expect(isDeviceResetError(error)).toBe(true);
    await expect(client.invoke()).rejects.toSatisfy(isDeviceResetError); // stays out of sync until hello()
    await client.hello();
    await runCase(client, randomInput(6));
  });

  it("detects a reset whose boot HELLO was lost (NO_SESSION)", async () => {
    const dev = await startPtyDevice(binary, dir);
    const entry: { dev: PtyDevice; client?: DeviceClient } = { dev };
    running.push(entry);
    const client = await DeviceClient.connect(new BootHelloFilter(await SerialTransport.open(dev.path)));
    entry.client = client;
    await client.loadInput(0, randomInput(7));
    process.kill(await dev.pid(), "SIGUSR1");
    await new Promise((r) => setTimeout(r, 300));
    await expect(client.invoke()).rejects.toSatisfy(isDeviceResetError);
    await client.hello();
    await runCase(client, randomInput(7));
  });

  it("ignores garbage on the line at connect", async () => {
    const dev = await startPtyDevice(binary, dir);
    const entry: { dev: PtyDevice; client?: DeviceClient } = { dev };
    running.push(entry);
    const transport = await SerialTransport.open(dev.path);
    const r = seededRandom(11);
    await transport.write(new TextEncoder().encode("AT+RESET\r\n\x1b[2J"));
    await transport.write(new Uint8Array(700).map(() => Math.floor(r() * 256)));
    const client = await DeviceClient.connect(transport);
    entry.client = client;
    await runCase(client, randomInput(8));
  });

  it("answers a retransmitted request from its cache, without running it twice", async () => {
    const dev = await startPtyDevice(binary, dir);
    const entry: { dev: PtyDevice; client?: DeviceClient } = { dev };
    running.push(entry);
    const transport = await SerialTransport.open(dev.path);
    const decoder = new FrameDecoder();
    const got: Array<{ type: number; id: number; body: Uint8Array }> = [];
    transport.onData((c) => got.push(...decoder.push(c)));
    await transport.write(encodeFrame(MessageType.HELLO, 40));
    const invoke = encodeFrame(MessageType.INVOKE, 41, new Uint8Array([1, 0, 0, 0]));
    await transport.write(invoke);
    await transport.write(invoke);
    const deadline = Date.now() + 3000;
    while (got.filter((m) => m.id === 41).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const answers = got.filter((m) => m.id === 41);
    expect(answers).toHaveLength(2);
    expect(Buffer.from(answers[0].body).equals(Buffer.from(answers[1].body))).toBe(true); // same ticks: one run, answered twice
    await transport.close();
  });

  it("fails with TML_E_DEVICE_TIMEOUT, not a hang, when the device stops answering", async () => {
    const { client, dev } = await start({ attemptTimeoutMs: 200, attempts: 3, invokeTimeoutMs: 400 });
    await client.loadInput(0, randomInput(1));
    const pid = await dev.pid();
    process.kill(pid, "SIGSTOP");
    const t0 = Date.now();
    try {
      await expect(client.invoke({ runs: 2 })).rejects.toMatchObject({ code: "TML_E_DEVICE_TIMEOUT" });
      // Three attempts of 200 ms, stretched by the machine's load (src/util/load.ts): bounded, not a hang.
      expect(Date.now() - t0).toBeLessThan(scaledTimeout(3000));
    } finally {
      process.kill(pid, "SIGCONT");
    }
  });

  it("fails with a typed error within the timeout when the device is killed mid-run", async () => {
    const { client, dev } = await start({ attemptTimeoutMs: 200, attempts: 3 });
    await client.loadInput(0, randomInput(2));
    process.kill(await dev.pid(), "SIGKILL");
    const t0 = Date.now();
    let error: unknown;
    try {
      for (let i = 0; i < 50; i++) await client.readOutput(0);
    } catch (e) {
      error = e;
    }
    expect(isTinymlError(error) && ["TML_E_DEVICE_TIMEOUT", "TML_E_DEVICE_PROTOCOL"].includes(error.code)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("names a missing port with TML_E_PORT_NOT_FOUND", async () => {
    await expect(SerialTransport.open(`${dir}/no-such-tty`)).rejects.toMatchObject({ code: "TML_E_PORT_NOT_FOUND" });
  });
});
