// The small things a new user trips on, each a clear usage error with the
// next step and exit code 2, never a yargs one-liner or a stack trace.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { ExitCodes } from "../../src/errors.js";
import { tinyml } from "../cli.js";
import { modelPath } from "../fixtures.js";

// Outside any project directory, so no tinyml.yaml above fills anything in.
const cwd = mkdtempSync(`${tmpdir()}/tinyml-usage-`);
const run = (args: string[]) => tinyml(args, { cwd });

function usage(r: { exitCode: number; stderr: string }): string {
  expect(r.exitCode, r.stderr).toBe(ExitCodes.usage);
  expect(r.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
  return r.stderr;
}

describe("usage errors", () => {
  it("refuses --dry-run with --plan-only instead of doing only one", async () => {
    expect(usage(await run(["build", modelPath("hello_world_int8"), "--dry-run", "--plan-only"])))
      .toMatch(/--plan-only and --dry-run ask for different things\n.*hint: --plan-only prints the planned budget/s);
  });

  it("suggests the option meant for a misspelt one", async () => {
    expect(usage(await run(["build", "--boards", "host", modelPath("hello_world_int8")]))).toMatch(/Unknown argument: boards Did you mean --board \(not --boards\)\?/);
    expect(usage(await run(["test", "--bord", "host", "--runz", "2"]))).toMatch(/Did you mean --board \(not --bord\)\? Did you mean --runs \(not --runz\)\?/);
  });

  it("says a MODEL is needed, and where it can come from", async () => {
    for (const command of ["build", "test", "inspect", "quantize"]) {
      expect(usage(await run([command, ...(command === "quantize" ? ["--calib", "random", "-o", "x.tflite"] : [])])))
        .toMatch(new RegExp(`tinyml ${command} needs a MODEL: a \\.tflite, .*\\n.*hint: .*set \`model:\` in a tinyml\\.yaml`, "s"));
    }
  });

  it("names options the project file may give when neither gives them", async () => {
    expect(usage(await run(["flash"]))).toMatch(/tinyml flash needs --board: .*\n.*hint: Give --board, or set `board:`/s);
    expect(usage(await run(["quantize", modelPath("hello_world_float"), "-o", "x.tflite"]))).toMatch(/tinyml quantize needs --calib/);
  });

  it("says an int8 model is already quantized", async () => {
    const e = usage(await run(["quantize", modelPath("hello_world_int8"), "--calib", "random", "-o", `${cwd}/again.tflite`]));
    expect(e).toMatch(/hello_world_int8\.tflite is already quantized \(tensor '.*' is int8\): there is nothing to quantize/);
    expect(e).not.toMatch(/Float32Array/);
  });
});
