// The C each vendor board gets, minus its SDK-bound HAL, compiled with that
// board's compiler and CPU flags under the strict warning set: the generated
// model (AOT), the kernels and the runtime must build warning-free for the
// nRF52840 (Nano 33 BLE) and the i.MX RT1176 M7 (coralmicro) with
// arm-none-eabi-gcc, and — Debian has no xtensa-esp32 compiler — with the
// host cc for the ESP32 boards. The sources are the ones the rendered
// project places, at the paths and with the defines it uses.
import { execa } from "execa";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { wakewordBuild } from "../../src/firmware-project/wakeword.js";
import { loadModel } from "../../src/model/load.js";
import { appDefines } from "../../src/firmware-project/model-sources.js";
import { boardDefines } from "../../src/firmware-project/context.js";
import { FAMILIES } from "../../src/firmware-project/families.js";
import { requireTool } from "../cli.js";
import { modelPath } from "../fixtures.js";
import { renderBoard, renderProject, tempDir, type RenderedBoard } from "./helpers.js";

const STRICT = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2"];

const CASES = [
  { board: "nano33ble", cc: "arm-none-eabi-gcc", useBoardFlags: true },
  { board: "coralmicro", cc: "arm-none-eabi-gcc", useBoardFlags: true },
  { board: "esp32", cc: "cc", useBoardFlags: false },
  { board: "esp32s3", cc: "cc", useBoardFlags: false },
] as const;

/** The wake-word project: the frontend, the micro_speech classifier, its labels and the app's defines. */
async function renderWakeword(boardId: string): Promise<{ project: RenderedBoard["project"]; defines: Record<string, string> }> {
  const board = loadBoard(boardId);
  const ww = await wakewordBuild({ family: board.family, runtime: "aot", model: await loadModel(modelPath("micro_speech_quantized")), frontendPath: modelPath("audio_preprocessor_int8") });
  const defines = { ...boardDefines(board, "aot"), ...appDefines(ww.parts.loaded), ...ww.parts.extraDefines };
  const { project } = await renderProject({ board, runtime: "aot", app: "wakeword", dir: tempDir(`${boardId}-ww`), ...ww.parts });
  return { project, defines };
}

const APPS = [
  { app: "inference", expected: ["model.c", "tml_proto_app.c"] },
  { app: "wakeword", expected: ["model.c", "frontend_model.c", "wakeword_labels.c", "tml_wakeword_app.c", "tml_signal_rfft_s16.c", "tml_recognize.c"] },
] as const;

describe("the shared C core compiles warning-free per vendor board", () => {
  for (const c of CASES) for (const a of APPS) {
    it(`${c.board} ${a.app} app with ${c.cc}${c.useBoardFlags ? " and the board's CPU flags" : ""}`, async () => {
      if (!(await requireTool(c.cc, c.cc === "cc" ? "apt-get install gcc" : "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"))) return;
      const board = loadBoard(c.board);
      const { project, defines: appDefines } = a.app === "wakeword"
        ? await renderWakeword(c.board)
        : { project: (await renderBoard(c.board, "aot")).project, defines: boardDefines(board, "aot") };
      const ctx = project.context;
      const listRoot = FAMILIES[board.family].layout.listRoot.replace("{{sketch}}", ctx.sketch);
      const sources = ctx.sources.c.filter((s) => !/(^|\/)hal\//.test(s) && !/tml_hal_/.test(s));
      for (const f of a.expected) expect(sources.some((s) => s === f || s.endsWith(`/${f}`)), f).toBe(true);
      const defines = Object.entries(appDefines).map(([k, v]) => `-D${k}=${v}`);
      const flags = [...STRICT, ...(c.useBoardFlags ? board.cpu.cflags : []), ...defines, ...ctx.includeDirs.map((d) => `-I${d}`)];
      const cwd = join(project.dir, listRoot);
      const failures: string[] = [];
      await Promise.all(
        sources.map(async (s) => {
          const r = await execa(c.cc, [...flags, "-c", s, "-o", `/dev/null`], { cwd, reject: false });
          if (r.exitCode !== 0 || r.stderr.trim() !== "") failures.push(`${s}:\n${r.stderr}`);
        }),
      );
      expect(failures).toEqual([]);
    });
  }
});
