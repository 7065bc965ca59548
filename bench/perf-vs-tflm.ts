// Issue 16's table: the six models (TFLM's person_detect and micro_speech,
// the four MLPerf Tiny models) on the emulated Cortex-M boards through
// `tinyml bench`, AOT and, given --tflm-dir, TFLM from each tree in the
// same run: instructions per inference (QEMU -icount, deterministic), the
// arena, code without the model's data, every output bit-exact; per op
// type, instructions per MAC. Ratios are AOT / the last TFLM tree given
// (put the CMSIS-NN tree last). Writes bench/results/perf-vs-tflm.json.
//
//   npm run bench perf-vs-tflm -- [--tflm-dir TREE]... [--models DIR] [--boards qemu-m4,qemu-m7]
//
// Without --models DIR (bench/models.ts) the two MLPerf models the repo does
// not hold are left out and the result says so.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tinymlJson } from "../test/cli.js";
import type { BenchRun } from "../src/validate/bench.js";
import { BENCH_MODELS, benchOptions, isPresent } from "./models.js";
import { writeResult } from "./result.js";

const root = new URL("..", import.meta.url).pathname;
const values = benchOptions;
const MODELS = BENCH_MODELS;

interface Row {
  board: string;
  model: string;
  runs: Array<Pick<BenchRun, "runtime" | "kernels" | "arenaBytes" | "codeBytes" | "flashBytes" | "exact"> & {
    instructions?: number;
    perOp: Record<string, { instructions: number; macs: number; instructionsPerMac: number | null }>;
  }>;
  ratios?: { instructions: number; arena: number; code: number; versus: string };
}

const rows: Row[] = [];
const missing = MODELS.filter((m) => !isPresent(m)).map((m) => m.name);
const scratch = mkdtempSync(join(tmpdir(), "tinyml-bench-vs-tflm-"));
try {
  for (const board of values.boards!.split(",")) {
    for (const m of MODELS) {
      if (!isPresent(m)) continue;
      const args = ["bench", m.path, "--board", board, "--random", "2", "--runs", "3", "--profile", "--build-dir", join(scratch, `${board}-${m.name}`)];
      for (const t of values["tflm-dir"]!) args.push("--tflm-dir", t);
      const out = await tinymlJson<{ runs: BenchRun[] }>(args);
      const runs = out.runs.map((r) => {
        const perOp: Row["runs"][number]["perOp"] = {};
        for (const p of r.profile ?? []) {
          const e = (perOp[p.type] ??= { instructions: 0, macs: 0, instructionsPerMac: null });
          e.instructions += p.instructions ?? 0;
          e.macs += p.macs ?? 0;
        }
        for (const e of Object.values(perOp)) e.instructionsPerMac = e.macs > 0 ? Number((e.instructions / e.macs).toFixed(3)) : null;
        return {
          runtime: r.runtime, kernels: r.kernels, arenaBytes: r.arenaBytes, codeBytes: r.codeBytes, flashBytes: r.flashBytes, exact: r.exact,
          ...(r.instructions ? { instructions: r.instructions.median } : {}), perOp,
        };
      });
      const aot = runs.find((r) => r.runtime === "aot")!;
      const tflm = runs.filter((r) => r.runtime === "tflm").at(-1);
      const row: Row = { board, model: m.name, runs };
      if (tflm?.instructions && aot.instructions && tflm.arenaBytes && aot.arenaBytes !== undefined && tflm.codeBytes && aot.codeBytes) {
        row.ratios = {
          instructions: Number((aot.instructions / tflm.instructions).toFixed(3)),
          arena: Number((aot.arenaBytes / tflm.arenaBytes).toFixed(3)),
          code: Number((aot.codeBytes / tflm.codeBytes).toFixed(3)),
          versus: tflm.kernels,
        };
      }
      rows.push(row);
      const cells = runs.map((r) => `${r.runtime}/${r.kernels}: ${r.instructions ?? "?"} instr, arena ${r.arenaBytes ?? "?"} B, code ${r.codeBytes ?? "?"} B${r.exact ? "" : " NOT EXACT"}`);
      console.log(`${board} ${m.name}: ${cells.join("; ")}${row.ratios ? `; ratios ${JSON.stringify(row.ratios)}` : ""}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (missing.length > 0) console.log(`left out (not found; pass --models DIR): ${missing.join(", ")}`);
writeResult("perf-vs-tflm", { tflmDirs: values["tflm-dir"], missing, rows });
