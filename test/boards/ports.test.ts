// Port discovery reads sysfs the way Linux lays it out (no udevadm): a fake
// tree with a CDC-ACM board, a CP210x bridge, a legacy UART and a console.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listSerialPorts, portsForBoard } from "../../src/device/ports.js";
import { loadBoard } from "../../src/boards/load.js";

function fakeSystem(): { sys: string; dev: string } {
  const root = mkdtempSync(join(tmpdir(), "tinyml-sysfs-"));
  const sys = join(root, "sys");
  const dev = join(root, "dev");
  const usbDevice = (path: string, attrs: Record<string, string>) => {
    mkdirSync(path, { recursive: true });
    for (const [k, v] of Object.entries(attrs)) writeFileSync(join(path, k), `${v}\n`);
  };
  // A Nano 33 BLE: /sys/devices/pci0000:00/.../usb1/1-2 with interface 1-2:1.0 holding tty/ttyACM0
  const nano = join(sys, "devices/pci0000:00/0000:00:14.0/usb1/1-2");
  usbDevice(nano, { idVendor: "2341", idProduct: "805a", serial: "ABC123", manufacturer: "Arduino", product: "Nano 33 BLE" });
  mkdirSync(join(nano, "1-2:1.0/tty/ttyACM0"), { recursive: true });
  // A CP2102 bridge (ESP32 DevKitC): ttyUSB0 sits one level deeper under the interface
  const cp = join(sys, "devices/pci0000:00/0000:00:14.0/usb1/1-3");
  usbDevice(cp, { idVendor: "10c4", idProduct: "ea60", serial: "0001", product: "CP2102 USB to UART Bridge Controller" });
  mkdirSync(join(cp, "1-3:1.0/ttyUSB0/tty/ttyUSB0"), { recursive: true });
  // A legacy UART with no USB parent, and a console with no device at all
  mkdirSync(join(sys, "devices/platform/serial8250/tty/ttyS0"), { recursive: true });
  mkdirSync(join(sys, "class/tty/tty0"), { recursive: true });
  mkdirSync(join(sys, "class/tty"), { recursive: true });
  const cls = (name: string, target: string) => {
    mkdirSync(join(sys, "class/tty", name), { recursive: true });
    symlinkSync(target, join(sys, "class/tty", name, "device"));
  };
  cls("ttyACM0", join(nano, "1-2:1.0"));
  cls("ttyUSB0", join(cp, "1-3:1.0/ttyUSB0"));
  cls("ttyS0", join(sys, "devices/platform/serial8250"));
  mkdirSync(join(dev, "serial/by-id"), { recursive: true });
  symlinkSync("../../ttyACM0", join(dev, "serial/by-id/usb-Arduino_Nano_33_BLE_ABC123-if00"));
  return { sys, dev };
}

describe("serial port discovery from sysfs", () => {
  it("finds USB serial ports with their ids, skipping non-USB ttys", () => {
    const roots = fakeSystem();
    const ports = listSerialPorts(roots);
    expect(ports).toEqual([
      {
        path: join(roots.dev, "ttyACM0"),
        byId: join(roots.dev, "serial/by-id/usb-Arduino_Nano_33_BLE_ABC123-if00"),
        vid: "2341", pid: "805a", serialNumber: "ABC123", manufacturer: "Arduino", product: "Nano 33 BLE",
      },
      { path: join(roots.dev, "ttyUSB0"), vid: "10c4", pid: "ea60", serialNumber: "0001", product: "CP2102 USB to UART Bridge Controller" },
    ]);
    expect(portsForBoard(loadBoard("nano33ble"), ports).map((p) => p.vid)).toEqual(["2341"]);
    expect(portsForBoard(loadBoard("esp32"), ports).map((p) => p.pid)).toEqual(["ea60"]);
    expect(portsForBoard(loadBoard("coralmicro"), ports)).toEqual([]);
  });

  it("returns nothing on a machine without sysfs", () => {
    expect(listSerialPorts({ sys: "/nonexistent", dev: "/nonexistent" })).toEqual([]);
  });
});
