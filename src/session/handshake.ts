// "Does this firmware answer?" in its own app's protocol: HELLO and INFO for
// the tinyml protocol apps (inference, wakeword), `name` and `profile` for
// the MLPerf Tiny runner's. Used where a session only needs to know the
// firmware is up and what it is (flash on an emulated board, --keep).

import { DeviceClient } from "../device/client.js";
import { EembcClient } from "../device/eembc-client.js";
import { noAnswer } from "../device/launch.js";
import { WakewordClient } from "../device/wakeword-client.js";
import type { DeviceSession } from "./session.js";

export interface FirmwareIdentity {
  app: string;
  /** One line for the user: what the firmware said about itself. */
  summary: string;
  /** tinyml protocol apps: the firmware's INFO. */
  info?: { boardId: string; runtime: string; tinymlVersion: string; modelSha256: string; arenaBytes: number; timerHz: number };
  /** The EEMBC app: its name and profile answers. */
  eembc?: { name: string; firmware: string; model: string };
}

export async function handshake(s: DeviceSession): Promise<FirmwareIdentity> {
  const app = s.firmware.app;
  const fail = (e: unknown): never => {
    throw noAnswer(e, s.target.board, s.line.where);
  };
  if (app === "eembc") {
    const slow = s.target.board.flasher.driver === "qemu";
    const client = new EembcClient(s.line.transport, { timeoutMs: slow ? 15_000 : 5000 });
    try {
      const name = await client.sync(5, slow ? 500 : 200).catch(fail);
      const profile = await client.profile();
      return { app, summary: `MLPerf Tiny (EEMBC) runner firmware: ${name}, ${profile.firmware}, model ${profile.model}`, eembc: { name, ...profile } };
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  if (app === "wakeword") {
    const { client, info } = await WakewordClient.connect(s.line.transport, s.client).catch(fail);
    await client.close().catch(() => undefined);
    return { app, summary: describeInfo(info), info };
  }
  const client = await DeviceClient.connect(s.line.transport, s.client).catch(fail);
  try {
    const info = await client.info();
    return { app, summary: describeInfo(info), info };
  } finally {
    await client.close().catch(() => undefined);
  }
}

function describeInfo(i: NonNullable<FirmwareIdentity["info"]>): string {
  return `board ${i.boardId}, ${i.runtime} runtime, tinyml ${i.tinymlVersion}, model sha256 ${i.modelSha256.slice(0, 12)}…, arena ${i.arenaBytes} B, timer ${i.timerHz} Hz`;
}
