// Shared by the `tinyml test` tests: the golden cases of the shared models,
// a scratch directory, and running the CLI for its JSON report.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { TestReport } from "../../src/validate/report.js";
import { repoRoot, tinyml, type CliResult } from "../cli.js";

export const goldenInputs = join(repoRoot, "test", "fixtures", "golden", "inputs");
export const modelPath = (name: string): string => join(repoRoot, "test", "fixtures", "models", `${name}.tflite`);

/** The golden cases of a model: <model>.<case>.in0.bin in TFLM's golden inputs. */
export function goldenCases(model: string): string[] {
  return readdirSync(goldenInputs).filter((f) => f.startsWith(`${model}.`) && /\.in\d+\.bin$/.test(f)).map((f) => f.replace(/\.in\d+\.bin$/, ""));
}

export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tinyml-${prefix}-`));
}

export interface JsonRun extends CliResult {
  report: TestReport;
}

export async function testJson(args: string[], env?: Record<string, string>): Promise<JsonRun> {
  const r = await tinyml(["test", ...args, "--json"], env ? { env } : {});
  let report: TestReport;
  try {
    report = JSON.parse(r.stdout) as TestReport;
  } catch {
    throw new Error(`tinyml test ${args.join(" ")} exited ${r.exitCode} without a JSON report:\n${r.stderr}\n${r.stdout}`);
  }
  return { ...r, report };
}

/** Every golden case ran on the board, bit-exact, with latency figures. */
export function expectAllGoldenPass(run: JsonRun, model: string, opts: { instructions: boolean }): void {
  expect(run.exitCode, run.stderr).toBe(0);
  const board = run.report.boards[0]!;
  expect(board.status).toBe("pass");
  expect(board.checks.find((c) => c.name === "model hash")?.status).toBe("pass");
  expect(board.cases.map((c) => c.name).sort()).toEqual(goldenCases(model).sort());
  for (const c of board.cases) {
    expect(c.status).toBe("pass");
    expect(c.outputs.length).toBeGreaterThan(0);
    expect(c.outputs.every((o) => o.exact && o.mismatches === 0)).toBe(true);
    expect(c.ticks.length).toBeGreaterThan(0);
  }
  const l = board.latency!;
  expect(l.runs).toBe(board.cases.reduce((n, c) => n + c.ticks.length, 0));
  expect(l.us.median).toBeGreaterThan(0);
  expect(l.ticks.min).toBeLessThanOrEqual(l.ticks.median);
  expect(l.ticks.median).toBeLessThanOrEqual(l.ticks.max);
  if (opts.instructions) expect(l.instructions!.median).toBe(l.ticks.median * 40);
  else expect(l.instructions).toBeUndefined();
}
