// RIFF/WAVE reading and writing for the audio frontend. The frontend
// (TFLM's micro_speech audio_preprocessor) is defined on 16 kHz mono int16
// PCM, so that is the one format accepted. Everything else is refused with
// the sox command that converts it: silently resampling or downmixing would
// make host features differ from what a device microphone delivers, and no
// conversion here would be bit-exact with anyone else's.
//
// The reader walks chunks with a bounds check before every read, honours the
// RIFF rule that odd-sized chunks are followed by one pad byte, and skips
// chunks it does not need (LIST, fact, cue, bext, ...).

import { TinymlError, type ErrorLocation } from "../errors.js";
import { readInputFile, writeFileAtomic } from "../util/files.js";

export const WAV_SAMPLE_RATE = 16000;

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

/** What a WAV file's fmt chunk says (after resolving WAVE_FORMAT_EXTENSIBLE). */
export interface WavFormat {
  /** 1 = integer PCM, 3 = IEEE float, ... (the subformat's tag for extensible files). */
  formatTag: number;
  extensible: boolean;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
}

export interface Wav {
  format: WavFormat;
  /** 16 kHz mono samples. */
  samples: Int16Array;
}

/** The conversion every refusal suggests: it produces exactly what the frontend reads. */
export function soxConvertCommand(file: string): string {
  const out = file.replace(/\.wav$/i, "") + "_16k_mono.wav";
  return `sox ${quote(file)} -r 16000 -c 1 -b 16 ${quote(out)}`;
}

/** Reads and validates a WAV file (see `parseWav`). */
export function readWav(path: string): Wav {
  return parseWav(readInputFile(path, "WAV file"), path);
}

/**
 * Parses a WAV held in memory. `file` names it in errors. Throws
 * TML_E_FORMAT_UNKNOWN when it is not RIFF/WAVE at all and
 * TML_E_INPUT_MISMATCH when it is malformed, truncated or not 16 kHz mono
 * 16-bit PCM.
 */
export function parseWav(bytes: Uint8Array, file: string): Wav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") {
    const what = bytes.byteLength >= 4 && (tag(0) === "RIFX" || tag(0) === "RF64") ? `a ${tag(0)} file` : "not a RIFF/WAVE file";
    throw new TinymlError("TML_E_FORMAT_UNKNOWN", `${file}: ${what}; a 16 kHz mono 16-bit PCM WAV is needed`, {
      location: { file },
      hint: `Convert the audio with: ${soxConvertCommand(file)}`,
    });
  }
  const riffEnd = 8 + view.getUint32(4, true);
  if (riffEnd > bytes.byteLength) {
    throw malformed(file, `truncated: the RIFF header announces ${riffEnd} bytes but the file has ${bytes.byteLength}`, {
      detail: "RIFF header",
    });
  }

  let format: WavFormat | undefined;
  let data: { offset: number; size: number } | undefined;
  for (let at = 12; at < riffEnd; ) {
    if (at + 8 > riffEnd) throw malformed(file, `truncated chunk header (${riffEnd - at} bytes left, 8 needed)`, { detail: `byte offset ${at}` });
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (body + size > riffEnd) {
      throw malformed(file, `truncated: chunk '${id}' announces ${size} bytes but only ${riffEnd - body} remain`, {
        detail: `byte offset ${at}, chunk '${id}'`,
      });
    }
    if (id === "fmt ") {
      if (format) throw malformed(file, "two 'fmt ' chunks", { detail: `byte offset ${at}` });
      format = parseFmt(view, body, size, file, at);
    } else if (id === "data") {
      if (data) throw malformed(file, "two 'data' chunks", { detail: `byte offset ${at}` });
      data = { offset: body, size };
    }
    // RIFF pads every odd-sized chunk to an even length; the pad byte is not counted in `size`.
    at = body + size + (size & 1);
  }
  if (!format) throw malformed(file, "no 'fmt ' chunk", {});
  if (!data) throw malformed(file, "no 'data' chunk", {});
  requireFrontendFormat(format, file);
  if (data.size % format.blockAlign !== 0) {
    throw malformed(file, `truncated: the data chunk holds ${data.size} bytes, not a whole number of ${format.blockAlign}-byte samples`, {
      detail: "chunk 'data'",
    });
  }
  const samples = new Int16Array(data.size / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(data.offset + 2 * i, true);
  return { format, samples };
}

