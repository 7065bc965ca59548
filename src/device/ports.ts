// Serial port discovery without udev. serialport's SerialPort.list() shells
// out to `udevadm`, which minimal machines and containers lack; the facts it
// needs are all in sysfs: every /sys/class/tty/<name>/device that is a USB
// interface has idVendor, idProduct, serial, manufacturer and product a
// directory or two up. /dev/serial/by-id gives the stable names users know.

import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Board } from "../boards/board.js";

export interface SerialPortInfo {
  /** The device node, e.g. /dev/ttyACM0. */
  path: string;
  /** The stable /dev/serial/by-id name, when udev made one. */
  byId?: string;
  vid?: string;
  pid?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
}

export interface DiscoveryRoots {
  /** Defaults to /sys; tests point it at a fake tree. */
  sys: string;
  /** Defaults to /dev. */
  dev: string;
}

const DEFAULT_ROOTS: DiscoveryRoots = { sys: "/sys", dev: "/dev" };

function readAttr(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, name), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Walks up from a tty's device directory to the USB device that owns it. */
function usbDeviceDir(deviceDir: string, sysRoot: string): string | undefined {
  let dir = deviceDir;
  for (let i = 0; i < 6 && dir.startsWith(sysRoot) && dir !== sysRoot; i++) {
    if (existsSync(join(dir, "idVendor")) && existsSync(join(dir, "idProduct"))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

export function listSerialPorts(roots: DiscoveryRoots = DEFAULT_ROOTS): SerialPortInfo[] {
  const classDir = join(roots.sys, "class", "tty");
  if (!existsSync(classDir)) return [];
  const byId = new Map<string, string>();
  const byIdDir = join(roots.dev, "serial", "by-id");
  if (existsSync(byIdDir)) {
    for (const name of readdirSync(byIdDir)) {
      try {
        byId.set(basename(readlinkSync(join(byIdDir, name))), join(byIdDir, name));
      } catch {
        // not a link: ignore
      }
    }
  }
  const ports: SerialPortInfo[] = [];
  for (const name of readdirSync(classDir).sort()) {
    const devLink = join(classDir, name, "device");
    if (!existsSync(devLink)) continue; // virtual consoles and ptys have no device
    let deviceDir: string;
    try {
      deviceDir = realpathSync(devLink);
    } catch {
      continue;
    }
    const usb = usbDeviceDir(deviceDir, realpathSync(roots.sys));
    // Only USB serial ports are boards tinyml can find; legacy ttyS* UARTs are skipped.
    if (!usb) continue;
    const info: SerialPortInfo = { path: join(roots.dev, name) };
    const id = byId.get(name);
    if (id) info.byId = id;
    const vid = readAttr(usb, "idVendor");
    const pid = readAttr(usb, "idProduct");
    const serialNumber = readAttr(usb, "serial");
    const manufacturer = readAttr(usb, "manufacturer");
    const product = readAttr(usb, "product");
    if (vid) info.vid = vid.toLowerCase();
    if (pid) info.pid = pid.toLowerCase();
    if (serialNumber) info.serialNumber = serialNumber;
    if (manufacturer) info.manufacturer = manufacturer;
    if (product) info.product = product;
    ports.push(info);
  }
  return ports;
}

/** Ports whose USB ids match one the board file lists. */
export function portsForBoard(board: Board, ports: SerialPortInfo[]): SerialPortInfo[] {
  const ids = board.serial?.usb ?? [];
  return ports.filter((p) => ids.some((u) => u.vid === p.vid && u.pid === p.pid));
}
