// For an emulated board, `tinyml flash` boots the built image in QEMU and
// checks the firmware answers with this build's provenance.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelPath } from "../fixtures.js";
import { repoRoot, requireTool, tinyml, tinymlJson } from "../cli.js";
import { alive, descendants, waitFor } from "../lifecycle/processes.js";
import { DeviceClient } from "../../src/device/client.js";
import { EembcClient } from "../../src/device/eembc-client.js";
import { SerialTransport } from "../../src/device/transport.js";
import { sha256Hex } from "../../src/util/files.js";

describe("tinyml flash on an emulated board", () => {
  it("boots qemu-m7 and reads the firmware's INFO", async (ctx) => {
    if (!(await requireTool("arm-none-eabi-gcc", "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"))) return ctx.skip();
    if (!(await requireTool("qemu-system-arm", "apt-get install qemu-system-arm"))) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), "tinyml-flash-qemu-"));
    const built = await tinyml(["build", "--board", "qemu-m7", modelPath("hello_world_int8"), "-o", dir]);
    expect(built.exitCode).toBe(0);
    const r = await tinymlJson<{ board: string; firmware: { boardId: string; modelSha256: string; runtime: string } }>(
      ["flash", "--board", "qemu-m7", "--build-dir", dir],
    );
    expect(r.board).toBe("qemu-m7");
    expect(r.firmware.boardId).toBe("qemu-m7");
    expect(r.firmware.runtime).toBe("aot");
    expect(r.firmware.modelSha256).toBe(sha256Hex(new Uint8Array(readFileSync(modelPath("hello_world_int8")))));
  });

  it("says to build first when there is no image", async () => {
    const r = await tinyml(["flash", "--board", "qemu-m4", "--build-dir", mkdtempSync(join(tmpdir(), "tinyml-empty-"))]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no firmware for qemu-m4 at .*firmware\.elf/);
    expect(r.stderr).toMatch(/hint: Build it: `tinyml build --board qemu-m4 MODEL --build-dir /);
  });
});

describe("tinyml flash --keep: any app's firmware, its port handed over until a signal", () => {
  const apps = [
    { app: "eembc", signal: "SIGTERM" as const },
    { app: "inference", signal: "SIGINT" as const },
  ];
  for (const { app, signal } of apps) {
    it(`${app} firmware: prints {"port"}, answers there in its own protocol, stops cleanly on ${signal}`, async (ctx) => {
      if (!(await requireTool("arm-none-eabi-gcc", "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"))) return ctx.skip();
      if (!(await requireTool("qemu-system-arm", "apt-get install qemu-system-arm"))) return ctx.skip();
      const dir = mkdtempSync(join(tmpdir(), `tinyml-keep-${app}-`));
      const built = await tinyml(["build", "--board", "qemu-m4", "--app", app, modelPath("hello_world_int8"), "-o", dir, ...(app === "eembc" ? ["--eembc-model", "kws01"] : [])]);
      expect(built.exitCode, built.stderr).toBe(0);
      const child = spawn("node", [`${repoRoot}bin/tinyml.js`, "flash", "--board", "qemu-m4", "--build-dir", dir, "--keep", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
      child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const doc = await waitFor(() => {
        try {
          return JSON.parse(stdout) as { port: string; app: string };
        } catch {
          return undefined;
        }
      }, () => (child.exitCode !== null ? `flash exited ${child.exitCode}: ${stderr}` : undefined));
      expect(doc.app).toBe(app);
      expect(doc.port).toMatch(/^\/dev\/pts\/\d+$/);
      // Another program (here: this test, as the MLPerf runner would) uses the port.
      const transport = await SerialTransport.open(doc.port);
      try {
        if (app === "eembc") {
          const client = new EembcClient(transport, { timeoutMs: 15_000 });
          // The device name defaults to the board; the model id is what --eembc-model gave.
          expect(await client.sync(5, 500)).toBe("qemu-m4");
          expect((await client.profile()).model).toBe("kws01");
          await client.close();
        } else {
          const client = await DeviceClient.connect(transport, { attemptTimeoutMs: 2500, attempts: 12 });
          expect((await client.info()).modelSha256).toBe(sha256Hex(new Uint8Array(readFileSync(modelPath("hello_world_int8")))));
          await client.close();
        }
      } finally {
        await transport.close();
      }
      const qemu = descendants(child.pid!).filter((p) => p.command.startsWith("qemu-system-arm"));
      expect(qemu).toHaveLength(1);
      child.kill(signal);
      // Stopping is this command's normal end: exit 0, and the emulator is gone.
      expect(await exited).toBe(0);
      expect(alive(qemu[0]!.pid)).toBe(false);
    });
  }
});
