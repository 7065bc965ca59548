// `tinyml flash` run as users run it, with recording fakes of esptool.py,
// arduino-cli and python3 (coralmicro's flashtool) first on PATH and a real
// pseudo-terminal as the port; port discovery on a fake sysfs tree; and the
// port errors users meet: none found, several found, permission denied on a
// mode-000 port, and a port another process holds.
import { execa, type ResultPromise } from "execa";
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { TinymlError } from "../../src/errors.js";
import { coralmicroFlashtool } from "../../src/flash/coralmicro-flashtool.js";
import { selectPort } from "../../src/device/port-select.js";
import { repoRoot, tinyml } from "../cli.js";
import { FAKES_BIN, readFakeLog, tempDir } from "./helpers.js";

const children: ResultPromise[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

/** A pty whose master a child process holds; returns the slave's path (nobody has it open). */
async function openPty(): Promise<string> {
  const child = execa("python3", ["-c", "import os,sys,time\nm,s=os.openpty()\nprint(os.ttyname(s),flush=True)\nos.close(s)\ntime.sleep(600)"], { reject: false });
  children.push(child);
  return new Promise((resolve) => child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())));
}

/** A second process that keeps the port open, as a serial monitor would. */
async function holdPort(path: string): Promise<number> {
  const child = execa("python3", ["-c", "import os,sys,time\nfd=os.open(sys.argv[1],os.O_RDWR|os.O_NOCTTY)\nprint('holding',flush=True)\ntime.sleep(600)", path], { reject: false });
  children.push(child);
  await new Promise((resolve) => child.stdout!.once("data", resolve));
  return child.pid!;
}

function fakeEnv(extra: Record<string, string> = {}): { env: Record<string, string>; log: string } {
  const log = join(tempDir("flashlog"), "calls.jsonl");
  writeFileSync(log, "");
  return { log, env: { PATH: `${FAKES_BIN}${delimiter}${process.env.PATH}`, TINYML_FAKE_LOG: log, PYTHONUNBUFFERED: "", ...extra } };
}

function builtDir(files: string[]): string {
  const dir = tempDir("built");
  chmodSync(dir, 0o755);
  for (const f of files) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), "image\n");
  }
  return dir;
}

