/*
 * tml_proto_app.c — the inference app: serves the framed tinyml protocol
 * (tml_protocol_ids.h) so a host can load inputs, invoke, read outputs,
 * time runs and ops, and reset the board.
 *
 * One request is handled at a time and answered before the next byte is
 * read, which is the flow control: the host waits for each answer, so at
 * most one frame (< 300 bytes) is ever unacknowledged. The last response is
 * kept: a request repeated with the same id, type and CRC (the host
 * retransmits after a lost answer) is answered from it without running
 * again, so every request takes effect exactly once.
 */
#include <string.h>

#include "tml_app.h"
#include "tml_hal.h"
#include "tml_input_stage.h"
#include "tml_model.h"
#include "tml_profile.h"
#include "tml_protocol.h"

#ifndef TML_RUNTIME_NAME
#define TML_RUNTIME_NAME "unspecified"
#endif
#ifndef TML_VERSION
#define TML_VERSION "unspecified"
#endif
/* Per-op ticks kept for one PROFILE (4 bytes each); larger models report the first this many ops. */
#ifndef TML_APP_PROFILE_MAX_OPS
#define TML_APP_PROFILE_MAX_OPS 256
#endif

#define TML_APP_READ_WAIT_MS 100u

static tml_frame_parser rx;
static uint8_t tx_payload[TML_PROTO_MAX_PAYLOAD];
static uint8_t tx_frame[TML_PROTO_MAX_FRAME];
static size_t tx_frame_len;
static struct {
  int valid;
  uint8_t type;
  uint16_t id;
  uint32_t crc;
} last_request;
static int model_status;
static int session_open; /* set by HELLO; a fresh boot has none */
static uint32_t run_ticks[TML_PROTO_MAX_RUNS];
static uint32_t profile_ticks[TML_APP_PROFILE_MAX_OPS];
static size_t profile_count;
static int profile_valid;

static uint8_t *body(void) { return tx_payload + TML_PROTO_HEADER_BYTES; }

static void send_frame(uint8_t type, uint16_t id, size_t body_len) {
  tx_payload[0] = (uint8_t)TML_PROTO_VERSION;
  tx_payload[1] = type;
  tml_put_u16(tx_payload + 2, id);
  tx_frame_len = tml_frame_encode(tx_payload, TML_PROTO_HEADER_BYTES + body_len, sizeof tx_payload, tx_frame,
                                  sizeof tx_frame);
  if (tx_frame_len > 0) tml_hal_serial_write(tx_frame, tx_frame_len);
}

static void respond(const tml_msg *req, size_t body_len) {
  send_frame((uint8_t)(req->type | TML_PROTO_RESPONSE), req->id, body_len);
  last_request.valid = tx_frame_len > 0;
  last_request.type = req->type;
  last_request.id = req->id;
  last_request.crc = req->crc;
}

/* NAKs use their own small buffer so the cached response survives them. */
static void nak(uint8_t reason, uint8_t rejected_type, uint16_t id) {
  uint8_t payload[TML_PROTO_HEADER_BYTES + TML_SIZE_NAK_RESPONSE + TML_PROTO_CRC_BYTES];
  uint8_t frame[TML_COBS_MAX_ENCODED(sizeof payload) + 2u];
  size_t n;
  payload[0] = (uint8_t)TML_PROTO_VERSION;
  payload[1] = (uint8_t)TML_MSG_NAK;
  tml_put_u16(payload + 2, id);
  payload[4] = reason;
  payload[5] = rejected_type;
  payload[6] = (uint8_t)TML_PROTO_VERSION;
  n = tml_frame_encode(payload, TML_PROTO_HEADER_BYTES + TML_SIZE_NAK_RESPONSE, sizeof payload, frame, sizeof frame);
  if (n > 0) tml_hal_serial_write(frame, n);
}

/* Writes u8 length + at most TML_PROTO_MAX_STRING bytes of s; returns bytes written. */
static size_t put_str(uint8_t *p, const char *s) {
  size_t n = 0;
  if (s != NULL) {
    while (n < TML_PROTO_MAX_STRING && s[n] != '\0') ++n;
    memcpy(p + 1, s, n);
  }
  p[0] = (uint8_t)n;
  return n + 1u;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The model's hex SHA-256 as 32 raw bytes; all zeros when it is missing or not hex. */
static void put_sha256(uint8_t *p) {
  const char *hex = tml_model_sha256();
  int hi, lo;
  size_t i;
  memset(p, 0, 32);
  if (hex == NULL) return;
  for (i = 0; i < 32; ++i) {
    if (hex[2 * i] == '\0') break;
    hi = hex_digit(hex[2 * i]);
    lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      memset(p, 0, 32);
      return;
    }
    p[i] = (uint8_t)((hi << 4) | lo);
  }
}

static void handle_hello(const tml_msg *m) {
  uint8_t *b = body();
  if (m->body_len != 0) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  session_open = 1;
  /* A session starts from the model's initial state, so a stateful model
   * (the audio frontend's noise estimate) replays exactly what the host
   * reference replays for the same requests. */
  model_status = tml_model_init();
  b[0] = (uint8_t)TML_PROTO_VERSION;
  b[1] = 0;
  tml_put_u16(b + 2, (uint16_t)TML_PROTO_MAX_CHUNK);
  respond(m, TML_SIZE_HELLO_RESPONSE);
}

