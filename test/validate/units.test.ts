// The small pieces of `tinyml test`: the hardware-map reader, shards, the
// port lock, exact comparison messages and the float metrics.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockPort } from "../../src/device/port-lock.js";
import { isTinymlError } from "../../src/errors.js";
import { parseYamlList, readHardwareMap } from "../../src/session/hardware-map.js";
import { parseShard, shardCases, type TestCase } from "../../src/validate/inputs.js";
import { floatMetrics } from "../../src/validate/metrics.js";
import { scratch } from "./helpers.js";

describe("hardware map", () => {
  it("reads twister's list of boards, with comments, quotes, lists and connected: false", () => {
    const file = join(scratch("map"), "map.yaml");
    writeFileSync(file, [
      "---",
      "- connected: true",
      "  id: '000683290670'",
      "  platform: nano33ble",
      "  product: J-Link   # the probe",
      "  runner: jlink",
      '  serial: "/dev/ttyACM0"',
      "  fixtures:",
      "    - gpio_loopback",
      "    - uart",
      "- id: spare",
      "  platform: qemu-m4",
      "  connected: false",
      "  runner_params: [--speed, 4000]",
    ].join("\n"));
    expect(readHardwareMap(file)).toEqual([
      { id: "000683290670", platform: "nano33ble", serial: "/dev/ttyACM0", connected: true, line: 2 },
      { id: "spare", platform: "qemu-m4", connected: false, line: 11 },
    ]);
    expect(parseYamlList("- a: 1\n  b:\n    - x\n    - y\n", "f")[0]!.fields.get("b")).toEqual(["x", "y"]);
  });

  it("names the line of what it cannot read", () => {
    for (const bad of ["id: a\n", "- id: a\nplatform: host\n", "- id: a\n  platform host\n"]) {
      let err: unknown;
      try {
        parseYamlList(bad, "rig.yaml");
      } catch (e) {
        err = e;
      }
      expect(isTinymlError(err) && err.code === "TML_E_USAGE" && /line \d/.test(err.location?.detail ?? "")).toBe(true);
    }
  });
});

describe("shards", () => {
  const cases: TestCase[] = Array.from({ length: 7 }, (_, i) => ({ name: `c${i}`, sources: [], data: [] }));
  it("partition the cases: each exactly once, sizes within one", () => {
    for (const n of [1, 2, 3, 7, 9]) {
      const parts = Array.from({ length: n }, (_, i) => shardCases(cases, parseShard(`${i + 1}/${n}`)).map((c) => c.name));
      expect(parts.flat().sort()).toEqual(cases.map((c) => c.name));
      expect(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length))).toBeLessThanOrEqual(1);
    }
  });
  it("reject malformed specs", () => {
    for (const s of ["0/2", "3/2", "1", "a/b", "1/0"]) expect(() => parseShard(s)).toThrow(/--shard/);
  });
});

describe("port lock", () => {
  it("is exclusive, names the holder, and is free again after release", async () => {
    const port = join(scratch("lock"), "ttyFAKE0");
    const lock = await lockPort(port);
    await expect(lockPort(port, 300)).rejects.toThrow(new RegExp(`locked by another tinyml run \\(pid ${process.pid}\\)`));
    lock.release();
    (await lockPort(port, 0)).release();
  });
  it("takes over a lock whose owner is gone", async () => {
    const port = join(scratch("lock"), "ttyFAKE1");
    const first = await lockPort(port);
    writeFileSync(first.path, "999999999\n");
    (await lockPort(port, 0)).release();
  });
});

describe("float metrics", () => {
  it("match hand-computed values", () => {
    const m = floatMetrics([1, 0, 0], [0.5, 0.5, 0], true);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.5 / 3), 12);
    expect(m.mae).toBeCloseTo(1 / 3, 12);
    expect(m.l2r).toBeCloseTo(Math.sqrt(0.5) / Math.sqrt(0.5), 12);
    expect(m.cosine).toBeCloseTo(0.5 / Math.sqrt(0.5), 12);
    expect(m.top1Agreement).toBe(1);
    expect(floatMetrics([2, 4], [2, 4], false)).toEqual({ rmse: 0, mae: 0, l2r: 0, cosine: 1 });
  });
});
