// The tinyml device protocol: one table of message ids, limits and layouts
// that both ends are built from. firmware/runtime/tml_protocol_ids.h is
// rendered from this module (renderProtocolIdsHeader) and a test fails when
// the checked-in header differs, so the C and TypeScript sides cannot drift.
//
// A frame on the wire is 0x00, COBS(payload ‖ CRC-32(payload) LE), 0x00.
// The payload starts with a 4-byte header: version u8, type u8, request id
// u16 LE; the body follows. Every integer is little-endian, floats travel as
// their IEEE-754 bits. A response's type is its request's type | 0x80 and
// echoes the request id; NAK (0xFF) answers a request the device rejected.
// The device speaks unprompted only once: a HELLO with the BOOT flag and id 0
// when it starts, so the host sees a reset that happens mid-run. A HELLO
// request opens a session; requests that depend on device state (LOAD_INPUT,
// INVOKE, READ_OUTPUT, PROFILE, RESET) are NAKed with NO_SESSION until then,
// so a reset is caught even when its boot HELLO was lost on the line.
// The wake-word app (--app wakeword) answers HELLO, INFO, RESET and its own
// AUDIO and WW_RESET, which need a session too. INVOKE_OPS and READ_TENSOR
// serve `tinyml test --bisect`: they show the model's tensors between ops.

export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 4;
export const CRC_BYTES = 4;
/** Largest LOAD_INPUT / READ_OUTPUT data chunk. Four chunks are the ~1 KB in-flight cap. */
export const MAX_CHUNK = 256;
/** Most timed runs one INVOKE returns (their ticks must fit one frame). */
export const MAX_RUNS = 64;
/** Most per-op tick values one PROFILE response carries. */
export const MAX_PROFILE_OPS_PER_FRAME = 64;
/** Longest string field (board id, runtime, version, tensor name); longer ones are cut. */
export const MAX_STRING = 48;
/** Largest body either side may send; receivers reject longer frames. */
export const MAX_BODY = 280;
export const RESPONSE_FLAG = 0x80;
/** Request id of the unsolicited boot HELLO; hosts never use it. */
export const BOOT_REQUEST_ID = 0;
/** Request id of a NAK for a frame whose header could not be trusted. */
export const UNKNOWN_REQUEST_ID = 0xffff;

export const MessageType = {
  HELLO: 0x01,
  INFO: 0x02,
  TENSOR_INFO: 0x03,
  LOAD_INPUT: 0x04,
  INVOKE: 0x05,
  READ_OUTPUT: 0x06,
  PROFILE: 0x07,
  RESET: 0x08,
  /** --app wakeword: a block of 16 kHz int16 PCM; the answer carries the frames it completed. */
  AUDIO: 0x09,
  /** --app wakeword: restart the stream (frontend state, feature ring, smoothing). */
  WW_RESET: 0x0a,
  /** --bisect: one invoke of the loaded input that stops after the first N ops. */
  INVOKE_OPS: 0x0b,
  /** --bisect: any tensor as it is now in the arena (what INVOKE_OPS left live). */
  READ_TENSOR: 0x0c,
  NAK: 0xff,
} as const;
export type MessageTypeName = keyof typeof MessageType;

export const NakReason = {
  CRC: 1,
  MALFORMED: 2,
  TOO_LONG: 3,
  VERSION: 4,
  UNKNOWN_TYPE: 5,
  BAD_LENGTH: 6,
  RANGE: 7,
  MODEL: 8,
  /** LOAD/INVOKE/READ/PROFILE/RESET before a HELLO: the board restarted and lost its state. */
  NO_SESSION: 9,
} as const;
export type NakReasonName = keyof typeof NakReason;

export const HelloFlag = { BOOT: 0x01 } as const;
export const TensorDirection = { INPUT: 0, OUTPUT: 1 } as const;

/** One field of a message body, for the layout table and the C header's comments. */
export interface FieldSpec {
  name: string;
  type: "u8" | "u16" | "u32" | "i32" | "f32" | "bytes" | "str" | "u32[]" | "i32[6]" | "sha256";
  note?: string;
}

