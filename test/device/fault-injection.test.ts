// A 1%-lossy line: in both directions, 0.5% of bytes are dropped and 0.5%
// corrupted (by a seeded in-process proxy between the client and the pty).
// Every case must still complete with bit-exact outputs.
import { afterAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { DeviceClient } from "../../src/device/client.js";
import { SerialTransport } from "../../src/device/transport.js";
import {
  FaultyTransport, assertNoSanitizerReport, buildDevice, fakeModelReference, haveCc, haveSocat, scratch, seededRandom, startPtyDevice,
} from "./harness.js";

const ready = (await haveCc()) && (await haveSocat());
const dir = scratch("fault");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!ready)("1% byte loss and corruption", () => {
  it("completes every case with correct results", async () => {
    const dev = await startPtyDevice(await buildDevice(dir, "proto"), dir);
    const line = new FaultyTransport(await SerialTransport.open(dev.path), 0.01, 20240601);
    const client = await DeviceClient.connect(line, { attemptTimeoutMs: 250, attempts: 8, invokeTimeoutMs: 2000 });
    const rnd = seededRandom(5);
    const cases = 12;
    let correct = 0;
    try {
      for (let k = 0; k < cases; k++) {
        const input = new Uint8Array(1000).map(() => Math.floor(rnd() * 256));
        await client.loadInput(0, input);
        const r = await client.invoke({ runs: 3, warmup: 1 });
        const [x, s] = fakeModelReference(input);
        const out0 = await client.readOutput(0);
        const out1 = await client.readOutput(1);
        const prof = await client.profile();
        if (r.status === 0 && r.ticks.length === 3 && Buffer.from(out0).equals(Buffer.from(x)) && Buffer.from(out1).equals(Buffer.from(s)) && prof.ticks.length === 3) correct++;
      }
      expect(correct).toBe(cases);
      const damaged = line.stats.toDevice.dropped + line.stats.toDevice.corrupted + line.stats.fromDevice.dropped + line.stats.fromDevice.corrupted;
      expect(damaged).toBeGreaterThan(100); // the proxy really did damage the line
      expect(client.stats.retransmits).toBeGreaterThan(0);
      console.log(`1% faults: ${cases} cases, ${damaged} bytes damaged, link ${JSON.stringify(client.stats)}`);
    } finally {
      await client.close();
      await dev.stop();
    }
    assertNoSanitizerReport(dev);
  });
});
