// Host-side speed of a build (issue 16, goal 4) through the real CLI on
// qemu-m4: for each model, a cold `tinyml build` (empty object cache, new
// build directory), warm ones (the cache filled, a new directory each time:
// another model's or a fresh checkout's build), and a rebuild in place; the
// sources compiled and how many of them are kernels; the image's code (flash
// without the model's data). Then the CLI's start-up (`--version`, `build
// --help`: every command module loaded) and the reference interpreter's MAC/s
// on person_detect (bench/reference.ts). With --float-models DIR, `quantize`
// of the float MLPerf ResNet with 100 calibration samples. Every model of
// bench/models.ts that is on this machine (--models DIR for the two the repo
// does not hold). Writes bench/results/host-speed.json.
//   npm run bench host-speed -- [--models DIR] [--float-models DIR]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBoard } from "../src/boards/load.js";
import type { FirmwareResult } from "../src/firmware-project/request.js";
import { measureImage, modelDataBytes } from "../src/toolchain/size.js";
import { BENCH_MODELS, floatResnet, isPresent } from "./models.js";
import { measureQuantize } from "./quantize-speed.js";
import { measureReference } from "./reference.js";
import { writeResult } from "./result.js";

const root = new URL("..", import.meta.url).pathname;
const BOARD = "qemu-m4";
const CALIB_SAMPLES = 100;
const WARM_RUNS = 3;
const START_RUNS = 10;
/** The targets. */
const TARGETS = { coldMs: 30_000, warmMs: 5_000, referenceMacsPerSecond: 300e6, quantizeMs: 60_000 };

const scratch = mkdtempSync(join(tmpdir(), "tinyml-bench-host-"));

function tinyml(args: string[], env: Record<string, string> = {}): { ms: number; stdout: string; status: number } {
  const t = performance.now();
  const r = spawnSync("node", [join(root, "bin/tinyml.js"), ...args], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - t;
  if (r.status !== 0 && !args.includes("--help")) throw new Error(`tinyml ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  return { ms, stdout: r.stdout, status: r.status ?? -1 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number): number => Math.round(ms);

// The bundle is rebuilt by bin/tinyml.js when a source is newer: not part of any timing.
tinyml(["--version"]);

const builds: Array<Record<string, unknown>> = [];
try {
  const board = loadBoard(BOARD);
  for (const { name, path: model } of BENCH_MODELS.filter(isPresent)) {
    const cache = join(scratch, `cache-${name}`);
    const env = { TINYML_CACHE_DIR: cache };
    const build = (dir: string): { ms: number; json: FirmwareResult } => {
      const r = tinyml(["build", model, "--board", BOARD, "-o", dir, "--json"], env);
      return { ms: r.ms, json: JSON.parse(r.stdout) as FirmwareResult };
    };
    const coldDir = join(scratch, `${name}-cold`);
    const cold = build(coldDir);
    const warm = Array.from({ length: WARM_RUNS }, (_, i) => build(join(scratch, `${name}-warm${i}`)));
    const rebuild = build(coldDir);
    const kernels = readdirSync(join(coldDir, "kernels")).filter((f) => f.endsWith(".c")).length;
    const size = await measureImage(join(coldDir, "firmware.elf"), board);
    const dataBytes = await modelDataBytes(coldDir, board);
    const row = {
      model: name, board: BOARD,
      coldMs: round(cold.ms), warmMs: round(median(warm.map((w) => w.ms))), rebuildMs: round(rebuild.ms),
      sourcesCompiled: cold.json.compiled?.compiled, kernelSources: kernels,
      warmFromCache: warm[0]!.json.compiled?.cached,
      flashBytes: size.flash.used, codeBytes: size.flash.used - dataBytes,
    };
    builds.push(row);
    console.log(`${name} on ${BOARD}: cold ${row.coldMs} ms (${row.sourcesCompiled} sources, ${kernels} kernel .c), warm ${row.warmMs} ms (median of ${WARM_RUNS}, ${row.warmFromCache} from the cache), rebuild ${row.rebuildMs} ms; code ${row.codeBytes} B`);
    rmSync(cache, { recursive: true, force: true });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const startup = (args: string[]): { minMs: number; medianMs: number } => {
  const times = Array.from({ length: START_RUNS }, () => tinyml(args).ms);
  return { minMs: round(Math.min(...times)), medianMs: round(median(times)) };
};
const nodeAlone = (() => {
  const times = Array.from({ length: START_RUNS }, () => {
    const t = performance.now();
    spawnSync("node", ["-e", "0"]);
    return performance.now() - t;
  });
  return { minMs: round(Math.min(...times)), medianMs: round(median(times)) };
})();
const cliStart = { node: nodeAlone, version: startup(["--version"]), buildHelp: startup(["build", "--help"]) };
console.log(`CLI start (min/median of ${START_RUNS}): node alone ${nodeAlone.minMs}/${nodeAlone.medianMs} ms, --version ${cliStart.version.minMs}/${cliStart.version.medianMs} ms, build --help ${cliStart.buildHelp.minMs}/${cliStart.buildHelp.medianMs} ms`);

const missing = BENCH_MODELS.filter((m) => !isPresent(m)).map((m) => m.name);
if (missing.length > 0) console.log(`builds left out (not found; pass --models DIR): ${missing.join(", ")}`);

const resnet = floatResnet();
const quantize = resnet ? await measureQuantize(resnet, CALIB_SAMPLES, (args) => tinyml(args).ms) : undefined;
if (quantize) console.log(`quantize ${quantize.model} with ${quantize.samples} samples: ${quantize.ms} ms`);
else console.log("quantize timing left out (pass --float-models DIR holding pretrainedResnet.tflite or .h5)");

const reference = await measureReference(20);
console.log(`reference: person_detect ${reference.medianMs} ms/inference, ${(reference.macsPerSecond / 1e6).toFixed(0)} M MAC/s`);

const path = writeResult("host-speed", {
  targets: TARGETS,
  builds,
  missing,
  cliStart,
  reference,
  quantize: quantize ?? null,
  meets: {
    quantize: quantize ? quantize.ms <= TARGETS.quantizeMs : null,
    cold: builds.every((b) => (b.coldMs as number) <= TARGETS.coldMs),
    warm: builds.every((b) => (b.warmMs as number) <= TARGETS.warmMs),
    reference: reference.macsPerSecond >= TARGETS.referenceMacsPerSecond,
  },
});
console.log(`-> ${path}`);
