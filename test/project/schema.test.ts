// tinyml.schema.json (for editors) is generated from the commands' own
// options: the committed file must equal what the CLI would check a project
// file against. Refresh on purpose: TINYML_UPDATE_SCHEMA=1 npx vitest run test/project/schema.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands.js";
import { buildOptionTable } from "../../src/cli/project.js";
import { projectSchema } from "../../src/project-file/schema.js";
import { repoRoot } from "../cli.js";

describe("tinyml.schema.json", () => {
  it("equals the schema generated from the commands' options", () => {
    const file = `${repoRoot}tinyml.schema.json`;
    const generated = `${JSON.stringify(projectSchema(buildOptionTable(commands).table), null, 2)}\n`;
    if (process.env.TINYML_UPDATE_SCHEMA === "1") writeFileSync(file, generated);
    expect(readFileSync(file, "utf8")).toBe(generated);
  });

  it("knows every command's options and the file's own keys", () => {
    const schema = JSON.parse(readFileSync(`${repoRoot}tinyml.schema.json`, "utf8")) as { properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["model", "board", "build-dir", "test", "build", "environments", "default-environment"]));
    expect(Object.keys(schema.properties.test!.properties!)).toEqual(expect.arrayContaining(["inputs", "random", "junit", "report", "bisect"]));
  });
});
