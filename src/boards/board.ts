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

/**
 * Where the always-listening wake-word app gets audio: an I2S MEMS microphone
 * on given pins, the board's PDM microphone, or (host) a file or FIFO named
 * by TML_MIC. A board without this section has no microphone.
 */
export interface Microphone {
  kind: "i2s" | "pdm" | "file";
  description: string;
  /** I2S: GPIO numbers of the microphone's SCK, WS and SD lines. */
  pins?: { bclk: number; ws: number; din: number };
  /** I2S: the slot the microphone talks in (its L/R pin: GND = left). */
  slot?: "left" | "right";
  /** I2S: right shift from the 32-bit slot to int16 (the HAL's default: 14). */
  shift?: number;
  /** PDM: the driver's gain setting. */
  gain?: number;
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
  /** icountAlign: QEMU paces the guest to host time (-icount align=on), 2^icountShift ns per instruction, so it runs as long as that CPU would. */
  emulator?: { qemu: { machine: string; icountShift?: number; icountAlign?: boolean } };
  microphone?: Microphone;
}
