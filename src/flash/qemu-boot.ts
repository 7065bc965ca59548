// "Flashing" an emulated board means booting its image: QEMU starts the ELF
// `tinyml build` made, and the firmware must answer HELLO/INFO over its UART
// with its provenance. With `keep`, QEMU stays up and the caller gets the pty
// to attach other tools to.

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Board } from "../boards/board.js";
import { FIRMWARE_ELF } from "../build/baremetal.js";
import { DeviceClient, type DeviceInfo } from "../device/client.js";
import { launchQemu, type QemuSession } from "../device/qemu.js";
import { SerialTransport } from "../device/transport.js";
import { TinymlError } from "../errors.js";

export interface BootedImage {
  elf: string;
  pty: string;
  info: DeviceInfo;
  /** The running emulator (stopped already unless `keep` was asked for). */
  session: QemuSession;
}

export async function bootInQemu(board: Board, buildDir: string, opts: { keep: boolean; timeoutMs?: number }): Promise<BootedImage> {
  const elf = join(buildDir, FIRMWARE_ELF);
  if (!existsSync(elf)) {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `no firmware image at ${elf}`, {
      location: { file: elf },
      hint: `Build it first: tinyml build --board ${board.id} MODEL -o ${buildDir}`,
    });
  }
  const session = await launchQemu({ board, elf, icount: true, timeoutMs: opts.keep ? 24 * 3600_000 : (opts.timeoutMs ?? 60_000) });
  const transport = await SerialTransport.open(session.ptyPath);
  try {
    await session.resume();
    // QEMU polls a pty about once a second: give each attempt room.
    const client = await DeviceClient.connect(transport, { attemptTimeoutMs: 2500, attempts: 10 });
    const info = await client.info();
    await client.close();
    return { elf, pty: session.ptyPath, info, session };
  } catch (e) {
    session.kill();
    throw e;
  } finally {
    await transport.close().catch(() => undefined);
    if (!opts.keep) session.kill();
  }
}
