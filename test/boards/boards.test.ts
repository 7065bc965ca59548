// Boards are data: every built-in board validates against the schema, a bad
// board file is a clear error naming the key, and a new board of a known
// family is one JSON file.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { fixturesDir } from "../fixtures.js";
import { tinyml, tinymlJson } from "../cli.js";
import { loadAllBoards, loadBoard, parseBoardFile } from "../../src/boards/load.js";
import { TinymlError } from "../../src/errors.js";
import type { Board } from "../../src/boards/board.js";

const invalid = (name: string) => join(fixturesDir, "boards", "invalid", `${name}.json`);

describe("built-in boards", () => {
  it("all validate, and the issue's boards are there", () => {
    const ids = loadAllBoards().map((b) => b.id);
    expect(ids).toEqual(expect.arrayContaining(["esp32", "esp32s3", "nano33ble", "coralmicro", "qemu-m4", "qemu-m7", "host"]));
  });

  it("the emulated boards carry a real part's budget", () => {
    const m4 = loadBoard("qemu-m4");
    expect(m4.memory).toMatchObject({ flashBytes: 1024 * 1024, ramBytes: 256 * 1024 });
    expect(m4.emulator?.qemu.machine).toBe("mps2-an386");
    expect(loadBoard("qemu-m7").emulator?.qemu.machine).toBe("mps2-an500");
  });

  it("an unknown id says what was meant", () => {
    try {
      loadBoard("nano33");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TinymlError);
      expect((e as TinymlError).code).toBe("TML_E_BOARD_UNKNOWN");
      expect((e as TinymlError).message).toContain("Did you mean 'nano33ble'?");
    }
  });

  it("tinyml boards --json lists them", async () => {
    const r = await tinymlJson<{ boards: Board[] }>(["boards"]);
    expect(r.boards.map((b) => b.id)).toContain("nano33ble");
    expect(r.boards.find((b) => b.id === "nano33ble")?.toolchain.fqbn).toBe("arduino:mbed_nano:nano33ble");
  });
});

describe("a board added by one JSON file", () => {
  it("appears in tinyml boards with --boards-dir", async () => {
    const dir = join(fixturesDir, "boards", "valid");
    const r = await tinymlJson<{ boards: Board[] }>(["boards", "--boards-dir", dir]);
    const mine = r.boards.find((b) => b.id === "my-nrf52840");
    expect(mine?.family).toBe("baremetal");
    expect(mine?.memory.ramBytes).toBe(196608);
  });
});

describe("invalid board files", () => {
  const cases: Array<[string, RegExp]> = [
    ["unknown-key", /memory\.ramByte: unknown key 'ramByte'\. Did you mean 'ramBytes'\?/],
    ["wrong-type", /cpu\.clockHz: expected an integer, found string "64 MHz"/],
    ["bad-family", /family: "baremetl" is not one of .*Did you mean 'baremetal'\?/],
    ["missing-timer", /missing required key 'timer'/],
    ["default-not-supported", /runtime\.default 'tflm' is not in runtime\.supported/],
    ["bad-usb-id", /serial\.usb\[0\]\.pid: "80ZZ" does not match/],
    ["not-json", /not valid JSON/],
    ["Bad_Name", /board id 'Bad_Name' must be lowercase/],
    ["mic-wrong-kind", /microphone\.kind 'pdm': the esp-idf HAL drives i2s microphones/],
    ["mic-no-pins", /microphone\.pins: an I2S microphone needs its bclk, ws and din GPIOs/],
  ];
  for (const [name, message] of cases) {
    it(name, () => {
      try {
        parseBoardFile(invalid(name));
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(TinymlError);
        expect((e as TinymlError).code).toBe("TML_E_BOARD_INVALID");
        expect((e as TinymlError).message).toMatch(message);
        expect((e as TinymlError).location?.file).toBe(invalid(name));
      }
    });
  }

  it("the CLI reports one with exit code 4 and no stack trace", async () => {
    const r = await tinyml(["boards", "--boards-dir", join(fixturesDir, "boards", "invalid")]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/^error\[TML_E_BOARD_INVALID\]/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
  });
});
