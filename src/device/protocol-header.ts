// Renders firmware/runtime/tml_protocol_ids.h from the table in protocol.ts,
// so the device is compiled from the same numbers the host speaks. A test
// compares the checked-in header with this output; to refresh it on purpose:
//   npx tsx src/device/protocol-header.ts > firmware/runtime/tml_protocol_ids.h
import { fileURLToPath } from "node:url";
import {
  BOOT_REQUEST_ID, CRC_BYTES, FixedSize, HEADER_BYTES, HelloFlag, Layouts, MAX_BODY, MAX_CHUNK,
  MAX_PROFILE_OPS_PER_FRAME, MAX_RUNS, MAX_STRING, MessageType, NakReason, PROTOCOL_VERSION,
  RESPONSE_FLAG, TensorDirection, UNKNOWN_REQUEST_ID, type FieldSpec,
} from "./protocol.js";

const hex = (n: number, width = 2): string => `0x${n.toString(16).toUpperCase().padStart(width, "0")}`;
const define = (name: string, value: string): string => `#define ${name.padEnd(40)} ${value}`;

function layoutComment(fields: FieldSpec[]): string {
  if (fields.length === 0) return "(empty)";
  return fields.map((f) => `${f.type} ${f.name}`).join(", ");
}

export function renderProtocolIdsHeader(): string {
  const lines: string[] = [
    "/*",
    " * tml_protocol_ids.h — message ids, limits and body sizes of the tinyml",
    " * device protocol. Generated from src/device/protocol.ts by",
    " * renderProtocolIdsHeader() — do not edit; test/device/protocol-ids.test.ts",
    " * fails when this file and the TypeScript table disagree.",
    " *",
    " * Body layouts (little-endian; str = u8 length + bytes; u32[] runs to the end):",
  ];
  for (const [name, layout] of Object.entries(Layouts)) {
    if (name !== "NAK") lines.push(` *   ${name} request:  ${layoutComment(layout.request)}`);
    lines.push(` *   ${name} response: ${layoutComment(layout.response)}`);
  }
  lines.push(" */", "#ifndef TML_PROTOCOL_IDS_H", "#define TML_PROTOCOL_IDS_H", "");
  lines.push(
    define("TML_PROTO_VERSION", `${PROTOCOL_VERSION}u`),
    define("TML_PROTO_HEADER_BYTES", `${HEADER_BYTES}u`),
    define("TML_PROTO_CRC_BYTES", `${CRC_BYTES}u`),
    define("TML_PROTO_MAX_CHUNK", `${MAX_CHUNK}u`),
    define("TML_PROTO_MAX_RUNS", `${MAX_RUNS}u`),
    define("TML_PROTO_MAX_PROFILE_OPS_PER_FRAME", `${MAX_PROFILE_OPS_PER_FRAME}u`),
    define("TML_PROTO_MAX_STRING", `${MAX_STRING}u`),
    define("TML_PROTO_MAX_BODY", `${MAX_BODY}u`),
    define("TML_PROTO_RESPONSE", `${hex(RESPONSE_FLAG)}u`),
    define("TML_PROTO_BOOT_REQUEST_ID", `${BOOT_REQUEST_ID}u`),
    define("TML_PROTO_UNKNOWN_REQUEST_ID", `${hex(UNKNOWN_REQUEST_ID, 4)}u`),
    "",
  );
  for (const [name, id] of Object.entries(MessageType)) lines.push(define(`TML_MSG_${name}`, `${hex(id)}u`));
  lines.push("");
  for (const [name, id] of Object.entries(NakReason)) lines.push(define(`TML_NAK_${name}`, `${id}u`));
  lines.push("");
  for (const [name, bit] of Object.entries(HelloFlag)) lines.push(define(`TML_HELLO_FLAG_${name}`, `${hex(bit)}u`));
  for (const [name, v] of Object.entries(TensorDirection)) lines.push(define(`TML_TENSOR_${name}`, `${v}u`));
  lines.push("");
  for (const [name, size] of Object.entries(FixedSize)) lines.push(define(`TML_SIZE_${name}`, `${size}u`));
  lines.push("", "#endif /* TML_PROTOCOL_IDS_H */", "");
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(renderProtocolIdsHeader());
