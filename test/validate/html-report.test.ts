// The HTML report: self-contained (nothing fetched from anywhere), escaped,
// deterministic, and rendered by a real headless Chromium with the histogram,
// profile bars and comparison rows in the DOM and no console messages at all
// (errors, CSP violations and uncaught exceptions all log as CONSOLE lines).

import { execa } from "execa";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtmlReport, writeHtmlReport } from "../../src/validate/html-report.js";
import type { TestReport } from "../../src/validate/report.js";
import { requireTool } from "../cli.js";
import { eembcReport, failingReport, infraReport, nastyReport, passingReport, steadyReport } from "./report-fixtures.js";

const fixtures: Record<string, () => TestReport> = { passing: passingReport, failing: failingReport, infra: infraReport, eembc: eembcReport, nasty: nastyReport, steady: steadyReport };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tinyml-html-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (s: string, re: RegExp): number => (s.match(new RegExp(re.source, "g")) ?? []).length;

describe("renderHtmlReport", () => {
  it("is deterministic", () => {
    for (const make of Object.values(fixtures)) expect(renderHtmlReport(make())).toBe(renderHtmlReport(make()));
  });

  it.for(Object.keys(fixtures))("%s report references nothing outside the page", (name) => {
    const html = renderHtmlReport(fixtures[name]!());
    expect(html).not.toMatch(/\b(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:|\/\/|file:|data:)/i);
    expect(html).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+';/);
  });

  it("has the histogram, profile bars, checks and comparison rows of every board", () => {
    const html = renderHtmlReport(passingReport());
    expect(count(html, /<svg class="chart histogram"/)).toBe(2);
    expect(count(html, /<svg class="chart profile"/)).toBe(2);
    expect(count(html, /<g class="op"/)).toBe(18);
    expect(count(html, /<tr class="pass" data-case="person">/)).toBe(2);
    expect(html).toContain('data-runs="50"');
    expect(html).toContain("#4 CONV_2D</text>");
    expect(html).toMatch(/<title id="board-1-hist-title">Latency histogram for qemu-m4: 50 measured runs<\/title>/);
    expect(html).toContain('<th scope="col">Cosine</th>');
    expect(html).toContain("<h1>tinyml test report <span class=\"badge pass\">PASS</span></h1>");
    expect(html).toContain("<dt>Serial link</dt><dd>412 requests, 3 retransmits, 1 timeouts, 2 NAKs</dd>");
    expect(html).toContain('<ul class="notes"><li>QEMU -icount shift=0: ticks are instruction counts, not wall time</li></ul>');
    expect(html).toMatch(/<table class="sortable float-summary">[\s\S]*?<td class="num" data-sort="0.99996">0.99996<\/td>/);
  });

  it("shows EEMBC runs: per-case device means and tolerance comparisons", () => {
    const html = renderHtmlReport(eembcReport());
    expect(html).toContain('data-cases="4"');
    expect(html).toContain("mean latency per case (µs)");
    expect(html).toContain("41,250 µs (mean)");
    expect(html).toContain(">within ±0.001<");
    expect(html).toContain(">beyond ±0.001<");
    expect(html).toContain("EEMBC / MLPerf Tiny runner");
  });

  it("deterministic runs: one value and its range instead of a histogram", () => {
    const html = renderHtmlReport(steadyReport());
    expect(html).toContain('<svg class="chart histogram steady"');
    expect(html).toContain('data-steady="true"');
    expect(html).toContain("50 measured runs: 17,197 µs, every one; 17,196,800 instructions");
    // No histogram bins: one bar to the median.
    expect(count(html, /<rect class="bar" x="48" y="14"/)).toBe(1);
    // A spread over 1% of the median is still a histogram.
    expect(renderHtmlReport(passingReport())).not.toContain("histogram steady");
  });

  it("shows the budget bars, per-op MACs and instructions per MAC, and the build flags", () => {
    const html = renderHtmlReport(steadyReport());
    expect(html).toMatch(/<g class="budget within" data-region="flash" data-used="262000" data-budget="1048576">/);
    expect(html).toMatch(/<g class="budget within" data-region="ram" data-used="71000" data-budget="262144">/);
    expect(html).toContain("27.1% (69.3 KB of 256.0 KB)");
    expect(html).toContain("measured from the linked image");
    // op 0: 294,912 MACs; its ticks × 40 instructions over them.
    const op0 = steadyReport().boards[0]!.profile![0]!;
    const perMac = (op0.instructions! / op0.macs!).toFixed(2);
    expect(html).toContain(`<tr data-op="0"><td class="num" data-sort="0">0</td><td>CONV_2D</td><td class="num" data-sort="294912">294,912</td>`);
    expect(html).toContain(`<td class="num" data-sort="${op0.instructions! / op0.macs!}">${perMac}</td>`);
    expect(html).toContain("<code>-mcpu=cortex-m4</code> <code>-mthumb</code>");
    expect(html).toContain("<code>-DTML_BOARD_ID=&quot;qemu-m4&quot;</code>".replace(/&quot;/g, '"'));
    expect(html).toContain("74 toolchain commands in build/qemu-m4");
    // Without a build of this run (--no-build) the section says so.
    expect(renderHtmlReport(passingReport())).toContain("This run did not build the firmware");
  });

  it("names the first mismatch and the infra error", () => {
    const failing = renderHtmlReport(failingReport());
    expect(failing).toContain("element 1: expected -3, actual 5");
    expect(failing).toContain('<tr class="fail" data-case="no_person">');
    const infra = renderHtmlReport(infraReport());
    expect(infra).toContain("<strong>TML_E_PORT_NOT_FOUND</strong>: no serial port /dev/ttyUSB3");
    expect(infra).toContain("TML_E_DEVICE_TIMEOUT: no reply to INVOKE within 10 s on /dev/ttyACM0; retried after a board reset");
    expect(infra).toContain("No per-op profile for this board");
    expect(infra).toContain("No input cases ran on this board.");
  });

  it("escapes markup and control characters from names and messages", () => {
    const html = renderHtmlReport(nastyReport());
    expect(html).not.toContain("<b a=");
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(html).toContain("&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;amp; ]]&gt; \\x00\\x01\\x1b[31m\\x07 \\ud800");
  });
});

