// A board, as boards/<id>.json describes it (schema: boards/board.schema.json).
// Boards are data: code branches on a board's family, toolchain or flasher
// driver, never on its id.

export type BoardFamily = "host" | "baremetal" | "esp-idf" | "arduino" | "coralmicro";
export type RuntimeKind = "aot" | "tflm";
export type ToolchainDriver = "host-cc" | "arm-none-eabi-gcc" | "esp-idf" | "arduino-cli" | "coralmicro";
export type FlasherDriver = "none" | "qemu" | "esptool" | "arduino-cli" | "coralmicro-flashtool";

export interface UsbId {
  vid: string;
  pid: string;
  description?: string;
}

export interface Board {
  /** The file name without .json. */
  id: string;
  /** Where it was loaded from. */
  file: string;
  name: string;
  vendor: string;
  url?: string;
  family: BoardFamily;
  cpu: { arch: "native" | "arm" | "xtensa"; core: string; clockHz: number; cflags: string[] };
  memory: { flashBytes: number; ramBytes: number; flashOrigin?: number; ramOrigin?: number };
  runtime: { default: RuntimeKind; supported: RuntimeKind[]; kernels: "reference" | "cmsis-nn" | "esp-nn" };
  toolchain: { driver: ToolchainDriver; target?: string; fqbn?: string };
  flasher: { driver: FlasherDriver };
  serial?: { baud: number; usb?: UsbId[]; resetOnOpen?: boolean };
  timer: { hz: number; source: string };
  emulator?: { qemu: { machine: string; icountShift?: number } };
}
