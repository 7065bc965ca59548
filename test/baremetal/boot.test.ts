// Boots fixtures/hello_app.c on both QEMU boards through launchQemu and talks
// to it over the pty with serialport: greeting, echo (host → guest → host),
// bulk transfers both ways, a timed busy loop, and the semihosting exit code.
// Under -icount the busy loop's tick count must not change between runs.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { launchQemu, type QemuExit } from "../../src/device/qemu.js";
import { GuestSerial } from "./guest-serial.js";
import { buildApp, haveQemu, scratch } from "./images.js";

interface HelloRun {
  greeting: string;
  /** From QMP `cont` to the greeting's last byte (includes QEMU's ~1 s pty poll). */
  bootMs: number;
  echo: Buffer;
  busyTicks: number;
  hostToGuestKiBps: number;
  guestToHostKiBps: number;
  exit: QemuExit;
}

const ECHO = Buffer.from(Array.from({ length: 16 }, (_, i) => (i * 37 + 250) & 0xff));
// The guest's ring holds 2 KB; one acknowledged round each stays under it.
const UPLOAD_ROUND = 2048;
const UPLOAD_ROUNDS = 4;
const DOWNLOAD_BYTES = 128 * 1024;
// More than the 2 KB RX ring, under the ~4 KB serialport can have unacknowledged on a pty.
const BURST_BYTES = 3000;
// Spin iterations the HAL waits between unmasking RX and draining the UART in
// the widened-window test: tens of microseconds, longer than QEMU takes to
// deliver the next byte.
const UNMASK_STALL = 20_000;

function command(letter: string, n: number): Buffer {
  const b = Buffer.alloc(5);
  b.write(letter, 0, "latin1");
  b.writeUInt32LE(n, 1);
  return b;
}

async function sendBurstWhileBusy(serial: GuestSerial): Promise<void> {
  const burst = Buffer.from(Array.from({ length: BURST_BYTES }, (_, i) => (i * 7) & 0xff));
  const mark = serial.text.length;
  await serial.write(Buffer.concat([command("B", burst.length), burst]));
  const expectedSum = burst.reduce((a, v) => a + v, 0);
  await serial.waitFor(() => serial.text.slice(mark).includes(`sum=${expectedSum} n=${BURST_BYTES}\n`), 20_000, "the burst's sum");
}

