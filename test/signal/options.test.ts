// Malformed flexbuffer options of a signal op: truncated, they must fail
// prepare with TML_E_MODEL_INVALID naming the op; corrupted, they either still
// parse or fail with a model error — never a crash or an out-of-range read.

import { describe, expect, it } from "vitest";
import "../../src/reference/kernels/signal/index.js";
import { isTinymlError } from "../../src/errors.js";
import { flexBool, flexInt32, readFlexMap } from "../../src/model/flexbuffers.js";
import type { Model } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import { modelPath } from "../fixtures.js";

async function frontend(): Promise<Model> {
  return (await loadModel(modelPath("audio_preprocessor_int8"))).model;
}

/** The frontend with custom op `name`'s options replaced. */
function withOptions(model: Model, name: string, options: Uint8Array): Model {
  const g = model.graphs[0]!;
  const ops = g.ops.map((op) => (op.kind === "custom" && op.name === name ? { ...op, customOptions: options } : op));
  return { ...model, graphs: [{ ...g, ops }, ...model.graphs.slice(1)] };
}

function prepareError(model: Model): unknown {
  try {
    prepareReference(model);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("signal op options", () => {
  it("reads the frontend's options as TFLM does", async () => {
    const ops = (await frontend()).graphs[0]!.ops.flatMap((op) => (op.kind === "custom" ? [op] : []));
    const by = (n: string) => readFlexMap(ops.find((o) => o.name === n)!.customOptions);
    expect(flexInt32(by("SignalWindow"), 0, "shift")).toBe(12);
    expect(flexInt32(by("SignalRfft"), 1, "fft_length")).toBe(512);
    expect([flexInt32(by("SignalEnergy"), 0, "end_index"), flexInt32(by("SignalEnergy"), 1, "start_index")]).toEqual([241, 5]);
    expect(flexBool(by("SignalFilterBankSpectralSubtraction"), 2, "clamping")).toBe(false);
    expect(flexInt32(by("SignalFilterBankLog"), 1, "output_scale")).toBe(64);
  });

  const names = ["SignalWindow", "SignalRfft", "SignalEnergy", "SignalFilterBank", "SignalFilterBankSpectralSubtraction", "SignalPCAN", "SignalFilterBankLog"];
  it.each(names)("%s: every truncation is TML_E_MODEL_INVALID", async (name) => {
    const model = await frontend();
    const op = model.graphs[0]!.ops.find((o) => o.kind === "custom" && o.name === name)!;
    const full = op.kind === "custom" ? op.customOptions : new Uint8Array();
    for (let n = 0; n < full.length; n++) {
      const e = prepareError(withOptions(model, name, full.slice(0, n)));
      expect(isTinymlError(e), `${name} truncated to ${n} bytes`).toBe(true);
      if (isTinymlError(e)) {
        expect(e.code).toBe("TML_E_MODEL_INVALID");
        expect(e.message).toContain(`CUSTOM:${name}`);
      }
    }
  });

  it.each(names)("%s: corrupted bytes never crash", async (name) => {
    const model = await frontend();
    const op = model.graphs[0]!.ops.find((o) => o.kind === "custom" && o.name === name)!;
    const full = op.kind === "custom" ? op.customOptions : new Uint8Array();
    for (let k = 0; k < full.length; k++) {
      for (const v of [0x00, 0x7f, 0xff]) {
        const bad = full.slice();
        bad[k] = v;
        const e = prepareError(withOptions(model, name, bad));
        // A corrupted value may still parse (then prepare checks it: e.g. T = float is TML_E_DTYPE_UNSUPPORTED).
        if (e !== undefined) expect(isTinymlError(e) && e.category, `${name} byte ${k} = ${v}: ${String(e)}`).toBe("model");
      }
    }
  });

  it("names a missing key", () => {
    // {"shift": 12} re-keyed as {"shifT": 12}.
    const bytes = Uint8Array.from([0x73, 0x68, 0x69, 0x66, 0x54, 0, 1, 7, 1, 1, 1, 12, 4, 2, 0x24, 1]);
    expect(() => flexInt32(readFlexMap(bytes), 0, "shift")).toThrow(/element 0 is 'shifT', expected 'shift'/);
  });
});
