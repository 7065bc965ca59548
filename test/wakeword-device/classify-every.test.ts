// --classify-every 3 compiled into the wake-word firmware (TML_WW_CLASSIFY_EVERY)
// and run by the host pipeline alike: on the host board and on qemu-m4 every
// frame's features, scores, smoothing and events equal the host's, the
// classifier runs on one frame in three, and the duty cycle is reported at
// the board's own clock.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestset } from "../../examples/wakeword/build-testset.js";
import type { TestReport } from "../../src/validate/report.js";
import { haveQemu } from "../baremetal/images.js";
import { tinyml } from "../cli.js";
import { modelPath } from "../fixtures.js";
import { wakewordView } from "./report-view.js";

const dir = mkdtempSync(join(tmpdir(), "tinyml-ww-every-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await buildTestset({ outDir: join(dir, "set"), synth: false, seconds: 20 });
});

describe.each([["host", 1e9], ["qemu-m4", 25e6]] as const)("--classify-every 3 on %s", (board, clockHz) => {
  it("device frames equal the host's; one frame in three classified; duty cycle at the board's clock", async (ctx) => {
    if (board !== "host" && !(await haveQemu())) return ctx.skip();
    const r = await tinyml(["test", "--wakeword", join(dir, "set"), "--board", board, modelPath("micro_speech_quantized"), "--classify-every", "3",
      "--build-dir", join(dir, `build-${board}`), "--scores", join(dir, `${board}.csv`), "--json"]);
    expect([0, 1]).toContain(r.exitCode);
    const v = wakewordView(JSON.parse(r.stdout) as TestReport);
    expect(v.status, JSON.stringify(v.clips.map((c) => c.mismatches))).toBe("pass");
    for (const c of v.clips) {
      expect(c.mismatches).toEqual([]);
      expect(c.deviceEvents).toEqual(c.hostEvents);
    }
    const scored = v.clips.reduce((n, c) => n + Math.ceil(Math.max(0, c.frames - 48) / 3), 0);
    const stats = v.instructions ?? v.ticks;
    expect(stats.classifier?.count).toBe(scored);
    expect(v.metrics.detected).toBeGreaterThan(0);
    // The CSV has scores on exactly the classified frames.
    const rows = readFileSync(join(dir, `${board}.csv`), "utf8").trimEnd().split("\n").slice(2).map((l) => l.split(","));
    for (const c of v.clips) {
      const mine = rows.filter((x) => x[1] === c.name);
      expect(mine.length).toBe(c.frames);
      expect(mine.filter((x) => x[4] !== "").map((x) => Number(x[2]))).toEqual(mine.map((_, i) => i).filter((i) => i >= 48 && (i - 48) % 3 === 0));
    }
    expect(v.boardDutyCycle).toMatchObject({ board, clockHz, classifyEvery: 3, basis: board === "host" ? "timer" : "instructions" });
    console.log(`${board} --classify-every 3: ${v.clips.reduce((n, c) => n + c.frames, 0)} frames, ${scored} classified; duty at ${clockHz / 1e6} MHz mean ` +
      `${(v.boardDutyCycle!.duty.mean * 100).toFixed(1)}%, max ${(v.boardDutyCycle!.duty.max * 100).toFixed(1)}%; FRR ${(v.metrics.frr * 100).toFixed(1)}%`);
  });
});
