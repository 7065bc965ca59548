// Every kind of bad model input gives one clear message with a stable error
// code and exit code, and no stack trace. The malformed models were made by
// flatc from the real hello_world model (see fixtures/invalid/generate.mjs).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir, modelPath } from "../fixtures.js";
import { tinyml } from "../cli.js";

const dir = mkdtempSync(join(tmpdir(), "tinyml-bad-"));
const helloWorld = new Uint8Array(readFileSync(modelPath("hello_world_int8")));
function scratch(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}
const invalid = (name: string) => `${fixturesDir}invalid/${name}.tflite`;

interface Case {
  name: string;
  path: () => string;
  code: string;
  exit: number;
  /** Words the message must contain (what and where). */
  says: RegExp;
}

const cases: Case[] = [
  { name: "a missing path", path: () => join(dir, "nope.tflite"), code: "TML_E_FILE_NOT_FOUND", exit: 2, says: /not found: .*nope\.tflite/ },
  { name: "a directory", path: () => dir, code: "TML_E_FILE_IS_DIRECTORY", exit: 2, says: /is a directory/ },
  { name: "an empty file", path: () => scratch("empty.tflite", new Uint8Array(0)), code: "TML_E_MODEL_INVALID", exit: 3, says: /only 0 byte/ },
  { name: "a truncated file", path: () => scratch("trunc.tflite", helloWorld.subarray(0, 600)), code: "TML_E_MODEL_INVALID", exit: 3, says: /outside the 600-byte file|past the end/ },
  {
    name: "wrong magic",
    path: () => {
      const b = helloWorld.slice();
      b.set([0x58, 0x58, 0x58, 0x58], 4);
      return scratch("magic.tflite", b);
    },
    code: "TML_E_MODEL_INVALID", exit: 3, says: /file identifier is "XXXX", expected "TFL3"/,
  },
  {
    name: "a PNG renamed .tflite",
    path: () => scratch("photo.tflite", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])),
    code: "TML_E_FORMAT_UNKNOWN", exit: 2, says: /the file is a PNG image, not a model/,
  },
  { name: "a JPEG", path: () => scratch("photo.jpg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46])), code: "TML_E_FORMAT_UNKNOWN", exit: 2, says: /a JPEG image, not a model/ },
  {
    name: "a TensorFlow SavedModel folder",
    path: () => {
      const d = mkdtempSync(join(dir, "saved-"));
      writeFileSync(join(d, "saved_model.pb"), new Uint8Array([0x08, 0x01, 0x12, 0x00]));
      return d;
    },
    code: "TML_E_FORMAT_UNKNOWN", exit: 2, says: /is a TensorFlow SavedModel folder, not a model file[^]*TFLiteConverter/,
  },
  { name: "a zip that is no Keras model", path: () => scratch("m.zip", new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)])), code: "TML_E_FORMAT_UNKNOWN", exit: 2, says: /a zip archive without a Keras 3 model/ },
  { name: "text that is no model", path: () => scratch("notes.txt", new TextEncoder().encode("hello")), code: "TML_E_FORMAT_UNKNOWN", exit: 2, says: /unrecognised model format/ },
  { name: "an out-of-range buffer index", path: () => invalid("buffer-index-out-of-range"), code: "TML_E_MODEL_INVALID", exit: 3, says: /buffer index 999 is out of range.*\n.*tensor 1/ },
  { name: "an out-of-range tensor index", path: () => invalid("tensor-index-out-of-range"), code: "TML_E_MODEL_INVALID", exit: 3, says: /tensor index 50 is out of range.*\n.*op 0 \(FULLY_CONNECTED\)/ },
  { name: "an out-of-range op code index", path: () => invalid("opcode-index-out-of-range"), code: "TML_E_MODEL_INVALID", exit: 3, says: /operator code index 7 is out of range.*\n.*op 1/ },
  { name: "a negative shape", path: () => invalid("negative-shape"), code: "TML_E_MODEL_INVALID", exit: 3, says: /shape \[1, -16\] has a negative dimension.*\n.*tensor 7/ },
  { name: "an overflowing shape", path: () => invalid("overflowing-shape"), code: "TML_E_MODEL_INVALID", exit: 3, says: /more than 2\^31-1 elements/ },
  { name: "a buffer that disagrees with shape × dtype", path: () => invalid("buffer-size-mismatch"), code: "TML_E_MODEL_INVALID", exit: 3, says: /buffer holds 8 bytes but shape \[16, 1\] of int8 needs 16/ },
  { name: "an unknown op code", path: () => invalid("unknown-op-code"), code: "TML_E_MODEL_UNSUPPORTED", exit: 3, says: /unknown builtin operator code 250/ },
  { name: "an op tinyml does not support", path: () => invalid("unsupported-op"), code: "TML_E_OP_UNSUPPORTED", exit: 3, says: /SQUEEZE \(builtin code 43\)/ },
  { name: "an empty graph", path: () => invalid("empty-graph"), code: "TML_E_MODEL_INVALID", exit: 3, says: /no operators/ },
  { name: "no subgraphs", path: () => invalid("no-subgraphs"), code: "TML_E_MODEL_INVALID", exit: 3, says: /no subgraphs/ },
  { name: "ops out of execution order", path: () => invalid("use-before-produced"), code: "TML_E_MODEL_INVALID", exit: 3, says: /used before any op produces it/ },
  { name: "per-channel scales that do not fit the shape", path: () => invalid("per-channel-scale-mismatch"), code: "TML_E_MODEL_INVALID", exit: 3, says: /3 per-channel scales for dimension 1 of size 1/ },
];

describe("bad model input", () => {
  for (const c of cases) {
    it(`${c.name}: ${c.code}, exit ${c.exit}`, async () => {
      const path = c.path();
      const r = await tinyml(["inspect", path]);
      expect(r.exitCode).toBe(c.exit);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(new RegExp(`^error\\[${c.code}\\]: `));
      expect(r.stderr).toMatch(c.says);
      expect(r.stderr).toContain("hint: ");
      expect(r.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/); // no stack trace
      // --json reports the same error as one JSON document on stdout.
      const j = await tinyml(["inspect", path, "--json"]);
      expect(j.exitCode).toBe(c.exit);
      const doc = JSON.parse(j.stdout) as { error: { code: string; message: string; location: { file: string } } };
      expect(doc.error.code).toBe(c.code);
      expect(doc.error.location.file).toBe(path);
    });
  }

  it("convert writes nothing when the input is bad", async () => {
    const out = join(dir, "out.tflite");
    const r = await tinyml(["convert", invalid("negative-shape"), "-o", out]);
    expect(r.exitCode).toBe(3);
    expect(() => readFileSync(out)).toThrow();
  });
});
