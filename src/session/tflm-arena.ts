// The TFLM interpreter's arena, sized by TFLM's own planner on the target
// itself: a probe build of the same model, tree, board and flags, with an
// arena as large as the board leaves, is run once (the host process, or the
// image booted in QEMU); its init bisects the arena for the smallest size
// AllocateTensors() succeeds in and INFO reports that. arena_used_bytes()
// alone is not enough: TFLM's temporaries while preparing (per-channel
// buffers of a wide FULLY_CONNECTED) can exceed what stays used. The figure
// is exact for the board's ABI and kernels (CMSIS-NN's scratch requests
// included), where any estimate from the model's tensors is a guess that is
// either wasteful or too small. It is cached by tree, model, board and
// tinyml version.
//
// Boards tinyml cannot run here (vendor families: their TFLM comes from
// their own package) keep the estimate; --arena N overrides either.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Board } from "../boards/board.js";
import { DeviceClient } from "../device/client.js";
import { noAnswer } from "../device/launch.js";
import { TinymlError } from "../errors.js";
import { buildFirmware } from "../firmware-project/build.js";
import { FAMILIES } from "../firmware-project/families.js";
import type { FirmwareRequest } from "../firmware-project/request.js";
import { readTflmTree } from "../firmware-project/tflm-tree.js";
import { mainGraph, tensorBytes } from "../model/graph.js";
import { tinymlVersion } from "../paths.js";
import { cacheRoot } from "../toolchain/object-cache.js";
import { registerCleanup } from "../util/lifecycle.js";
import { findFirmware } from "./firmware.js";
import { withSession } from "./session.js";

export interface ArenaChoice {
  bytes?: number;
  /** given: --arena; probe: measured now; cache: measured earlier; estimate: the generator's estimate (bytes unset). */
  source: "given" | "probe" | "cache" | "estimate";
}

/** What the probe image leaves the arena: the board's RAM less the stacks, heap, input copy and runtime. */
function probeArenaBytes(board: Board, inputBytes: number): number {
  const reserve = 48 * 1024 + inputBytes;
  return Math.min(64 * 1024 * 1024, Math.max(16 * 1024, board.memory.ramBytes - reserve)) & ~15;
}

function cacheFile(key: string): string {
  return join(cacheRoot(), "tflm-arena", `${key}.json`);
}

export async function tflmArena(req: FirmwareRequest, given?: number): Promise<ArenaChoice> {
  if (given !== undefined && (!Number.isInteger(given) || given <= 0)) throw new TinymlError("TML_E_USAGE", `--arena must be a positive whole number of bytes, got ${given}`);
  const { board } = req;
  // A dry run compiles nothing, and boards tinyml cannot run here have no probe.
  const probeable = !req.dryRun && req.runtime === "tflm" && req.tflmDir !== undefined && FAMILIES[board.family].compiler === "native" &&
    (board.flasher.driver === "none" || board.flasher.driver === "qemu");
  if (!probeable) return given !== undefined ? { bytes: given, source: "given" } : { source: "estimate" };
  const measured = await measure(req);
  if (given === undefined) return measured;
  if (given < measured.bytes!) {
    throw new TinymlError("TML_E_BUDGET_EXCEEDED", `--arena ${given} is too small: TFLM needs ${measured.bytes} bytes of arena for ${req.loaded.path} on ${board.id}`, {
      hint: `Give --arena ${measured.bytes} or more, or drop --arena (tinyml then uses exactly what TFLM needs).`,
    });
  }
  return { bytes: given, source: "given" };
}

async function measure(req: FirmwareRequest): Promise<ArenaChoice> {
  const { board } = req;
  if (!req.tflmDir) throw new Error("measure() needs a TFLM tree");
  const tree = readTflmTree(req.tflmDir);
  const key = createHash("sha256").update(JSON.stringify(["bisected", tinymlVersion, tree.digest, req.loaded.sha256, board.id, board.cpu, board.memory, req.tflmPreserveAll ?? false])).digest("hex");
  const file = cacheFile(key);
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, "utf8")) as { arenaUsedBytes: number };
    return { bytes: cached.arenaUsedBytes, source: "cache" };
  }
  const g = mainGraph(req.loaded.model);
  const probe = probeArenaBytes(board, g.inputs.reduce((n, i) => n + tensorBytes(g.tensors[i]!), 0));
  req.progress(`measuring TFLM's arena for ${req.loaded.path} on ${board.id} (a probe build with ${probe} B, once per model and tree)…`);
  const scratch = mkdtempSync(join(tmpdir(), "tinyml-tflm-probe-"));
  const forget = registerCleanup(() => rmSync(scratch, { recursive: true, force: true }));
  try {
    const dir = join(scratch, "probe");
    // The probe image bisects the arena on the device (TML_TFLM_ARENA_PROBE in tml_model_tflm.cc).
    await buildFirmware({ ...req, app: "inference", dir, dryRun: false, arenaBytes: probe, extraFiles: [], extraDefines: { TML_TFLM_ARENA_PROBE: "1" }, progress: () => undefined });
    const firmware = findFirmware(board, dir, { app: "inference", rebuild: "(the arena probe)" });
    const info = await withSession({ id: board.id, board }, firmware, {}, async (s) => {
      const client = await DeviceClient.connect(s.line.transport, s.client).catch((e: unknown) => {
        throw noAnswer(e, board, s.line.where);
      });
      try {
        return await client.info();
      } finally {
        await client.close().catch(() => undefined);
      }
    });
    if (!info.modelInitOk) {
      throw new TinymlError("TML_E_BUDGET_EXCEEDED", `TFLM cannot allocate ${req.loaded.path}'s tensors in ${probe} bytes of arena, the most ${board.name} has left`, {
        location: { file: board.file, detail: "memory.ramBytes" },
        hint: "The model needs more RAM than the board has: choose a board with more RAM, a smaller model, or --runtime aot (its arena is planned exactly, with no interpreter bookkeeping).",
      });
    }
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify({ arenaUsedBytes: info.arenaBytes, board: board.id, model: req.loaded.sha256, tree: tree.digest, probeArenaBytes: probe })}\n`);
    renameSync(tmp, file);
    return { bytes: info.arenaBytes, source: "probe" };
  } finally {
    forget();
    rmSync(scratch, { recursive: true, force: true });
  }
}
