/*
 * tml_protocol_ids.h — message ids, limits and body sizes of the tinyml
 * device protocol. Generated from src/device/protocol.ts by
 * renderProtocolIdsHeader() — do not edit; test/device/protocol-ids.test.ts
 * fails when this file and the TypeScript table disagree.
 *
 * Body layouts (little-endian; str = u8 length + bytes; u32[] runs to the end):
 *   HELLO request:  (empty)
 *   HELLO response: u8 version, u8 flags, u16 max_chunk
 *   INFO request:  (empty)
 *   INFO response: u8 input_count, u8 output_count, u8 model_status, u8 reserved, u32 timer_hz, u32 arena_bytes, u32 stage_bytes, sha256 model_sha256, str board_id, str runtime, str tinyml_version
 *   TENSOR_INFO request:  u8 direction, u8 index
 *   TENSOR_INFO response: u8 direction, u8 index, u8 rank, u8 reserved, i32 type, i32[6] dims, f32 scale, i32 zero_point, u32 bytes, str name
 *   LOAD_INPUT request:  u8 index, u32 offset, bytes data
 *   LOAD_INPUT response: u8 index, u32 offset, u32 end
 *   INVOKE request:  u16 runs, u16 warmup
 *   INVOKE response: i32 status, i32 failed_op, u16 runs_done, u32[] ticks
 *   READ_OUTPUT request:  u8 index, u32 offset, u16 max_len
 *   READ_OUTPUT response: u8 index, u32 offset, u32 total, bytes data
 *   PROFILE request:  u16 first_op
 *   PROFILE response: u16 op_count, u16 first_op, u16 count, u32[] ticks
 *   RESET request:  (empty)
 *   RESET response: (empty)
 *   AUDIO request:  u32 offset, bytes samples
 *   AUDIO response: u32 offset, u32 end, i32 status, u8 frame_count, bytes frames
 *   WW_RESET request:  (empty)
 *   WW_RESET response: (empty)
 *   INVOKE_OPS request:  u16 op_count
 *   INVOKE_OPS response: i32 status, i32 failed_op
 *   READ_TENSOR request:  u16 tensor, u32 offset, u16 max_len
 *   READ_TENSOR response: u16 tensor, u32 offset, u32 total, bytes data
 *   NAK response: u8 reason, u8 rejected_type, u8 version
 */
#ifndef TML_PROTOCOL_IDS_H
#define TML_PROTOCOL_IDS_H

#define TML_PROTO_VERSION                        1u
#define TML_PROTO_HEADER_BYTES                   4u
#define TML_PROTO_CRC_BYTES                      4u
#define TML_PROTO_MAX_CHUNK                      256u
#define TML_PROTO_MAX_RUNS                       64u
#define TML_PROTO_MAX_PROFILE_OPS_PER_FRAME      64u
#define TML_PROTO_MAX_STRING                     48u
#define TML_PROTO_MAX_BODY                       280u
#define TML_PROTO_RESPONSE                       0x80u
#define TML_PROTO_BOOT_REQUEST_ID                0u
#define TML_PROTO_UNKNOWN_REQUEST_ID             0xFFFFu

#define TML_MSG_HELLO                            0x01u
#define TML_MSG_INFO                             0x02u
#define TML_MSG_TENSOR_INFO                      0x03u
#define TML_MSG_LOAD_INPUT                       0x04u
#define TML_MSG_INVOKE                           0x05u
#define TML_MSG_READ_OUTPUT                      0x06u
#define TML_MSG_PROFILE                          0x07u
#define TML_MSG_RESET                            0x08u
#define TML_MSG_AUDIO                            0x09u
#define TML_MSG_WW_RESET                         0x0Au
#define TML_MSG_INVOKE_OPS                       0x0Bu
#define TML_MSG_READ_TENSOR                      0x0Cu
#define TML_MSG_NAK                              0xFFu

#define TML_NAK_CRC                              1u
#define TML_NAK_MALFORMED                        2u
#define TML_NAK_TOO_LONG                         3u
#define TML_NAK_VERSION                          4u
#define TML_NAK_UNKNOWN_TYPE                     5u
#define TML_NAK_BAD_LENGTH                       6u
#define TML_NAK_RANGE                            7u
#define TML_NAK_MODEL                            8u
#define TML_NAK_NO_SESSION                       9u

#define TML_HELLO_FLAG_BOOT                      0x01u
#define TML_TENSOR_INPUT                         0u
#define TML_TENSOR_OUTPUT                        1u

#define TML_SIZE_HELLO_RESPONSE                  4u
#define TML_SIZE_INFO_RESPONSE_FIXED             48u
#define TML_SIZE_TENSOR_INFO_REQUEST             2u
#define TML_SIZE_TENSOR_INFO_RESPONSE_FIXED      44u
#define TML_SIZE_LOAD_INPUT_REQUEST_FIXED        5u
#define TML_SIZE_LOAD_INPUT_RESPONSE             9u
#define TML_SIZE_INVOKE_REQUEST                  4u
#define TML_SIZE_INVOKE_RESPONSE_FIXED           10u
#define TML_SIZE_READ_OUTPUT_REQUEST             7u
#define TML_SIZE_READ_OUTPUT_RESPONSE_FIXED      9u
#define TML_SIZE_PROFILE_REQUEST                 2u
#define TML_SIZE_PROFILE_RESPONSE_FIXED          6u
#define TML_SIZE_NAK_RESPONSE                    3u
#define TML_SIZE_INVOKE_OPS_REQUEST              2u
#define TML_SIZE_INVOKE_OPS_RESPONSE             8u
#define TML_SIZE_READ_TENSOR_REQUEST             8u
#define TML_SIZE_READ_TENSOR_RESPONSE_FIXED      10u
#define TML_SIZE_AUDIO_REQUEST_FIXED             4u
#define TML_SIZE_AUDIO_RESPONSE_FIXED            13u
#define TML_SIZE_WW_FRAME_FIXED                  25u

#endif /* TML_PROTOCOL_IDS_H */
