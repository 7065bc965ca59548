// JUnit XML: valid against the Jenkins xUnit plugin's junit-10.xsd (checked by
// xmllint, an independent parser), with the counts CI dashboards read and
// failure messages that name the output, element, expected and actual values.

import { execa } from "execa";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderJunit, writeJunit } from "../../src/validate/junit.js";
import { escapeAttr, escapeText, sanitizeXmlChars } from "../../src/validate/html/escape.js";
import type { TestReport } from "../../src/validate/report.js";
import { requireTool } from "../cli.js";
import { fixturesDir } from "../fixtures.js";
import { eembcReport, failingReport, infraReport, NASTY, nastyReport, passingReport } from "./report-fixtures.js";

const XSD = join(fixturesDir, "junit", "junit-10.xsd");
const fixtures: Record<string, () => TestReport> = { passing: passingReport, failing: failingReport, infra: infraReport, eembc: eembcReport, nasty: nastyReport };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tinyml-junit-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, report: TestReport = fixtures[name]!()): string {
  const file = join(dir, `${name}.xml`);
  writeJunit(report, file, { hostname: "rig-host" });
  return file;
}

async function xpath(file: string, expr: string): Promise<string> {
  const r = await execa("xmllint", ["--xpath", expr, file]);
  return r.stdout;
}

describe("markup escaping", () => {
  it("escapes the five special characters and keeps valid text unchanged", () => {
    expect(escapeText(`a<b>&"'`)).toBe(`a&lt;b&gt;&amp;"'`);
    expect(escapeAttr(`a<b>&"'\t\n\r`)).toBe("a&lt;b&gt;&amp;&quot;&#39;&#9;&#10;&#13;");
    expect(sanitizeXmlChars("µs → ✓ 😀 tab\tnl\n")).toBe("µs → ✓ 😀 tab\tnl\n");
  });

  it("replaces characters XML 1.0 forbids with a visible escape", () => {
    expect(sanitizeXmlChars("a\u0000b\u001bc\ufffe")).toBe("a\\x00b\\x1bc\\ufffe");
    expect(sanitizeXmlChars("lone \ud800 and \udc00")).toBe("lone \\ud800 and \\udc00");
  });
});

describe("renderJunit", () => {
  it("is deterministic", () => {
    for (const make of Object.values(fixtures)) {
      expect(renderJunit(make(), { hostname: "h" })).toBe(renderJunit(make(), { hostname: "h" }));
    }
  });

  it("puts no control characters or raw markup from the input into the file", () => {
    const xml = renderJunit(nastyReport(), { hostname: "h" });
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).not.toContain("<b a=");
    expect(xml).not.toContain("]]>");
  });
});