async function runHello(boardId: string, elf: string, icount: boolean, bursts = 1): Promise<HelloRun> {
  const session = await launchQemu({ board: loadBoard(boardId), elf, icount, timeoutMs: 120_000 });
  const serial = await GuestSerial.open(session.ptyPath);
  try {
    await session.resume();
    const t0 = performance.now();
    // QEMU drops guest output until it notices the host on the pty, so the
    // app waits for this byte before saying anything.
    await serial.write("!");
    const greeting = (await serial.waitForText(/tinyml hello from .*\n/, 45_000))[0].trim();
    const bootMs = performance.now() - t0;

    const at = serial.bytes.length;
    await serial.write(ECHO);
    await serial.waitFor((b) => b.length >= at + ECHO.length, 45_000, "the echo");
    const echo = Buffer.from(serial.bytes.subarray(at, at + ECHO.length));
    const busyTicks = Number((await serial.waitForText(/busy_ticks=(\d+)\n/, 45_000))[1]);

    const t1 = performance.now();
    for (let r = 0; r < UPLOAD_ROUNDS; r++) {
      const data = Buffer.alloc(UPLOAD_ROUND, r + 1);
      const mark = serial.text.length;
      await serial.write(Buffer.concat([command("T", data.length), data]));
      await serial.waitFor(() => serial.text.slice(mark).includes(`sum=${UPLOAD_ROUND * (r + 1)} n=${UPLOAD_ROUND}\n`), 20_000, `upload round ${r}`);
    }
    const hostToGuestKiBps = (UPLOAD_ROUND * UPLOAD_ROUNDS) / 1024 / ((performance.now() - t1) / 1000);

    // Sent while the guest computes: the ring fills, the UART holds a byte,
    // QEMU waits. Host time only: under -icount the guest's 300 ms of timer
    // polling costs ~15 s of real time.
    if (!icount) for (let k = 0; k < bursts; k++) await sendBurstWhileBusy(serial);

    const from = serial.bytes.length;
    const t2 = performance.now();
    await serial.write(command("R", DOWNLOAD_BYTES));
    await serial.waitFor((b) => b.length >= from + DOWNLOAD_BYTES + 4, 30_000, "the download");
    const guestToHostKiBps = DOWNLOAD_BYTES / 1024 / ((performance.now() - t2) / 1000);
    const download = serial.bytes.subarray(from, from + DOWNLOAD_BYTES);
    expect(download.every((v, i) => v === (i & 0xff))).toBe(true);

    // Under -icount on a loaded host, QEMU (7.2) can stop polling the pty
    // after a long guest-to-host transfer until more input arrives; a second
    // "Q" wakes it. The serial protocol retransmits for the same reason.
    for (let attempt = 0; ; attempt++) {
      await serial.write("Q");
      try {
        await serial.waitForText(/bye\n/, 3_000);
        break;
      } catch (e) {
        if (attempt >= 15) throw e;
      }
    }
    const exit = await session.exit;
    return { greeting, bootMs, echo, busyTicks, hostToGuestKiBps, guestToHostKiBps, exit };
  } finally {
    session.kill();
    await serial.close();
  }
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

for (const boardId of ["qemu-m4", "qemu-m7"]) {
  describe(`hello_app on ${boardId}`, () => {
    let ready = false;
    let elf = "";
    let stalledElf = "";
    beforeAll(async () => {
      ready = await haveQemu();
      if (!ready) return;
      const dir = scratch(`hello-${boardId}`);
      dirs.push(dir);
      elf = (await buildApp(loadBoard(boardId), "hello_app.c", join(dir, "plain"))).elf;
      stalledElf = (await buildApp(loadBoard(boardId), "hello_app.c", join(dir, "stalled"), { defines: [`TML_UART_UNMASK_STALL=${UNMASK_STALL}`] })).elf;
    });

    it("greets, echoes, transfers both ways and exits with code 7", async (ctx) => {
      if (!ready) return ctx.skip();
      const run = await runHello(boardId, elf, false);
      expect(run.greeting).toBe(`tinyml hello from ${boardId} timer_hz=25000000`);
      expect([...run.echo]).toEqual([...ECHO].map((b) => (b + 1) & 0xff));
      expect(run.busyTicks).toBeGreaterThan(0);
      expect(run.exit).toEqual({ code: 7, signal: null, timedOut: false });
      console.log(
        `${boardId}: boot-to-greeting ${run.bootMs.toFixed(0)} ms, host→guest ${run.hostToGuestKiBps.toFixed(1)} KiB/s, ` +
          `guest→host ${run.guestToHostKiBps.toFixed(1)} KiB/s, busy loop ${run.busyTicks} ticks (host time)`,
      );
    });

    // The reader unmasks RX after the ring was full. A byte that lands while RX
    // is masked raises no interrupt later, so the HAL unmasks before its last
    // look at the UART; the other order loses that byte's wake-up now and then
    // (2 of 6 suite runs) and the host's writes stall for good. Widening the
    // window makes a byte land in it on every burst: with the other order this
    // hangs on the first burst.
    it("loses no RX wake-up when a byte lands while the reader unmasks (window widened)", async (ctx) => {
      if (!ready) return ctx.skip();
      const run = await runHello(boardId, stalledElf, false, 3);
      expect(run.exit).toEqual({ code: 7, signal: null, timedOut: false });
    });

    it("counts the same busy-loop ticks on every run under -icount", async (ctx) => {
      if (!ready) return ctx.skip();
      const a = await runHello(boardId, elf, true);
      const b = await runHello(boardId, elf, true);
      expect(a.exit.code).toBe(7);
      expect(b.exit.code).toBe(7);
      expect(a.busyTicks).toBeGreaterThan(0);
      expect(b.busyTicks).toBe(a.busyTicks);
      console.log(`${boardId}: busy loop ${a.busyTicks} ticks under -icount shift=0 (= ${a.busyTicks * 40} instructions)`);
    });
  });
}