/** Body layouts, in wire order. `str` is u8 length + bytes; `u32[]` runs to the end. */
export const Layouts: Record<string, { request: FieldSpec[]; response: FieldSpec[] }> = {
  HELLO: {
    request: [],
    response: [
      { name: "version", type: "u8" },
      { name: "flags", type: "u8", note: "bit0 BOOT: sent unprompted at start-up" },
      { name: "max_chunk", type: "u16" },
    ],
  },
  INFO: {
    request: [],
    response: [
      { name: "input_count", type: "u8" },
      { name: "output_count", type: "u8" },
      { name: "model_status", type: "u8", note: "0 = tml_model_init() succeeded" },
      { name: "reserved", type: "u8" },
      { name: "timer_hz", type: "u32" },
      { name: "arena_bytes", type: "u32" },
      { name: "stage_bytes", type: "u32", note: "input staging buffer; 0 = inputs written in place" },
      { name: "model_sha256", type: "sha256", note: "32 raw bytes" },
      { name: "board_id", type: "str" },
      { name: "runtime", type: "str" },
      { name: "tinyml_version", type: "str" },
    ],
  },
  TENSOR_INFO: {
    request: [
      { name: "direction", type: "u8", note: "0 input, 1 output" },
      { name: "index", type: "u8" },
    ],
    response: [
      { name: "direction", type: "u8" },
      { name: "index", type: "u8" },
      { name: "rank", type: "u8" },
      { name: "reserved", type: "u8" },
      { name: "type", type: "i32", note: "TFLite TensorType code" },
      { name: "dims", type: "i32[6]" },
      { name: "scale", type: "f32" },
      { name: "zero_point", type: "i32" },
      { name: "bytes", type: "u32" },
      { name: "name", type: "str" },
    ],
  },
  LOAD_INPUT: {
    request: [
      { name: "index", type: "u8" },
      { name: "offset", type: "u32" },
      { name: "data", type: "bytes", note: "1..MAX_CHUNK bytes" },
    ],
    response: [
      { name: "index", type: "u8" },
      { name: "offset", type: "u32" },
      { name: "end", type: "u32", note: "offset + data length: the acknowledged extent" },
    ],
  },
  INVOKE: {
    request: [
      { name: "runs", type: "u16", note: "1..MAX_RUNS timed runs" },
      { name: "warmup", type: "u16", note: "untimed runs first" },
    ],
    response: [
      { name: "status", type: "i32", note: "0 or the first failing invoke's status" },
      { name: "failed_op", type: "i32" },
      { name: "runs_done", type: "u16" },
      { name: "ticks", type: "u32[]", note: "one per timed run" },
    ],
  },
  READ_OUTPUT: {
    request: [
      { name: "index", type: "u8" },
      { name: "offset", type: "u32" },
      { name: "max_len", type: "u16", note: "1..MAX_CHUNK" },
    ],
    response: [
      { name: "index", type: "u8" },
      { name: "offset", type: "u32" },
      { name: "total", type: "u32", note: "the tensor's size" },
      { name: "data", type: "bytes" },
    ],
  },
  PROFILE: {
    request: [{ name: "first_op", type: "u16", note: "0 runs a profiled invoke; >0 pages the stored ticks" }],
    response: [
      { name: "op_count", type: "u16", note: "0 = the model has no profiler" },
      { name: "first_op", type: "u16" },
      { name: "count", type: "u16" },
      { name: "ticks", type: "u32[]" },
    ],
  },
  RESET: { request: [], response: [] },
  AUDIO: {
    request: [
      { name: "offset", type: "u32", note: "stream sample index of the first sample; must equal the samples taken so far" },
      { name: "samples", type: "bytes", note: "int16 LE PCM, 2..MAX_CHUNK bytes" },
    ],
    response: [
      { name: "offset", type: "u32" },
      { name: "end", type: "u32", note: "offset + samples: the acknowledged extent" },
      { name: "status", type: "i32", note: "0, or the first failing model invoke's status" },
      { name: "frame_count", type: "u8", note: "frames completed by this block; WW_FRAME records follow" },
      { name: "frames", type: "bytes", note: "frame_count x (WW_FRAME_FIXED + feature_count + score_count)" },
    ],
  },
  WW_RESET: { request: [], response: [] },
  INVOKE_OPS: {
    request: [{ name: "op_count", type: "u16", note: "ops to run from the first; >= the model's op count runs them all" }],
    response: [
      { name: "status", type: "i32", note: "0, or the failing op's kernel status" },
      { name: "failed_op", type: "i32" },
    ],
  },
  READ_TENSOR: {
    request: [
      { name: "tensor", type: "u16", note: "the model's tensor index" },
      { name: "offset", type: "u32" },
      { name: "max_len", type: "u16", note: "1..MAX_CHUNK" },
    ],
    response: [
      { name: "tensor", type: "u16" },
      { name: "offset", type: "u32" },
      { name: "total", type: "u32", note: "the tensor's size; 0 = the runtime cannot show it (a constant, or TFLM without preserve_all_tensors)" },
      { name: "data", type: "bytes" },
    ],
  },
  NAK: {
    request: [],
    response: [
      { name: "reason", type: "u8" },
      { name: "rejected_type", type: "u8", note: "0 when the frame could not be read" },
      { name: "version", type: "u8", note: "the device's protocol version" },
    ],
  },
};

