// `--app eembc` firmware (the host board's, built by the CLI) driven the way
// the MLPerf Tiny runner drives a DUT (benchmark/runner/device_under_test.py
// over serial_device.py): `name%`, `profile%`, `db load N%`, `db <31 bytes
// of hex>%` until m-load-done, `infer 1 0%`, `results%`, each answered
// until m-ready, and the answers read with the runner's own regexes. The
// expected m-results line comes from the reference submissions' own
// conversion and printing code (test/fixtures/eembc/reference_io.c,
// compiled here) around the model's int8 output, for all three I/O
// conventions and all four ids; tinyml's host reference must print it too.
import { execa } from "execa";
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SerialTransport } from "../../src/device/transport.js";
import { EEMBC_BENCHMARKS } from "../../src/eembc/benchmarks.js";
import { resultsText } from "../../src/eembc/io.js";
import { bytesOf } from "../../src/model/dtype.js";
import { mainGraph } from "../../src/model/graph.js";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import { requireTool, tinyml } from "../cli.js";
import { haveCc, haveSocat, scratch, seededRandom, startPtyDevice, type PtyDevice } from "../device/harness.js";
import { fixturesDir } from "../fixtures.js";

const ready = (await haveCc()) && (await haveSocat()) && (await requireTool("cc", "apt-get install gcc"));
const dir = scratch("eembc-runner");
const oracle = join(dir, "reference_io");
const fixture = (f: string): string => join(fixturesDir, "eembc", f);
const PERSON = join(fixturesDir, "models", "person_detect.tflite");

beforeAll(async () => {
  if (ready) await execa("cc", ["-std=c99", "-O2", "-ffp-contract=off", fixture("reference_io.c"), "-o", oracle, "-lm"]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The runner's SerialDevice.send_command: write the command and '%', collect lines up to the one holding m-ready. */
class RunnerLine {
  private text = "";
  private waiters: Array<() => void> = [];
  constructor(private readonly t: SerialTransport) {
    t.onData((b) => {
      this.text += Buffer.from(b).toString("latin1");
      for (const w of this.waiters.splice(0)) w();
    });
  }
  async send(command: string): Promise<string[]> {
    this.text = "";
    await this.t.write(new TextEncoder().encode(`${command}%`));
    while (!this.text.includes("m-ready\r\n")) await new Promise<void>((r) => this.waiters.push(r));
    // read_loop drops \r and \0 and splits on \n
    return this.text.split("\n").map((l) => l.replace(/[\r\0]/g, "")).filter((l) => l !== "" && l !== "m-ready");
  }
  /** DUT.load: `db load N`, then 31 bytes per `db` line. */
  async load(data: Uint8Array): Promise<string[]> {
    const all = await this.send(`db load ${data.length}`);
    for (let i = 0; i < data.length; i += 31) all.push(...(await this.send(`db ${Buffer.from(data.subarray(i, i + 31)).toString("hex")}`)));
    return all;
  }
}

interface Benchmark {
  id: string;
  model: string;
  /** --eembc-model, when the model is not the reference one. */
  given?: string;
  /** reference_io.c's name for the submission's conversion. */
  io: "kws" | "image_vww" | "image_ic" | "ad";
  samples: Uint8Array[];
}

function bmpPixels(name: string): Uint8Array {
  const b = readFileSync(join(fixturesDir, "models", name));
  return new Uint8Array(b.subarray(b.readUInt32LE(10), b.readUInt32LE(10) + 96 * 96));
}

const r = seededRandom(14);
const BENCHMARKS: Benchmark[] = [
  { id: "kws01", model: fixture("kws_ref_model.tflite"), io: "kws", samples: [0, 1].map(() => new Uint8Array(490).map(() => Math.floor(r() * 256))) },
  { id: "vww01", model: PERSON, given: "vww01", io: "image_vww", samples: [bmpPixels("person_detection_person.bmp"), bmpPixels("person_detection_no_person.bmp")] },
  { id: "ic01", model: PERSON, given: "ic01", io: "image_ic", samples: [bmpPixels("person_detection_no_person.bmp")] },
  {
    id: "ad01", model: fixture("ad01_int8.tflite"), io: "ad",
    // Spectrogram-like values past both ends of the input's range (scale 0.391, zero point 89: −84.8 … 14.9), to saturate too.
    samples: [0, 1].map(() => new Uint8Array(Float32Array.from({ length: 640 }, () => Math.fround(-95 + 115 * r())).buffer)),
  },
];

async function refio(args: string[], input: Uint8Array): Promise<Buffer> {
  const out = await execa(oracle, args, { input: Buffer.from(input), encoding: "buffer" });
  return Buffer.from(out.stdout);
}

function bits(x: number): string {
  const f = new Float32Array([x]);
  return String(new Uint32Array(f.buffer)[0]);
}

describe.skipIf(!ready)("eembc firmware driven with the runner's command sequence", () => {
  it.each(BENCHMARKS)("$id: name, profile, db load in 31-byte lines, infer, results as the reference submission prints them", async (b) => {
    const build = join(dir, b.id);
    const built = await tinyml(["build", "--app", "eembc", "--board", "host", b.model, "--build-dir", build, ...(b.given ? ["--eembc-model", b.given] : [])]);
    expect(built.exitCode, built.stderr).toBe(0);
    const loaded = await loadModel(b.model);
    const graph = mainGraph(loaded.model);
    const input = graph.tensors[graph.inputs[0]!]!;
    const output = graph.tensors[graph.outputs[0]!]!;
    const n = input.shape.reduce((a, x) => a * x, 1);
    const interp = prepareReference(loaded.model);
    let dev: PtyDevice | undefined;
    let t: SerialTransport | undefined;
    try {
      dev = await startPtyDevice(join(build, "firmware"), dir);
      t = await SerialTransport.open(dev.path);
      const line = new RunnerLine(t);
      // The runner's regexes (device_under_test.py).
      const name = (await line.send("name")).map((l) => /^m-(name)-dut-\[([^\]]+)]$/.exec(l)?.[2]).find(Boolean);
      expect(name).toBe("host");
      const profile = await line.send("profile");
      expect(profile.map((l) => /^m-(model|profile)-\[([^\]]+)]$/.exec(l)?.slice(1, 3).join("=")).filter(Boolean)).toEqual(["profile=ULPMark for tinyML Firmware V0.0.1", `model=${b.id}`]);
      for (const sample of b.samples) {
        const loadLines = await line.load(sample);
        expect(loadLines[0]).toBe(`m-[Expecting ${sample.length} bytes]`);
        expect(loadLines.filter((l) => l === "m-load-done")).toHaveLength(1);
        expect(loadLines.filter((l) => l.startsWith("e-"))).toEqual([]);
        const infer = await line.send("infer 1 0");
        expect(infer.filter((l) => /^m-lap-us-[0-9]+$/.test(l))).toHaveLength(2);
        const results = infer.filter((l) => /^m-results-\[([^\]]+)\]$/.test(l));
        expect(results).toHaveLength(1);
        // The oracle: the reference submission's th_load_tensor, the model, its th_results.
        const q = input.quantization!;
        const tensor = await refio(["load", b.io, bits(q.scale[0]!), String(q.zeroPoint[0]), String(n)], sample);
        const out = bytesOf(interp.invoke([new Uint8Array(tensor)])[0]!).slice();
        const oq = output.quantization!;
        const outN = output.shape.reduce((a, x) => a * x, 1);
        const samplePath = join(dir, `${b.id}.sample`);
        writeFileSync(samplePath, sample);
        const want = (await refio(["results", b.io, bits(oq.scale[0]!), String(oq.zeroPoint[0]), String(outN), samplePath], out)).toString("latin1").replace(/\r\n$/, "");
        expect(results[0]).toBe(want);
        expect(await line.send("results")).toEqual([want]);
        // tinyml's host reference predicts the same text from the same sample.
        const bench = EEMBC_BENCHMARKS.find((x) => x.id === b.id)!;
        expect(`m-results-[${resultsText(bench, output, out, sample)}]`).toBe(want);
        if (b.io === "ad") expect(want).toMatch(/^m-results-\[\d+\.\d{3}\]$/);
      }
      // A sample of the wrong size: refused in the runner's e-[…] form, and the device keeps serving.
      const bytes = b.samples[0]!.length;
      expect(await line.send(`db load ${bytes + 1}`)).toEqual([`e-[Buffer size ${bytes + 1} exceeds maximum of ${bytes}]`]);
      await line.load(b.samples[0]!.subarray(0, bytes - 1));
      expect(await line.send("infer 1 0")).toEqual([`e-[Input db has ${bytes - 1} bytes, expected ${bytes}]`]);
    } finally {
      await t?.close();
      await dev?.stop();
    }
  });
});