interface ChromiumRun {
  dom: string;
  consoleLines: string[];
}

/** Loads a file in headless Chromium; returns the DOM after scripts ran and any console output. */
async function chromium(file: string, extra: string[] = []): Promise<ChromiumRun> {
  const profile = mkdtempSync(join(dir, "profile-"));
  const r = await execa(
    "chromium",
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      `--user-data-dir=${profile}`, "--enable-logging=stderr", "--v=0", ...extra, pathToFileURL(file).href,
    ],
    { reject: false, timeout: 90_000, stdin: "ignore" },
  );
  if (r.exitCode !== 0) throw new Error(`chromium exited ${r.exitCode}:\n${r.stderr}`);
  // Chromium logs every console message, CSP violation and uncaught exception as
  // ":CONSOLE(" / ":CONSOLE:" lines; the dbus noise of a desktop-less machine is not one.
  const consoleLines = String(r.stderr).split("\n").filter((l) => /:CONSOLE[(:]/.test(l));
  return { dom: String(r.stdout), consoleLines };
}

describe("HTML report in headless Chromium", () => {
  const needChromium = (): Promise<boolean> => requireTool("chromium", "apt-get install chromium");

  it("detects console errors, CSP violations and exceptions (control for the checks below)", async (ctx) => {
    if (!(await needChromium())) return ctx.skip();
    const file = join(dir, "broken.html");
    writeFileSync(
      file,
      `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'"><title>x</title></head>` +
        `<body><img src="https://example.invalid/x.png" alt=""><script>console.error("boom"); missingFunction();</script></body></html>`,
    );
    const { consoleLines } = await chromium(file, ["--dump-dom"]);
    expect(consoleLines.join("\n")).toContain('"boom"');
    expect(consoleLines.join("\n")).toContain("missingFunction is not defined");
    expect(consoleLines.join("\n")).toContain("Content Security Policy");
  });

  it.for(Object.keys(fixtures))("%s report renders with no console messages", async (name, ctx) => {
    if (!(await needChromium())) return ctx.skip();
    const file = join(dir, `${name}.html`);
    writeHtmlReport(fixtures[name]!(), file);
    const { dom, consoleLines } = await chromium(file, ["--dump-dom"]);
    expect(consoleLines).toEqual([]);
    expect(dom).toMatch(/<svg class="chart histogram[ "]/);
    expect(dom).toContain("<tbody>");
    // The sort buttons exist only if the inline script ran, i.e. its CSP hash matched.
    expect(dom).toMatch(/<th scope="col"><button type="button">Case<\/button><\/th>/);
    // Escaped text stays text: no element was injected from a name or message.
    expect(dom).not.toContain("<b a=");
  });

  it("passing report: the DOM holds both histograms, every profile bar and every comparison row", async (ctx) => {
    if (!(await needChromium())) return ctx.skip();
    const file = join(dir, "passing-dom.html");
    writeHtmlReport(passingReport(), file);
    const { dom } = await chromium(file, ["--dump-dom"]);
    expect(count(dom, /<svg class="chart histogram"/)).toBe(2);
    expect(count(dom, /<rect class="bar"[^>]*><title>[^<]* runs?<\/title><\/rect>/)).toBeGreaterThan(10);
    expect(count(dom, /<g class="op" data-op-type="[A-Z_0-9]+">/)).toBe(18);
    expect(count(dom, /<tr class="pass" data-case="(?:no_)?person">/)).toBe(4);
    expect(dom).toContain("median");
    expect(dom).toContain("p90");
  });

  it("takes a screenshot of a report", async (ctx) => {
    if (!(await needChromium())) return ctx.skip();
    const file = join(dir, "shot.html");
    const png = join(dir, "shot.png");
    writeHtmlReport(failingReport(), file);
    const { consoleLines } = await chromium(file, [`--screenshot=${png}`, "--window-size=1280,2000", "--hide-scrollbars"]);
    expect(consoleLines).toEqual([]);
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    // A blank page compresses to a few KB; a rendered report with charts is far larger.
    expect(statSync(png).size).toBeGreaterThan(30_000);
  });
});