static void handle_info(const tml_msg *m) {
  uint8_t *b = body();
  size_t n = TML_SIZE_INFO_RESPONSE_FIXED;
  if (m->body_len != 0) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  b[0] = (uint8_t)tml_model_input_count();
  b[1] = (uint8_t)tml_model_output_count();
  b[2] = (uint8_t)(model_status != 0);
  b[3] = 0;
  tml_put_u32(b + 4, tml_hal_timer_hz());
  tml_put_u32(b + 8, (uint32_t)tml_model_arena_used());
  tml_put_u32(b + 12, tml_stage_active() ? (uint32_t)tml_stage_capacity() : 0u);
  put_sha256(b + 16);
  n += put_str(b + n, tml_hal_board_id());
  n += put_str(b + n, TML_RUNTIME_NAME);
  n += put_str(b + n, TML_VERSION);
  respond(m, n);
}

static void handle_tensor_info(const tml_msg *m) {
  uint8_t *b = body();
  const tml_tensor_info *info;
  uint32_t scale_bits;
  size_t i;
  if (m->body_len != TML_SIZE_TENSOR_INFO_REQUEST) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  if (m->body[0] == TML_TENSOR_INPUT) {
    info = tml_model_input_info(m->body[1]);
  } else if (m->body[0] == TML_TENSOR_OUTPUT) {
    info = tml_model_output_info(m->body[1]);
  } else {
    info = NULL;
  }
  if (info == NULL) {
    nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  b[0] = m->body[0];
  b[1] = m->body[1];
  b[2] = (uint8_t)(info->rank < 0 ? 0 : info->rank > TML_MODEL_MAX_DIMS ? TML_MODEL_MAX_DIMS : info->rank);
  b[3] = 0;
  tml_put_u32(b + 4, (uint32_t)info->type);
  for (i = 0; i < TML_MODEL_MAX_DIMS; ++i) tml_put_u32(b + 8 + 4 * i, (uint32_t)(i < b[2] ? info->dims[i] : 0));
  memcpy(&scale_bits, &info->scale, sizeof scale_bits);
  tml_put_u32(b + 32, scale_bits);
  tml_put_u32(b + 36, (uint32_t)info->zero_point);
  tml_put_u32(b + 40, info->bytes);
  respond(m, TML_SIZE_TENSOR_INFO_RESPONSE_FIXED + put_str(b + TML_SIZE_TENSOR_INFO_RESPONSE_FIXED, info->name));
}

static void handle_load_input(const tml_msg *m) {
  uint8_t *b = body();
  const tml_tensor_info *info;
  uint8_t *dst;
  uint32_t offset;
  size_t len;
  if (m->body_len <= TML_SIZE_LOAD_INPUT_REQUEST_FIXED ||
      m->body_len - TML_SIZE_LOAD_INPUT_REQUEST_FIXED > TML_PROTO_MAX_CHUNK) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  if (model_status != 0) {
    nak(TML_NAK_MODEL, m->type, m->id);
    return;
  }
  len = m->body_len - TML_SIZE_LOAD_INPUT_REQUEST_FIXED;
  offset = tml_get_u32(m->body + 1);
  info = tml_model_input_info(m->body[0]);
  dst = tml_stage_input(m->body[0]);
  if (info == NULL || dst == NULL || offset > info->bytes || len > info->bytes - offset) {
    nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  memcpy(dst + offset, m->body + TML_SIZE_LOAD_INPUT_REQUEST_FIXED, len);
  profile_valid = 0;
  b[0] = m->body[0];
  tml_put_u32(b + 1, offset);
  tml_put_u32(b + 5, offset + (uint32_t)len);
  respond(m, TML_SIZE_LOAD_INPUT_RESPONSE);
}

static void handle_invoke(const tml_msg *m) {
  uint8_t *b = body();
  uint16_t runs, warmup, done = 0, i;
  int status = 0;
  uint32_t t0;
  if (m->body_len != TML_SIZE_INVOKE_REQUEST) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  runs = tml_get_u16(m->body);
  warmup = tml_get_u16(m->body + 2);
  if (runs == 0 || runs > TML_PROTO_MAX_RUNS) {
    nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  if (model_status != 0) {
    nak(TML_NAK_MODEL, m->type, m->id);
    return;
  }
  for (i = 0; i < warmup && status == 0; ++i) {
    tml_stage_restore();
    status = tml_model_invoke();
  }
  while (done < runs && status == 0) {
    tml_stage_restore();
    t0 = tml_hal_timer_ticks();
    status = tml_model_invoke();
    run_ticks[done] = tml_hal_timer_ticks() - t0; /* unsigned: correct across one wrap */
    if (status == 0) ++done;
  }
  tml_put_u32(b, (uint32_t)status);
  tml_put_u32(b + 4, (uint32_t)(status != 0 ? tml_model_failed_op() : -1));
  tml_put_u16(b + 8, done);
  for (i = 0; i < done; ++i) tml_put_u32(b + TML_SIZE_INVOKE_RESPONSE_FIXED + 4u * i, run_ticks[i]);
  respond(m, TML_SIZE_INVOKE_RESPONSE_FIXED + 4u * done);
}

static void handle_read_output(const tml_msg *m) {
  uint8_t *b = body();
  const tml_tensor_info *info;
  const uint8_t *src;
  uint32_t offset;
  uint16_t max_len;
  size_t n;
  if (m->body_len != TML_SIZE_READ_OUTPUT_REQUEST) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  offset = tml_get_u32(m->body + 1);
  max_len = tml_get_u16(m->body + 5);
  info = tml_model_output_info(m->body[0]);
  src = (const uint8_t *)tml_model_output(m->body[0]);
  if (info == NULL || src == NULL || max_len == 0 || max_len > TML_PROTO_MAX_CHUNK || offset > info->bytes) {
    nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  n = info->bytes - offset;
  if (n > max_len) n = max_len;
  b[0] = m->body[0];
  tml_put_u32(b + 1, offset);
  tml_put_u32(b + 5, info->bytes);
  memcpy(b + TML_SIZE_READ_OUTPUT_RESPONSE_FIXED, src + offset, n);
  respond(m, TML_SIZE_READ_OUTPUT_RESPONSE_FIXED + n);
}

static void handle_profile(const tml_msg *m) {
  uint8_t *b = body();
  uint16_t first;
  size_t count, i;
  if (m->body_len != TML_SIZE_PROFILE_REQUEST) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  if (model_status != 0) {
    nak(TML_NAK_MODEL, m->type, m->id);
    return;
  }
  first = tml_get_u16(m->body);
  if (first == 0) {
    tml_stage_restore();
    profile_count = tml_model_invoke_profiled(profile_ticks, TML_APP_PROFILE_MAX_OPS);
    profile_valid = 1;
  } else if (!profile_valid || first > profile_count) {
    nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  count = profile_count - first;
  if (count > TML_PROTO_MAX_PROFILE_OPS_PER_FRAME) count = TML_PROTO_MAX_PROFILE_OPS_PER_FRAME;
  tml_put_u16(b, (uint16_t)profile_count);
  tml_put_u16(b + 2, first);
  tml_put_u16(b + 4, (uint16_t)count);
  for (i = 0; i < count; ++i) tml_put_u32(b + TML_SIZE_PROFILE_RESPONSE_FIXED + 4u * i, profile_ticks[first + i]);
  respond(m, TML_SIZE_PROFILE_RESPONSE_FIXED + 4u * count);
}

static void handle_reset(const tml_msg *m) {
  if (m->body_len != 0) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  respond(m, 0);
  tml_hal_reset();
}

static void handle(const tml_msg *m) {
  if (last_request.valid && m->type == last_request.type && m->id == last_request.id &&
      m->crc == last_request.crc) {
    tml_hal_serial_write(tx_frame, tx_frame_len);
    return;
  }
  if (!session_open && m->type != TML_MSG_HELLO && m->type != TML_MSG_INFO && m->type != TML_MSG_TENSOR_INFO) {
    nak(TML_NAK_NO_SESSION, m->type, m->id);
    return;
  }
  switch (m->type) {
    case TML_MSG_HELLO: handle_hello(m); break;
    case TML_MSG_INFO: handle_info(m); break;
    case TML_MSG_TENSOR_INFO: handle_tensor_info(m); break;
    case TML_MSG_LOAD_INPUT: handle_load_input(m); break;
    case TML_MSG_INVOKE: handle_invoke(m); break;
    case TML_MSG_READ_OUTPUT: handle_read_output(m); break;
    case TML_MSG_PROFILE: handle_profile(m); break;
    case TML_MSG_RESET: handle_reset(m); break;
    default: nak(TML_NAK_UNKNOWN_TYPE, m->type, m->id); break;
  }
}

int tml_app_main(void) {
  tml_msg msg;
  uint8_t reason = 0;
  uint8_t *b = body();
  int c, r;
  tml_frame_parser_init(&rx);
  model_status = tml_model_init();
  /* The boot HELLO: a host that was mid-run learns that the board restarted. */
  b[0] = (uint8_t)TML_PROTO_VERSION;
  b[1] = (uint8_t)TML_HELLO_FLAG_BOOT;
  tml_put_u16(b + 2, (uint16_t)TML_PROTO_MAX_CHUNK);
  send_frame((uint8_t)(TML_MSG_HELLO | TML_PROTO_RESPONSE), (uint16_t)TML_PROTO_BOOT_REQUEST_ID,
             TML_SIZE_HELLO_RESPONSE);
  last_request.valid = 0;
  for (;;) {
    c = tml_hal_serial_read_byte(TML_APP_READ_WAIT_MS);
    if (c < 0) continue;
    r = tml_frame_parser_feed(&rx, (uint8_t)c, &msg, &reason);
    if (r == TML_FEED_MESSAGE) {
      handle(&msg);
    } else if (r == TML_FEED_ERROR) {
      nak(reason, msg.type, msg.id);
    }
  }
}
