// What a file is, by its first bytes: the model formats tinyml reads and the
// files people mistake for models (images, archives, TensorFlow's own
// formats). load.ts picks a loader with it and, when none fits, says what
// the file is and what to do with it instead of "unrecognised".

import { existsSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";

export type FileKind =
  | "tflite" | "hdf5" | "zip" | "onnx" | "json" | "npy" | "png" | "jpeg" | "gif" | "bmp" | "wav" | "elf"
  | "savedmodel-pb" | "unknown";

const ascii = (bytes: Uint8Array, at: number, n: number): string => String.fromCharCode(...bytes.subarray(at, at + n));
const starts = (bytes: Uint8Array, magic: readonly number[], at = 0): boolean =>
  bytes.byteLength >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);

const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5's signature sits at 0 or, after a user block, at 512, 1024, 2048, … */
function isHdf5(bytes: Uint8Array): boolean {
  for (let at = 0; at + 8 <= bytes.byteLength && at <= 1 << 20; at = at === 0 ? 512 : at * 2) {
    if (starts(bytes, HDF5, at)) return true;
  }
  return false;
}

/** Reads a protobuf varint at `at`; undefined past the end or beyond 32 bits. */
function varint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let shift = 0, i = at; i < bytes.byteLength && shift < 35; shift += 7, i++) {
    value += (bytes[i]! & 0x7f) * 2 ** shift;
    if ((bytes[i]! & 0x80) === 0) return { value, next: i + 1 };
  }
  return undefined;
}

/**
 * An ONNX ModelProto opens with ir_version (field 1, a small varint), then
 * another ModelProto field: producer_name, graph or opset_import are the
 * usual ones. A TensorFlow SavedModel opens the same way, so its file name
 * decides (saved_model.pb).
 */
function looksLikeOnnx(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x08) return false;
  const v = varint(bytes, 1);
  if (!v || v.value < 1 || v.value > 20) return false;
  const tag = bytes[v.next];
  return tag !== undefined && [0x12, 0x1a, 0x22, 0x2a, 0x32, 0x3a, 0x42, 0x4a, 0x52, 0x62, 0x72].includes(tag);
}

export function sniffBytes(path: string, bytes: Uint8Array): FileKind {
  if (bytes.byteLength >= 8 && ascii(bytes, 4, 4) === "TFL3") return "tflite";
  if (isHdf5(bytes)) return "hdf5";
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04]) || starts(bytes, [0x50, 0x4b, 0x05, 0x06])) return "zip";
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (starts(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (starts(bytes, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return "npy";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE") return "wav";
  if (starts(bytes, [0x7f, 0x45, 0x4c, 0x46])) return "elf";
  if (ascii(bytes, 0, 2) === "BM" && bytes.byteLength >= 26) return "bmp";
  if (basename(path).toLowerCase() === "saved_model.pb") return "savedmodel-pb";
  if (looksLikeOnnx(bytes) || (extname(path).toLowerCase() === ".onnx" && bytes.byteLength > 0)) return "onnx";
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
  if (head.startsWith("{")) return "json";
  return "unknown";
}

/** A directory someone passed as the model: a SavedModel, a TF.js folder, … */
export function describeDirectory(dir: string): { what: string; hint: string } | undefined {
  if (existsSync(join(dir, "saved_model.pb"))) {
    return {
      what: "a TensorFlow SavedModel folder",
      hint: "tinyml does not run TensorFlow graphs. Convert it to .tflite (tf.lite.TFLiteConverter.from_saved_model) or ONNX " +
        "(python -m tf2onnx.convert --saved-model DIR), or save the Keras model as .keras/.h5, and give tinyml that file.",
    };
  }
  if (existsSync(join(dir, "model.json"))) {
    return { what: "a folder holding a TF.js model", hint: `Name the model file: ${join(dir, "model.json")}.` };
  }
  const keras = ["model.keras", "model.h5", "model.onnx", "model.tflite"].find((f) => existsSync(join(dir, f)));
  if (keras) return { what: "a folder", hint: `Name the model file inside it, e.g. ${join(dir, keras)}.` };
  return undefined;
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Why a file of this kind is not a model tinyml can load, and what to do. */
export function notAModel(kind: FileKind, path: string): { what: string; hint: string } {
  const reads = "tinyml reads .tflite, ONNX (.onnx), Keras (.keras, .h5) and TF.js Layers (model.json) models.";
  switch (kind) {
    case "png":
    case "jpeg":
    case "gif":
    case "bmp":
      return { what: `a ${kind.toUpperCase()} image, not a model`, hint: `Give the model file. ${reads} To run the model on this image, pass it as an input file (.npy/.bin/.json) to predict or test.` };
    case "npy":
      return { what: "a NumPy array (.npy), not a model", hint: `Pass it with --input/--inputs; give the model as MODEL. ${reads}` };
    case "wav":
      return { what: "a WAV audio file, not a model", hint: "For the wake-word app give audio with `tinyml test --wakeword DIR`; MODEL is the model file." };
    case "elf":
      return { what: "an ELF executable (built firmware?), not a model", hint: `Give the model the firmware was built from. ${reads}` };
    case "zip":
      return { what: "a zip archive without a Keras 3 model in it (no config.json + model.weights.h5)", hint: `Unpack it and give the model file. ${reads}` };
    case "hdf5":
      return {
        what: "an HDF5 file without a Keras model_config (a weights-only file from model.save_weights, or not Keras)",
        hint: "Save the whole model: model.save('model.h5') in Keras 2, or model.save('model.keras') in Keras 3.",
      };
    case "savedmodel-pb":
      return describeDirectory(join(path, "..")) ?? { what: "a TensorFlow SavedModel graph", hint: reads };
    case "json":
      return {
        what: "a JSON file that is not a TF.js Layers model (no modelTopology with Keras layers: a TF.js graph model or a config without weights?)",
        hint: `Convert graph models to .tflite or ONNX first. ${reads}`,
      };
    default:
      return { what: "not a model format tinyml knows", hint: reads };
  }
}