/** One frame record inside an AUDIO response (not a message of its own). */
export const WW_FRAME_LAYOUT: FieldSpec[] = [
  { name: "index", type: "u32", note: "frame number since the stream started" },
  { name: "time_ms", type: "u32", note: "audio time at the end of the frame's window: 20 * index + 30" },
  { name: "frontend_ticks", type: "u32" },
  { name: "classifier_ticks", type: "u32", note: "0 before 49 frames exist" },
  { name: "smoothing_ticks", type: "u32" },
  { name: "flags", type: "u8", note: "bit0 scores valid, bit1 new command, bit2 keyword event" },
  { name: "found_index", type: "u8", note: "smoothed top category (the event's keyword)" },
  { name: "found_score", type: "u8", note: "smoothed score 0..255 (the event's score)" },
  { name: "feature_count", type: "u8" },
  { name: "score_count", type: "u8", note: "0 until scores are valid" },
  { name: "features", type: "bytes", note: "int8" },
  { name: "scores", type: "bytes", note: "int8" },
];

/** Byte sizes of the fixed parts, used by both encoders and decoders here. */
export const FixedSize = {
  HELLO_RESPONSE: 4,
  INFO_RESPONSE_FIXED: 16 + 32,
  TENSOR_INFO_REQUEST: 2,
  TENSOR_INFO_RESPONSE_FIXED: 4 + 4 + 24 + 4 + 4 + 4,
  LOAD_INPUT_REQUEST_FIXED: 5,
  LOAD_INPUT_RESPONSE: 9,
  INVOKE_REQUEST: 4,
  INVOKE_RESPONSE_FIXED: 10,
  READ_OUTPUT_REQUEST: 7,
  READ_OUTPUT_RESPONSE_FIXED: 9,
  PROFILE_REQUEST: 2,
  PROFILE_RESPONSE_FIXED: 6,
  NAK_RESPONSE: 3,
  INVOKE_OPS_REQUEST: 2,
  INVOKE_OPS_RESPONSE: 8,
  READ_TENSOR_REQUEST: 8,
  READ_TENSOR_RESPONSE_FIXED: 10,
  AUDIO_REQUEST_FIXED: 4,
  AUDIO_RESPONSE_FIXED: 13,
  WW_FRAME_FIXED: 25,
} as const;

/** WW_FRAME flags. */
export const WwFrameFlag = { SCORES: 0x01, NEW_COMMAND: 0x02, EVENT: 0x04 } as const;

export function messageTypeName(type: number): string {
  const base = type === MessageType.NAK ? type : type & ~RESPONSE_FLAG;
  const name = (Object.keys(MessageType) as MessageTypeName[]).find((k) => MessageType[k] === base);
  if (!name) return `0x${type.toString(16).padStart(2, "0")}`;
  return type !== MessageType.NAK && (type & RESPONSE_FLAG) !== 0 ? `${name} response` : name;
}

export function nakReasonName(reason: number): string {
  const name = (Object.keys(NakReason) as NakReasonName[]).find((k) => NakReason[k] === reason);
  return name ?? `reason ${reason}`;
}