describe("tinyml flash with the vendor flashers", () => {
  it("esp32s3: esptool.py write_flash @flash_args from the IDF build directory", async () => {
    const port = await openPty();
    const dir = builtDir(["build/flash_args"]);
    const { env, log } = fakeEnv();
    const args = ["flash", "--board", "esp32s3", "--port", port, "--build-dir", dir];
    const dry = await tinyml([...args, "--dry-run"], { env });
    expect(dry.exitCode).toBe(0);
    const expected = `cd ${dir}/build && PYTHONUNBUFFERED=1 esptool.py --chip esp32s3 -p ${port} -b 460800 --before default_reset --after hard_reset write_flash @flash_args`;
    expect(dry.stdout.trim()).toBe(expected);
    expect(readFakeLog(log)).toEqual([]);

    const r = await tinyml(args, { env });
    expect(r.stderr).toContain(`flashing esp32s3 through ${port}`);
    expect(r.exitCode).toBe(0);
    const calls = readFakeLog(log).filter((c) => c.argv[0] !== "version");
    expect(calls).toEqual([
      {
        tool: "esptool.py",
        argv: ["--chip", "esp32s3", "-p", port, "-b", "460800", "--before", "default_reset", "--after", "hard_reset", "write_flash", "@flash_args"],
        cwd: `${dir}/build`,
        env: { PYTHONUNBUFFERED: "1" },
      },
    ]);
  });

  it("nano33ble: arduino-cli upload of the image compile wrote to out/", async () => {
    const port = await openPty();
    const dir = builtDir(["out/tinyml_app.ino.bin"]);
    const { env, log } = fakeEnv();
    const r = await tinyml(["flash", "--board", "nano33ble", "--port", port, "--build-dir", dir], { env });
    expect(r.exitCode).toBe(0);
    expect(readFakeLog(log).filter((c) => c.argv[0] === "upload")).toEqual([
      { tool: "arduino-cli", argv: ["upload", "-p", port, "--fqbn", "arduino:mbed_nano:nano33ble", "--input-dir", "out", "tinyml_app"], cwd: dir, env: {} },
    ]);
  });

  it("coralmicro: flashtool.py with the build dir and the ELF; a 'no board' line fails even on exit 0", async () => {
    const port = await openPty();
    const dir = builtDir(["out/tinyml_app"]);
    const sdk = tempDir("coralmicro-sdk");
    mkdirSync(join(sdk, "scripts"), { recursive: true });
    writeFileSync(join(sdk, "scripts/flashtool.py"), "# fake\n");
    const { env, log } = fakeEnv({ CORALMICRO_DIR: sdk });
    const args = ["flash", "--board", "coralmicro", "--port", port, "--build-dir", dir];
    const ok = await tinyml(args, { env });
    expect(ok.exitCode).toBe(0);
    const flashCall = { tool: "python3", argv: [`${sdk}/scripts/flashtool.py`, "--build_dir", "out", "--elf_path", "out/tinyml_app"], cwd: dir, env: { PYTHONUNBUFFERED: "1", CORALMICRO_DIR: sdk } };
    expect(readFakeLog(log).filter((c) => c.argv[0] !== "--version")).toEqual([flashCall]);

    const none = await tinyml(args, { env: { ...env, TINYML_FAKE_NO_BOARD: "1" } });
    expect(none.exitCode).toBe(4);
    expect(none.stderr).toContain('error[TML_E_TOOLCHAIN_FAILED]: python3 failed (reported "No Dev Board Micro devices detected!")');
    expect(none.stderr).toContain(`command: cd ${dir} && PYTHONUNBUFFERED=1 python3 ${sdk}/scripts/flashtool.py --build_dir out --elf_path out/tinyml_app`);
  });

  it("coralmicro: a port with a USB serial number selects that board in both --serial and CORAL_MICRO_SERIAL", () => {
    const [cmd] = coralmicroFlashtool.commands({ board: loadBoard("coralmicro"), buildDir: "/b", port: { path: "/dev/ttyACM3", serialNumber: "0123abcd", how: "discovered" } });
    expect(cmd!.argv.slice(-2)).toEqual(["--serial", "0123abcd"]);
    expect(cmd!.env.CORAL_MICRO_SERIAL).toBe("0123abcd");
  });

  it("nothing built yet: says to build first", async () => {
    const port = await openPty();
    const r = await tinyml(["flash", "--board", "esp32", "--port", port, "--build-dir", builtDir([])], { env: fakeEnv().env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error[TML_E_FILE_NOT_FOUND]: nothing to flash");
    expect(r.stderr).toContain("tinyml build --board esp32");
  });
});

describe("port errors", () => {
  it("a port another process holds names that process", async () => {
    const port = await openPty();
    const pid = await holdPort(port);
    const r = await tinyml(["flash", "--board", "esp32", "--port", port, "--build-dir", builtDir(["build/flash_args"])], { env: fakeEnv().env });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(new RegExp(`error\\[TML_E_PORT_BUSY\\]: serial port ${port} is busy: held by pid ${pid} \\(\\S*python3 -c import os,sys,time fd=os.open`));
    expect(r.stderr).toContain(`kill ${pid}`);
  });

  it("permission denied on a mode-000 port names the dialout group", async () => {
    const port = await openPty();
    chmodSync(port, 0o000);
    const dir = builtDir(["build/flash_args"]);
    const { env } = fakeEnv();
    const cli = ["flash", "--board", "esp32", "--port", port, "--build-dir", dir];
    // root ignores file modes: drop to an unprivileged user to meet the real EACCES.
    const asRoot = process.getuid?.() === 0;
    const r = asRoot
      ? await execa("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "node", `${repoRoot}dist/tinyml.js`, ...cli], { env, reject: false, cwd: tmpdir() })
      : await tinyml(cli, { env });
    expect(r.exitCode).toBe(5);
    expect(String(r.stderr)).toContain(`error[TML_E_PORT_PERMISSION]: permission denied opening ${port}`);
    expect(String(r.stderr)).toContain("mode 0000");
    expect(String(r.stderr)).toContain("sudo usermod -aG dialout $USER");
  });

  function sysfsWith(ports: Array<{ name: string; vid: string; pid: string; serial: string }>): { sys: string; dev: string } {
    const root = mkdtempSync(join(tmpdir(), "tinyml-sysfs-"));
    const sys = join(root, "sys");
    const dev = join(root, "dev");
    mkdirSync(join(sys, "class/tty"), { recursive: true });
    mkdirSync(dev, { recursive: true });
    ports.forEach((p, i) => {
      const usb = join(sys, `devices/pci0000:00/usb1/1-${i + 1}`);
      mkdirSync(join(usb, `1-${i + 1}:1.0/tty/${p.name}`), { recursive: true });
      for (const [k, v] of Object.entries({ idVendor: p.vid, idProduct: p.pid, serial: p.serial })) writeFileSync(join(usb, k), `${v}\n`);
      mkdirSync(join(sys, "class/tty", p.name), { recursive: true });
      symlinkSync(join(usb, `1-${i + 1}:1.0`), join(sys, "class/tty", p.name, "device"));
    });
    return { sys, dev };
  }

  it("discovers the one port with the board's USB id", () => {
    const roots = sysfsWith([{ name: "ttyACM0", vid: "2341", pid: "805a", serial: "N1" }, { name: "ttyUSB0", vid: "10c4", pid: "ea60", serial: "E1" }]);
    expect(selectPort(loadBoard("nano33ble"), { roots })).toMatchObject({ path: join(roots.dev, "ttyACM0"), serialNumber: "N1", how: "discovered" });
  });

  it("none found: names the VID:PIDs it looked for and what is plugged in", () => {
    const roots = sysfsWith([{ name: "ttyUSB0", vid: "10c4", pid: "ea60", serial: "E1" }]);
    let e: unknown;
    try {
      selectPort(loadBoard("nano33ble"), { roots });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(TinymlError);
    expect((e as TinymlError).code).toBe("TML_E_PORT_NOT_FOUND");
    expect((e as TinymlError).message).toBe(
      `no serial port for nano33ble found: looked for USB 2341:805a (Nano 33 BLE (sketch running)), 2341:005a (Nano 33 BLE (bootloader)). ` +
        `USB serial ports present: ${join(roots.dev, "ttyUSB0")} (10c4:ea60, serial E1).`,
    );
  });

  it("several found: lists them and asks for --port", () => {
    const roots = sysfsWith([{ name: "ttyACM0", vid: "2341", pid: "805a", serial: "N1" }, { name: "ttyACM1", vid: "2341", pid: "805a", serial: "N2" }]);
    let e: unknown;
    try {
      selectPort(loadBoard("nano33ble"), { roots });
    } catch (err) {
      e = err;
    }
    expect((e as TinymlError).code).toBe("TML_E_USAGE");
    expect((e as TinymlError).message).toBe(
      `2 serial ports could be nano33ble:\n    ${join(roots.dev, "ttyACM0")} (2341:805a, serial N1)\n    ${join(roots.dev, "ttyACM1")} (2341:805a, serial N2)`,
    );
    expect((e as TinymlError).hint).toBe(`Choose one with --port, e.g. --port ${join(roots.dev, "ttyACM0")}.`);
  });
});
