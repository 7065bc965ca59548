// The wake-word firmware on the host board: TFLM's clips frame by frame, and
// the whole `tinyml test --wakeword` command on the seeded 62 s labelled stream.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestset } from "../../examples/wakeword/build-testset.js";
import type { TestReport } from "../../src/validate/report.js";
import { wakewordView } from "./report-view.js";
import { tinyml } from "../cli.js";
import { modelPath } from "../fixtures.js";
import { expectGolden, runGoldenClips } from "./harness.js";

describe("wake word on the host board", () => {
  it("streams features, scores and events equal to TFLM's golden and the host pipeline", async () => {
    expectGolden(await runGoldenClips("host"));
  });

  it("tinyml test --wakeword: device events equal host events on a 62 s stream, with FRR, FA/hour, latency and duty cycle", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyml-ww-cli-"));
    await buildTestset({ outDir: join(dir, "set"), synth: false });
    const r = await tinyml(["test", "--wakeword", join(dir, "set"), "--board", "host", modelPath("audio_preprocessor_int8"), "--build-dir", join(dir, "build"), "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = wakewordView(JSON.parse(r.stdout) as TestReport);
    expect(report.status).toBe("pass");
    const stream = report.clips.find((c) => c.name.startsWith("stream"))!;
    expect(stream.durationS).toBeGreaterThanOrEqual(60);
    for (const c of report.clips) expect(c.deviceEvents).toEqual(c.hostEvents);
    expect(report.metrics.occurrences).toBeGreaterThan(10);
    expect(report.metrics.faPerHour).toBeDefined();
    expect(report.metrics.latencyMs?.count).toBeGreaterThan(0);
    expect(report.dutyCycle?.frames).toBe(report.clips.reduce((n, c) => n + c.frames, 0));
  });
});