function parseFmt(view: DataView, body: number, size: number, file: string, at: number): WavFormat {
  if (size < 16) throw malformed(file, `'fmt ' chunk is ${size} bytes, at least 16 are needed`, { detail: `byte offset ${at}` });
  let formatTag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bitsPerSample = view.getUint16(body + 14, true);
  const extensible = formatTag === FORMAT_EXTENSIBLE;
  if (extensible) {
    // WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) then the subformat GUID,
    // whose first two bytes are the plain format tag (KSDATAFORMAT_SUBTYPE_PCM = 1, ..._IEEE_FLOAT = 3).
    if (size < 40) throw malformed(file, `extensible 'fmt ' chunk is ${size} bytes, 40 are needed`, { detail: `byte offset ${at}` });
    formatTag = view.getUint16(body + 24, true);
  }
  if (channels === 0 || bitsPerSample === 0 || blockAlign !== (channels * bitsPerSample) / 8) {
    throw malformed(file, `inconsistent 'fmt ' chunk: ${channels} channel(s) of ${bitsPerSample} bits but block align ${blockAlign}`, {
      detail: `byte offset ${at}`,
    });
  }
  return { formatTag, extensible, channels, sampleRate, bitsPerSample, blockAlign };
}

function requireFrontendFormat(f: WavFormat, file: string): void {
  const problems: string[] = [];
  if (f.formatTag !== FORMAT_PCM) problems.push(formatName(f.formatTag));
  else if (f.bitsPerSample !== 16) problems.push(`${f.bitsPerSample}-bit PCM`);
  if (f.channels !== 1) problems.push(f.channels === 2 ? "stereo" : `${f.channels} channels`);
  if (f.sampleRate !== WAV_SAMPLE_RATE) problems.push(`${f.sampleRate} Hz`);
  if (problems.length === 0) return;
  throw new TinymlError(
    "TML_E_INPUT_MISMATCH",
    `${file} is ${problems.join(", ")}; the audio frontend needs 16000 Hz mono 16-bit PCM`,
    { location: { file }, hint: `tinyml does not resample or downmix (it would not be bit-exact with a device). Convert with: ${soxConvertCommand(file)}` },
  );
}

function formatName(tag: number): string {
  if (tag === FORMAT_FLOAT) return "IEEE float";
  if (tag === FORMAT_ALAW) return "A-law";
  if (tag === FORMAT_MULAW) return "µ-law";
  return `compressed (format tag 0x${tag.toString(16).padStart(4, "0")})`;
}

function malformed(file: string, what: string, loc: Omit<ErrorLocation, "file">): TinymlError {
  return new TinymlError("TML_E_INPUT_MISMATCH", `${file}: malformed WAV: ${what}`, {
    location: { file, ...loc },
    hint: `Re-export the file, or repair it with: ${soxConvertCommand(file)}`,
  });
}

function quote(s: string): string {
  return /^[\w./+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** A canonical 44-byte-header WAV: PCM, mono, 16-bit. */
export function encodeWav(samples: Int16Array, sampleRate = WAV_SAMPLE_RATE): Uint8Array {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, "RIFF");
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, FORMAT_PCM, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) v.setInt16(44 + 2 * i, samples[i]!, true);
  return out;
}

/** Writes a 16-bit mono WAV atomically (a failed run leaves no partial file). */
export function writeWav(path: string, samples: Int16Array, sampleRate = WAV_SAMPLE_RATE): void {
  writeFileAtomic(path, encodeWav(samples, sampleRate));
}

