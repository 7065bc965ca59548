// tinyml's own model metadata: checked when read, carried by the .tflite
// writer and reader unchanged, and replaced rather than duplicated.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/model/load.js";
import { readTflite } from "../../src/model/tflite/reader.js";
import { writeTflite } from "../../src/model/tflite/writer.js";
import { parseTinymlMetadata, readTinymlMetadata, withTinymlMetadata } from "../../src/model/tinyml-metadata.js";
import { isTinymlError } from "../../src/errors.js";
import { modelPath } from "../fixtures.js";

describe("tinyml model metadata", () => {
  it("survives a .tflite write and read, and replaces an earlier entry", async () => {
    const { model } = await loadModel(modelPath("micro_speech_quantized"));
    expect(readTinymlMetadata(model)).toEqual({});
    const once = withTinymlMetadata(model, { labels: ["a", "b"] });
    const twice = withTinymlMetadata(once, { labels: ["silence", "unknown", "yes", "no"], inputQuantization: { scale: 0.1, zeroPoint: -128 } });
    expect(twice.metadata.filter((m) => m.name === "tinyml")).toHaveLength(1);
    const back = readTflite(writeTflite(twice), "x.tflite");
    expect(readTinymlMetadata(back)).toEqual({ labels: ["silence", "unknown", "yes", "no"], inputQuantization: { scale: 0.1, zeroPoint: -128 } });
    expect(readTinymlMetadata(withTinymlMetadata(back, {}))).toEqual({});
  });

  it.each([
    [[], "must be a JSON object"],
    [{ labels: [] }, "labels must be a non-empty list"],
    [{ labels: ["two words"] }, "labels must be a non-empty list"],
    [{ inputQuantization: { scale: 0, zeroPoint: -128 } }, "positive finite scale"],
    [{ inputQuantization: { scale: 0.1, zeroPoint: 200 } }, "zeroPoint in \\[-128, 127\\]"],
  ])("refuses %j", (value, message) => {
    try {
      parseTinymlMetadata(value, "m.json");
      expect.unreachable();
    } catch (e) {
      expect(isTinymlError(e) && e.code).toBe("TML_E_MODEL_INVALID");
      expect((e as Error).message).toMatch(new RegExp(message));
    }
  });
});
