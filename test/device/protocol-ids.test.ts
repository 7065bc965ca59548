// firmware/runtime/tml_protocol_ids.h is rendered from src/device/protocol.ts;
// if they differ, the device and the host would disagree about the wire.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderProtocolIdsHeader } from "../../src/device/protocol-header.js";
import { FixedSize, Layouts, MAX_BODY, MAX_CHUNK, MAX_PROFILE_OPS_PER_FRAME, MAX_RUNS, MAX_STRING, MessageType } from "../../src/device/protocol.js";
import { runtimeDir } from "./harness.js";

describe("protocol ids", () => {
  it("tml_protocol_ids.h matches src/device/protocol.ts", () => {
    const header = readFileSync(`${runtimeDir}tml_protocol_ids.h`, "utf8");
    // Refresh on purpose: npx tsx src/device/protocol-header.ts > firmware/runtime/tml_protocol_ids.h
    expect(header).toBe(renderProtocolIdsHeader());
  });

  it("every message fits the body limit at its largest", () => {
    expect(FixedSize.LOAD_INPUT_REQUEST_FIXED + MAX_CHUNK).toBeLessThanOrEqual(MAX_BODY);
    expect(FixedSize.READ_OUTPUT_RESPONSE_FIXED + MAX_CHUNK).toBeLessThanOrEqual(MAX_BODY);
    expect(FixedSize.INVOKE_RESPONSE_FIXED + 4 * MAX_RUNS).toBeLessThanOrEqual(MAX_BODY);
    expect(FixedSize.PROFILE_RESPONSE_FIXED + 4 * MAX_PROFILE_OPS_PER_FRAME).toBeLessThanOrEqual(MAX_BODY);
    expect(FixedSize.INFO_RESPONSE_FIXED + 3 * (1 + MAX_STRING)).toBeLessThanOrEqual(MAX_BODY);
    expect(FixedSize.TENSOR_INFO_RESPONSE_FIXED + 1 + MAX_STRING).toBeLessThanOrEqual(MAX_BODY);
  });

  it("ids are unique and requests have no response bit", () => {
    const ids = Object.values(MessageType);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [name, id] of Object.entries(MessageType)) if (name !== "NAK") expect(id & 0x80).toBe(0);
    for (const name of Object.keys(Layouts)) expect(MessageType).toHaveProperty(name);
  });
});
