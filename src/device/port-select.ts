// Choosing the serial port to flash through, and checking it can be used
// before a vendor tool fails on it with a less helpful message. Discovery
// matches the USB VID:PIDs the board file lists (src/device/ports.ts reads
// sysfs, no udev needed). A port that cannot be opened for lack of
// permission names the group that owns it; a port another process holds
// names that process, found by scanning /proc/*/fd.

import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Board } from "../boards/board.js";
import { listSerialPorts, portsForBoard, type DiscoveryRoots, type SerialPortInfo } from "./ports.js";
import { TinymlError } from "../errors.js";

export interface SelectedPort extends SerialPortInfo {
  how: "given" | "discovered";
}

function describe(p: SerialPortInfo): string {
  const id = p.vid ? ` (${p.vid}:${p.pid}${p.product ? ` ${p.product}` : ""}${p.serialNumber ? `, serial ${p.serialNumber}` : ""})` : "";
  return `${p.byId ?? p.path}${id}`;
}

function sameDevice(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

/** `--port` if given (with what sysfs knows about it), else the one port whose USB id the board lists. */
export function selectPort(board: Board, opts: { port?: string; roots?: DiscoveryRoots } = {}): SelectedPort {
  const ports = listSerialPorts(opts.roots);
  if (opts.port) {
    const known = ports.find((p) => sameDevice(p.path, opts.port!) || (p.byId !== undefined && sameDevice(p.byId, opts.port!)));
    return { ...known, path: opts.port, how: "given" };
  }
  const usb = board.serial?.usb ?? [];
  if (usb.length === 0) {
    throw new TinymlError("TML_E_PORT_NOT_FOUND", `board ${board.id} lists no USB ids to find its port by`, {
      location: { file: board.file, detail: "serial.usb" },
      hint: "Pass --port /dev/ttyXXX, or add the board's USB vid/pid to serial.usb.",
    });
  }
  const matches = portsForBoard(board, ports);
  if (matches.length === 1) return { ...matches[0]!, how: "discovered" };
  const wanted = usb.map((u) => `${u.vid}:${u.pid}${u.description ? ` (${u.description})` : ""}`).join(", ");
  if (matches.length === 0) {
    const seen = ports.length > 0 ? ` USB serial ports present: ${ports.map(describe).join(", ")}.` : " No USB serial ports are present.";
    throw new TinymlError("TML_E_PORT_NOT_FOUND", `no serial port for ${board.id} found: looked for USB ${wanted}.${seen}`, {
      hint: "Plug the board in with a data-capable USB cable (some are charge-only) and check `tinyml ports`; or pass --port.",
    });
  }
  throw new TinymlError("TML_E_USAGE", `${matches.length} serial ports could be ${board.id}:\n${matches.map((p) => `    ${describe(p)}`).join("\n")}`, {
    hint: `Choose one with --port, e.g. --port ${matches[0]!.byId ?? matches[0]!.path}.`,
  });
}

export interface PortHolder {
  pid: number;
  command: string;
}

/** Processes (other than this one) with the device open, from /proc/<pid>/fd links. */
export function findPortHolders(device: string, procRoot = "/proc"): PortHolder[] {
  let target: string;
  try {
    target = realpathSync(device);
  } catch {
    return [];
  }
  const holders: PortHolder[] = [];
  for (const entry of readdirSync(procRoot)) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(join(procRoot, entry, "fd"));
    } catch {
      continue; // another user's process, or gone already
    }
    const holds = fds.some((fd) => {
      try {
        return readlinkSync(join(procRoot, entry, "fd", fd)) === target;
      } catch {
        return false;
      }
    });
    if (holds) holders.push({ pid: Number(entry), command: oneLine(processCommand(procRoot, entry)) });
  }
  return holders;
}

/** A command line fit for one line of an error message. */
function oneLine(command: string, max = 100): string {
  const flat = command.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function processCommand(procRoot: string, pid: string): string {
  try {
    const cmdline = readFileSync(join(procRoot, pid, "cmdline"), "utf8").split("\0").filter(Boolean).join(" ");
    if (cmdline) return cmdline;
  } catch {
    // fall through to comm
  }
  try {
    return readFileSync(join(procRoot, pid, "comm"), "utf8").trim();
  } catch {
    return "?";
  }
}

function groupName(gid: number): string | undefined {
  try {
    const line = readFileSync("/etc/group", "utf8").split("\n").find((l) => l.split(":")[2] === String(gid));
    return line?.split(":")[0];
  } catch {
    return undefined;
  }
}

function busy(path: string, holders: PortHolder[]): TinymlError {
  const who = holders.length > 0 ? `: held by ${holders.map((h) => `pid ${h.pid} (${h.command})`).join(", ")}` : " (another program has it open exclusively)";
  return new TinymlError("TML_E_PORT_BUSY", `serial port ${path} is busy${who}`, {
    location: { file: path },
    hint: holders.length > 0
      ? `Close that program (a serial monitor, \`idf.py monitor\`, screen, ModemManager), or \`kill ${holders.map((h) => h.pid).join(" ")}\`, then retry.`
      : "Close serial monitors using the board, then retry.",
  });
}

/**
 * Opens and closes the port once, as the flasher will, and looks for other
 * holders. Throws TML_E_PORT_NOT_FOUND, TML_E_PORT_PERMISSION or TML_E_PORT_BUSY.
 */
export function checkPort(path: string, procRoot = "/proc"): void {
  if (!existsSync(path)) {
    throw new TinymlError("TML_E_PORT_NOT_FOUND", `serial port ${path} does not exist`, {
      location: { file: path },
      hint: "Check the name with `tinyml ports`; the board may have re-enumerated under another name after a reset.",
    });
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      const st = statSync(path);
      const mode = (st.mode & 0o777).toString(8).padStart(4, "0");
      const group = groupName(st.gid) ?? String(st.gid);
      const groupCanUse = (st.mode & 0o060) === 0o060;
      throw new TinymlError("TML_E_PORT_PERMISSION", `permission denied opening ${path} (group '${group}', mode ${mode})`, {
        location: { file: path },
        hint:
          "Serial ports belong to the 'dialout' group on Debian/Ubuntu: `sudo usermod -aG dialout $USER`, then log out and back in" +
          (groupCanUse && group !== "dialout" ? ` (this port's group is '${group}': join that one instead).` : ".") +
          (groupCanUse ? "" : ` The port's mode ${mode} lets no group in; a udev rule with MODE="0660", GROUP="dialout" fixes that.`),
      });
    }
    if (code === "EBUSY") throw busy(path, findPortHolders(path, procRoot));
    throw new TinymlError("TML_E_PORT_NOT_FOUND", `cannot open serial port ${path}: ${(e as Error).message}`, { location: { file: path } });
  }
  closeSync(fd);
  const holders = findPortHolders(path, procRoot);
  if (holders.length > 0) throw busy(path, holders);
}