describe("JUnit XML against junit-10.xsd (xmllint)", () => {
  // Local runs without xmllint skip with the install hint; CI=true fails.
  const needXmllint = (): Promise<boolean> => requireTool("xmllint", "apt-get install libxml2-utils");

  it.for(Object.keys(fixtures))("%s report validates against the schema", async (name, ctx) => {
    if (!(await needXmllint())) return ctx.skip();
    const file = write(name);
    const r = await execa("xmllint", ["--noout", "--schema", XSD, file], { reject: false });
    expect(r.stderr).toContain("validates");
    expect(r.exitCode).toBe(0);
  });

  it("passing: one suite per board, one testcase per case and per check, with provenance", async (ctx) => {
    if (!(await needXmllint())) return ctx.skip();
    const file = write("passing");
    expect(await xpath(file, "count(/testsuites/testsuite)")).toBe("2");
    expect(await xpath(file, "string(/testsuites/@tests)")).toBe("8");
    expect(await xpath(file, "string(/testsuites/@failures)")).toBe("0");
    expect(await xpath(file, "string(/testsuites/@errors)")).toBe("0");
    expect(await xpath(file, "string(/testsuites/testsuite[2]/@name)")).toBe("rig-a/host (host)");
    expect(await xpath(file, "string(/testsuites/testsuite[1]/@tests)")).toBe("4");
    expect(await xpath(file, "string(/testsuites/testsuite[1]/@skipped)")).toBe("0");
    expect(await xpath(file, "string(/testsuites/testsuite[1]/@hostname)")).toBe("rig-host");
    expect(await xpath(file, "string(/testsuites/testsuite[1]/@timestamp)")).toBe("2025-11-22T10:15:00.250Z");
    expect(await xpath(file, "string(/testsuites/testsuite[2]/@timestamp)")).toBe("2025-11-22T10:15:00.000Z");
    expect(await xpath(file, "string(//testsuite[1]/testcase[@name='person']/@time)")).toBe("2.150");
    const names = await xpath(file, "/testsuites/testsuite[1]/testcase/@name");
    expect(names).toContain('name="person"');
    expect(names).toContain('name="model hash"');
    expect(await xpath(file, "string(//testsuite[1]/testcase[@name='person']/@classname)")).toBe("tinyml.qemu-m4");
    const prop = (n: string): Promise<string> => xpath(file, `string(//testsuite[1]/properties/property[@name='${n}']/@value)`);
    expect(await prop("firmware.modelSha256")).toMatch(/^[0-9a-f]{64}$/);
    expect(await prop("firmware.runtime")).toBe("tflm");
    expect(await prop("firmware.tinymlVersion")).toBe("0.1.0");
    expect(await prop("firmware.arenaBytes")).toBe("93184");
    expect(await prop("firmware.timerHz")).toBe("25000000");
    expect(await prop("tinyml.version")).toBe("0.1.0");
    expect(await prop("protocol")).toBe("tinyml");
    expect(await prop("link.retransmits")).toBe("3");
    const suiteOut = await xpath(file, "string(/testsuites/testsuite[1]/system-out)");
    expect(suiteOut).toContain("note: QEMU -icount shift=0");
    expect(suiteOut).toContain("output 0 (MobilenetV1/Predictions/Reshape_1) vs float model, mean over cases: top-1 agreement 1, rmse 0.00412");
    expect(suiteOut).toMatch(/op 4 CONV_2D: [\d,]+ ticks, [\d,.]+ µs, 26\.8% of invoke/);
    expect(await xpath(file, "string(//testsuite[1]/testcase[@name='person']/system-out)")).toMatch(/latency over 25 runs: min [\d,]+ ticks \([\d,.]+ µs\), median/);
    expect(await xpath(file, "count(//failure | //error)")).toBe("0");
  });

  it("failing: failure messages name the output index, element, expected and actual", async (ctx) => {
    if (!(await needXmllint())) return ctx.skip();
    const file = write("failing");
    expect(await xpath(file, "string(/testsuites/@failures)")).toBe("2");
    expect(await xpath(file, "string(/testsuites/@errors)")).toBe("0");
    const message = await xpath(file, "string(//testcase[@name='no_person']/failure/@message)");
    expect(message).toContain("output 0 (scores) element 1: expected -3, actual 5; 1 of 2 elements differ");
    expect(message).toContain("output 1 (logits) element 0: expected 127, actual -128; 3 of 4 elements differ");
    expect(await xpath(file, "string(//testcase[@name='no_person']/failure/@type)")).toBe("mismatch");
    expect(await xpath(file, "string(//testcase[@name='output 0 bit-exact']/failure/@message)")).toBe("output 0 differs in 1 of 2 elements");
    expect(await xpath(file, "count(//testcase[@name='person']/failure)")).toBe("0");
  });

  it("infra: errors, not failures, with the error code as type", async (ctx) => {
    if (!(await needXmllint())) return ctx.skip();
    const file = write("infra");
    expect(await xpath(file, "string(/testsuites/@errors)")).toBe("3");
    expect(await xpath(file, "string(/testsuites/@failures)")).toBe("0");
    expect(await xpath(file, "string(//testcase[@name='no_person']/error/@type)")).toBe("TML_E_DEVICE_TIMEOUT");
    expect(await xpath(file, "string(//testsuite[2]/testcase[@name='board run']/error/@message)")).toBe("no serial port /dev/ttyUSB3");
    expect(await xpath(file, "string(//testsuite[2]/@tests)")).toBe("1");
    expect(await xpath(file, "string(//testsuite[2]/system-err)")).toBe("TML_E_PORT_NOT_FOUND: no serial port /dev/ttyUSB3");
  });

  it("infra: a run error that a case already reports is not counted twice", async (ctx) => {
    if (!(await needXmllint())) return ctx.skip();
    const report = infraReport();
    const run = report.boards[0]!;
    run.error = run.cases[1]!.error;
    const file = write("infra-dedupe", report);
    expect(await xpath(file, "string(/testsuites/testsuite[1]/@errors)")).toBe("1");
    expect(await xpath(file, "count(/testsuites/testsuite[1]/testcase[@name='board run'])")).toBe("0");
  });

  it("eembc: tolerance comparisons and device-reported mean latency", async (ctx) => {
    if (!(await needXmllint())) return ctx.skip();
    const file = write("eembc");
    expect(await xpath(file, "string(//testcase[@name='kws_3']/failure/@message)")).toBe(
      "output 0 (Identity) element 4: expected 0.25, actual 0.75; 1 of 12 elements differ by more than ±0.001",
    );
    expect(await xpath(file, "string(//testcase[@name='kws_0']/system-out)")).toContain("mean latency (device-reported): 41,250 µs");
    expect(await xpath(file, "string(//testcase[@name='kws_0']/@time)")).toBe("1.900");
    expect(await xpath(file, "string(//property[@name='latency.source']/@value)")).toBe("m-lap-us");
    expect(await xpath(file, "string(/testsuites/testsuite/system-out)")).toContain("latency: device-reported means (m-lap-us) over 40 runs after 1 warm-up: min 41,250 µs");
  });

  it("special characters round-trip through a real XML parser", async (ctx) => {
    if (!(await needXmllint())) return ctx.skip();
    const file = write("nasty");
    const expected = sanitizeXmlChars(NASTY);
    expect(await xpath(file, "string(//testcase[3]/@name)")).toBe(`check ${expected}`);
    expect(await xpath(file, "string(//testcase[3]/failure/@message)")).toBe(`message ${expected}`);
    expect(await xpath(file, "string(/testsuites/testsuite/@id)")).toBe(`rig ${expected}`);
    const message = await xpath(file, "string(//testcase[5]/failure/@message)");
    expect(message).toContain(`output 0 (out ${expected}) element 1: expected -3, actual 5`);
    expect(readFileSync(file, "utf8")).toContain("\\x1b[31m");
  });
});
