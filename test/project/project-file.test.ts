// tinyml.yaml as the CLI reads it: found upward, layered (file, command
// section, environment, environment's section; the command line over all),
// paths relative to the file, and every mistake reported at its line and
// column with a "did you mean". Pure: no compiler, no device.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands.js";
import { applyProject, buildOptionTable, registerOptionTable } from "../../src/cli/project.js";
import { isTinymlError, type TinymlError } from "../../src/errors.js";
import { commandSettings } from "../../src/project-file/apply.js";
import { findProjectFile, readProjectFile } from "../../src/project-file/load.js";

const { table } = buildOptionTable(commands);
registerOptionTable(buildOptionTable(commands));

function project(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tinyml-project-"));
  writeFileSync(join(dir, "tinyml.yaml"), text);
  return dir;
}

function failure(text: string): TinymlError {
  const dir = project(text);
  try {
    readProjectFile(join(dir, "tinyml.yaml"), table);
  } catch (e) {
    if (isTinymlError(e)) return e;
    throw e;
  }
  throw new Error("the file was accepted");
}

const FILE = `model: models/kws.tflite
board: nano33ble
runs: 5
test:
  random: 20
  junit: reports/junit.xml
environments:
  m4:
    board: qemu-m4
    build-dir: build/m4
    test:
      random: 3
`;

describe("tinyml.yaml", () => {
  it("is found in the working directory or any above it", () => {
    const dir = project(FILE);
    mkdirSync(join(dir, "src", "deep"), { recursive: true });
    expect(findProjectFile(join(dir, "src", "deep"))).toBe(join(dir, "tinyml.yaml"));
    expect(findProjectFile(tmpdir())).toBeUndefined();
  });

  it("layers the file, the command's section and the environment; paths are the file's", () => {
    const dir = project(FILE);
    const p = readProjectFile(join(dir, "tinyml.yaml"), table);
    expect(commandSettings(p, "test", table).values).toEqual({
      model: join(dir, "models/kws.tflite"), board: "nano33ble", runs: 5, random: 20, junit: join(dir, "reports/junit.xml"),
    });
    expect(commandSettings(p, "test", table, "m4").values).toMatchObject({ board: "qemu-m4", "build-dir": join(dir, "build/m4"), random: 3, runs: 5 });
    // Options a command does not take are not given to it.
    expect(commandSettings(p, "build", table).values).toEqual({ model: join(dir, "models/kws.tflite"), board: "nano33ble" });
  });

  it("yields to what the command line gives, in any spelling", () => {
    const dir = project(FILE);
    const args: Record<string, unknown> = { board: "host", runs: 1, model: undefined };
    applyProject("test", args, ["test", "--board", "host", "--runs=1"], dir);
    expect(args).toMatchObject({ board: "host", runs: 1, model: join(dir, "models/kws.tflite"), random: 20 });
    const positional: Record<string, unknown> = { model: "other.tflite" };
    applyProject("build", positional, ["build", "other.tflite"], dir);
    expect(positional).toMatchObject({ model: "other.tflite", board: "nano33ble" });
  });

  it("names the line and column of an unknown key, with the option meant", () => {
    const e = failure("model: m.tflite\ntest:\n  randum: 3\n");
    expect(e.code).toBe("TML_E_PROJECT_INVALID");
    expect(e.message).toMatch(/tinyml\.yaml:3:3: 'randum' is not an option of tinyml test\. Did you mean 'random'\?/);
    expect(e.location?.detail).toBe("line 3, column 3");
  });

  it("checks types and choices where they are written", () => {
    expect(failure("runs: many\n").message).toMatch(/:1:7: 'runs' takes a number, got "many"/);
    expect(failure("runtime: tflmm\n").message).toMatch(/:1:10: 'runtime' must be one of .*tflm.*Did you mean 'tflm'\?/);
    expect(failure("board:\n  - host\n").message).toMatch(/:2:3: 'board' takes a string, not a list or mapping/);
  });

  it("reports YAML syntax errors and unknown environments at their place", () => {
    expect(failure("model: [a.tflite\n").message).toMatch(/tinyml\.yaml:\d+:\d+: not valid YAML/);
    expect(failure("environments:\n  ci: { board: host }\ndefault-environment: cii\n").message)
      .toMatch(/:3:22: default-environment 'cii' is not one of the environments \(ci\)\. Did you mean 'ci'\?/);
    const dir = project(FILE);
    let e: unknown;
    try {
      applyProject("build", { environment: "m7" }, ["build", "-e", "m7"], dir);
    } catch (x) {
      e = x;
    }
    expect(isTinymlError(e) && e.code).toBe("TML_E_USAGE");
    expect((e as Error).message).toMatch(/-e m7: .*tinyml\.yaml has no environment 'm7' \(it has m4\)\. Did you mean 'm4'\?/);
  });
});
