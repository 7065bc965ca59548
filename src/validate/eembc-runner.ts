// The same test over the MLPerf Tiny (EEMBC) runner protocol, for firmware
// built with `--app eembc`: each sample goes to the device as the runner
// sends it (`db load N`, 31-byte `db` lines, `infer N W`), in the
// benchmark's own encoding, and the text the device prints in
// m-results-[…] must equal, digit for digit, the host reference's: the
// same conversion of the sample into the model's input (src/eembc/io.ts),
// the bit-exact reference interpreter, the same printing. The profile's
// model id must be the benchmark's (the runner picks its test script by it).
// With a runner dataset (y_labels.csv), the runner's Top-1 and AUC are
// computed from the device's answers and from the host's.

import { EembcClient } from "../device/eembc-client.js";
import { icountInstructionsPerTick, noAnswer } from "../device/launch.js";
import type { EembcBenchmark } from "../eembc/benchmarks.js";
import { parseResults, resultsText, sampleToInput } from "../eembc/io.js";
import { runnerAccuracy, type FileScores } from "../eembc/metrics.js";
import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import type { LoadedModel } from "../model/load.js";
import type { DeviceSession } from "../session/session.js";
import { errorInfo } from "./case-runner.js";
import { compareWithin, describeMismatch } from "./compare.js";
import type { Expectations } from "./expected.js";
import { stats, worst, type BoardRun, type CaseResult } from "./report.js";

/** One thing the runner sends: a whole dataset file, or one ad01 window of it. */
export interface EembcCase {
  name: string;
  sources: string[];
  /** The bytes as the runner sends them (the benchmark's encoding). */
  sample: Uint8Array;
  /** Index into `files` when the case comes from a runner dataset. */
  file?: number;
}

export interface EembcMode {
  kind: "eembc";
  loaded: LoadedModel;
  benchmark: EembcBenchmark;
  cases: EembcCase[];
  /** The dataset's files and labels (y_labels.csv), for the runner's accuracy figures. */
  files?: Array<{ file: string; label: number }>;
  expect: Expectations;
  runs: number;
  warmup: number;
}

/** What the device must print for a case: the host reference through the benchmark's conversions. */
export function expectedResults(mode: Pick<EembcMode, "loaded" | "benchmark" | "expect">, c: EembcCase): string {
  const graph = mainGraph(mode.loaded.model);
  const input = graph.tensors[graph.inputs[0]!]!;
  const output = graph.tensors[graph.outputs[0]!]!;
  const data = sampleToInput(mode.benchmark, input, c.sample);
  const out = mode.expect.outputs({ name: c.name, sources: c.sources, data: [data] })[0]!;
  return resultsText(mode.benchmark, output, out, c.sample);
}

export async function runEembcCases(s: DeviceSession, mode: EembcMode, run: BoardRun, onCase: (c: CaseResult) => void): Promise<void> {
  const graph = mainGraph(mode.loaded.model);
  const output = graph.tensors[graph.outputs[0]!]!;
  const slow = s.target.board.flasher.driver === "qemu";
  const client = new EembcClient(s.line.transport, { timeoutMs: slow ? 15_000 : 5000, inferTimeoutMs: 300_000 });
  const deviceScores = new Map<number, number[][]>();
  const hostScores = new Map<number, number[][]>();
  try {
    await client.sync(5, slow ? 500 : 200).catch((e: unknown) => {
      throw noAnswer(e, s.target.board, s.line.where);
    });
    const profile = await client.profile();
    const idOk = profile.model === mode.benchmark.id;
    run.checks.push({
      name: "eembc model id", status: idOk ? "pass" : "fail",
      message: idOk ? `${profile.firmware}, model ${profile.model}` : `the firmware answers m-model-[${profile.model}], not ${mode.benchmark.id}: the runner would pick another test script (rebuild with --app eembc${mode.benchmark.id ? ` --eembc-model ${mode.benchmark.id}` : ""})`,
    });
    (run.notes ??= []).push(`the EEMBC protocol reports no model hash: the firmware's provenance is not checked; each case's m-results text is compared with the host reference's as printed (${mode.benchmark.id}: ${mode.benchmark.io} I/O)`);
    for (const c of mode.cases) {
      const t0 = Date.now();
      const result: CaseResult = { name: c.name, inputs: c.sources, status: "pass", retried: false, outputs: [], ticks: [] };
      try {
        await client.load(c.sample).catch((e: unknown) => {
          throw new TinymlError("TML_E_DEVICE_PROTOCOL", `${c.sources[0] ?? c.name}: ${e instanceof Error ? e.message : String(e)}`);
        });
        const r = await client.infer(mode.runs, mode.warmup);
        result.meanUs = r.latencyUs;
        const want = expectedResults(mode, c);
        const cmp = compareWithin(0, output, parseResults(want), parseResults(r.resultsText), 0);
        delete cmp.tolerance;
        if (cmp.exact && want !== r.resultsText) Object.assign(cmp, { exact: false, mismatches: 1, firstMismatch: { element: -1, expected: Number.NaN, actual: Number.NaN } });
        result.outputs = [cmp];
        if (!cmp.exact) {
          result.status = "fail";
          result.error = { code: "TML_E_TEST_FAILED", message: `${describeMismatch(cmp)}: the device printed [${r.resultsText}], the host reference [${want}]` };
        }
        if (c.file !== undefined) {
          push(deviceScores, c.file, parseResults(r.resultsText));
          push(hostScores, c.file, parseResults(want));
        }
      } catch (e) {
        result.status = "infra";
        result.error = errorInfo(e);
      }
      result.durationMs = Date.now() - t0;
      run.cases.push(result);
      onCase(result);
      if (result.status === "infra") {
        run.error = result.error;
        break;
      }
    }
    if (mode.files && deviceScores.size === mode.files.length) {
      const scores = (m: Map<number, number[][]>): FileScores[] => mode.files!.map((f, i) => ({ label: f.label, results: m.get(i)! }));
      run.eembc = { benchmark: mode.benchmark.id, device: runnerAccuracy(scores(deviceScores)), host: runnerAccuracy(scores(hostScores)) };
    }
    const means = run.cases.flatMap((c) => (c.meanUs !== undefined ? [c.meanUs] : []));
    if (means.length > 0) {
      const hz = s.target.board.timer.hz;
      const ticks = means.map((us) => (us * hz) / 1e6);
      const ipt = icountInstructionsPerTick(s.target.board);
      run.latency = {
        runs: means.length * mode.runs, warmup: mode.warmup, ticks: stats(ticks), us: stats(means), clockHz: hz, source: "m-lap-us",
        ...(ipt !== undefined ? { instructions: stats(ticks.map((t) => t * ipt)) } : {}),
      };
    }
    run.status = worst([...run.cases.map((c) => c.status), ...run.checks.map((c) => c.status)]);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function push(m: Map<number, number[][]>, k: number, v: number[]): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