describe.skipIf(!ready)("eembc firmware in energy mode", () => {
  it("says m-timestamp-mode-energy, is built for 9600 baud, and prints no m-lap-us (the timestamp is the HAL's pin)", async () => {
    const build = join(dir, "energy");
    const built = await tinyml(["build", "--app", "eembc", "--board", "host", fixture("kws_ref_model.tflite"), "--build-dir", build, "--eembc-mode", "energy"]);
    expect(built.exitCode, built.stderr).toBe(0);
    expect(readFileSync(join(build, "build.log"), "utf8")).toMatch(/-DTML_UART_BAUD=9600u/);
    // On pipes, so the boot banner (printed before any command) is read from its first byte.
    const child = spawn(join(build, "firmware"), [], { stdio: ["pipe", "pipe", "inherit"] });
    let text = "";
    let wake: (() => void) | undefined;
    child.stdout.on("data", (b: Buffer) => {
      text += b.toString("latin1");
      wake?.();
    });
    const until = async (marker: string): Promise<string> => {
      while (!text.includes(marker)) await new Promise<void>((r) => (wake = r));
      const [head] = text.split(marker);
      text = text.slice(head!.length + marker.length);
      return head!;
    };
    const send = async (command: string): Promise<string[]> => {
      child.stdin.write(`${command}%`);
      return (await until("m-ready\r\n")).split("\r\n").filter((l) => l !== "");
    };
    try {
      expect((await until("m-ready\r\n")).split("\r\n")).toEqual(["m-timestamp-mode-energy", "m-init-done", ""]);
      expect(await send("timestamp")).toEqual([]);
      expect(await send("db load 490")).toEqual(["m-[Expecting 490 bytes]"]);
      for (let i = 0; i < 490; i += 31) await send(`db ${"00".repeat(Math.min(31, 490 - i))}`);
      const infer = await send("infer 1 0");
      expect(infer.slice(0, 4)).toEqual(["m-warmup-start-0", "m-warmup-done", "m-infer-start-1", "m-infer-done"]);
      expect(infer[4]).toMatch(/^m-results-\[/);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
