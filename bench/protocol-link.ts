// The device protocol's link figures over a real pty (host build of the
// runtime with the fake model, socat pty pair, ASan build): request round
// trip, input/output throughput, and a 1%-fault run's recovery statistics.
// Writes bench/results/protocol-link.json.
//   npx tsx bench/protocol-link.ts
import { rmSync } from "node:fs";
import { DeviceClient } from "../src/device/client.js";
import { SerialTransport } from "../src/device/transport.js";
import { FaultyTransport, buildDevice, fakeModelReference, scratch, seededRandom, startPtyDevice } from "../test/device/harness.js";
import { writeResult } from "./result.js";

const dir = scratch("protocol-link");
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const binary = await buildDevice(dir, "proto");
  const input = new Uint8Array(1000).map((_, i) => (i * 37) & 0xff);

  const dev = await startPtyDevice(binary, dir);
  const client = await DeviceClient.connect(await SerialTransport.open(dev.path));
  const rtt: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    await client.hello();
    rtt.push(performance.now() - t0);
  }
  const rounds = 50;
  let t0 = performance.now();
  for (let i = 0; i < rounds; i++) await client.loadInput(0, input);
  const loadSeconds = (performance.now() - t0) / 1000;
  await client.invoke();
  t0 = performance.now();
  for (let i = 0; i < rounds; i++) await client.readOutput(0);
  const readSeconds = (performance.now() - t0) / 1000;
  await client.close();
  await dev.stop();

  const fdev = await startPtyDevice(binary, dir);
  const line = new FaultyTransport(await SerialTransport.open(fdev.path), 0.01, 1);
  const lossy = await DeviceClient.connect(line, { attemptTimeoutMs: 250, attempts: 8, invokeTimeoutMs: 2000 });
  const rnd = seededRandom(9);
  const cases = 50;
  let correct = 0;
  t0 = performance.now();
  for (let k = 0; k < cases; k++) {
    const x = new Uint8Array(1000).map(() => Math.floor(rnd() * 256));
    await lossy.loadInput(0, x);
    await lossy.invoke({ runs: 3, warmup: 1 });
    const out = await lossy.readOutput(0);
    if (Buffer.from(out).equals(Buffer.from(fakeModelReference(x)[0]))) correct++;
  }
  const faultSeconds = (performance.now() - t0) / 1000;
  const faultStats = lossy.stats;
  await lossy.close();
  await fdev.stop();

  const result = {
    transport: "socat pty pair, serialport 13, device built with -fsanitize=address,undefined",
    roundTripMs: { median: Number(median(rtt).toFixed(3)), p90: Number([...rtt].sort((a, b) => a - b)[Math.floor(rtt.length * 0.9)].toFixed(3)), samples: rtt.length },
    loadInputKiBps: Math.round((rounds * input.length) / 1024 / loadSeconds),
    readOutputKiBps: Math.round((rounds * input.length) / 1024 / readSeconds),
    faults1pct: { cases, correct, seconds: Number(faultSeconds.toFixed(1)), line: line.stats, link: faultStats },
  };
  writeResult("protocol-link", result);
  console.log(JSON.stringify(result, null, 2));
  process.exitCode = correct === cases ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
