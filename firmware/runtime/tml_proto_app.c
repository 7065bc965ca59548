/*
 * tml_proto_app.c — the inference app: serves the framed tinyml protocol
 * (tml_protocol_ids.h) so a host can load inputs, invoke, read outputs,
 * time runs and ops, and reset the board.
 * Framing, answers, NAKs and the exactly-once cache are tml_proto_server's.
 */
#include <string.h>

#include "tml_app.h"
#include "tml_hal.h"
#include "tml_input_stage.h"
#include "tml_model.h"
#include "tml_profile.h"
#include "tml_proto_server.h"
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

static int model_status;
static int session_open; /* set by HELLO; a fresh boot has none */
static uint32_t run_ticks[TML_PROTO_MAX_RUNS];
static uint32_t profile_ticks[TML_APP_PROFILE_MAX_OPS];
static size_t profile_count;
static int profile_valid;

static void handle_hello(const tml_msg *m) {
  uint8_t *b = tml_server_body();
  if (m->body_len != 0) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  session_open = 1;
  /* A session starts from the model's initial state, so a stateful model
   * (the audio frontend's noise estimate) replays exactly what the host
   * reference replays for the same requests. */
  model_status = tml_model_init();
  tml_server_respond(m, tml_server_hello_body(b, 0));
}

static void handle_info(const tml_msg *m) {
  uint8_t *b = tml_server_body();
  size_t n = TML_SIZE_INFO_RESPONSE_FIXED;
  if (m->body_len != 0) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  b[0] = (uint8_t)tml_model_input_count();
  b[1] = (uint8_t)tml_model_output_count();
  b[2] = (uint8_t)(model_status != 0);
  b[3] = 0;
  tml_put_u32(b + 4, tml_hal_timer_hz());
  tml_put_u32(b + 8, (uint32_t)tml_model_arena_used());
  tml_put_u32(b + 12, tml_stage_active() ? (uint32_t)tml_stage_capacity() : 0u);
  tml_server_put_sha256(b + 16, tml_model_sha256());
  n += tml_server_put_str(b + n, tml_hal_board_id());
  n += tml_server_put_str(b + n, TML_RUNTIME_NAME);
  n += tml_server_put_str(b + n, TML_VERSION);
  tml_server_respond(m, n);
}

static void handle_tensor_info(const tml_msg *m) {
  uint8_t *b = tml_server_body();
  const tml_tensor_info *info;
  uint32_t scale_bits;
  size_t i;
  if (m->body_len != TML_SIZE_TENSOR_INFO_REQUEST) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
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
    tml_server_nak(TML_NAK_RANGE, m->type, m->id);
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
  tml_server_respond(m, TML_SIZE_TENSOR_INFO_RESPONSE_FIXED + tml_server_put_str(b + TML_SIZE_TENSOR_INFO_RESPONSE_FIXED, info->name));
}

static void handle_load_input(const tml_msg *m) {
  uint8_t *b = tml_server_body();
  const tml_tensor_info *info;
  uint8_t *dst;
  uint32_t offset;
  size_t len;
  if (m->body_len <= TML_SIZE_LOAD_INPUT_REQUEST_FIXED ||
      m->body_len - TML_SIZE_LOAD_INPUT_REQUEST_FIXED > TML_PROTO_MAX_CHUNK) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  if (model_status != 0) {
    tml_server_nak(TML_NAK_MODEL, m->type, m->id);
    return;
  }
  len = m->body_len - TML_SIZE_LOAD_INPUT_REQUEST_FIXED;
  offset = tml_get_u32(m->body + 1);
  info = tml_model_input_info(m->body[0]);
  dst = tml_stage_input(m->body[0]);
  if (info == NULL || dst == NULL || offset > info->bytes || len > info->bytes - offset) {
    tml_server_nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  memcpy(dst + offset, m->body + TML_SIZE_LOAD_INPUT_REQUEST_FIXED, len);
  profile_valid = 0;
  b[0] = m->body[0];
  tml_put_u32(b + 1, offset);
  tml_put_u32(b + 5, offset + (uint32_t)len);
  tml_server_respond(m, TML_SIZE_LOAD_INPUT_RESPONSE);
}

static void handle_invoke(const tml_msg *m) {
  uint8_t *b = tml_server_body();
  uint16_t runs, warmup, done = 0, i;
  int status = 0;
  uint32_t t0;
  if (m->body_len != TML_SIZE_INVOKE_REQUEST) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  runs = tml_get_u16(m->body);
  warmup = tml_get_u16(m->body + 2);
  if (runs == 0 || runs > TML_PROTO_MAX_RUNS) {
    tml_server_nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  if (model_status != 0) {
    tml_server_nak(TML_NAK_MODEL, m->type, m->id);
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
  tml_server_respond(m, TML_SIZE_INVOKE_RESPONSE_FIXED + 4u * done);
}

static void handle_read_output(const tml_msg *m) {
  uint8_t *b = tml_server_body();
  const tml_tensor_info *info;
  const uint8_t *src;
  uint32_t offset;
  uint16_t max_len;
  size_t n;
  if (m->body_len != TML_SIZE_READ_OUTPUT_REQUEST) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  offset = tml_get_u32(m->body + 1);
  max_len = tml_get_u16(m->body + 5);
  info = tml_model_output_info(m->body[0]);
  src = (const uint8_t *)tml_model_output(m->body[0]);
  if (info == NULL || src == NULL || max_len == 0 || max_len > TML_PROTO_MAX_CHUNK || offset > info->bytes) {
    tml_server_nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  n = info->bytes - offset;
  if (n > max_len) n = max_len;
  b[0] = m->body[0];
  tml_put_u32(b + 1, offset);
  tml_put_u32(b + 5, info->bytes);
  memcpy(b + TML_SIZE_READ_OUTPUT_RESPONSE_FIXED, src + offset, n);
  tml_server_respond(m, TML_SIZE_READ_OUTPUT_RESPONSE_FIXED + n);
}

static void handle_profile(const tml_msg *m) {
  uint8_t *b = tml_server_body();
  uint16_t first;
  size_t count, i;
  if (m->body_len != TML_SIZE_PROFILE_REQUEST) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  if (model_status != 0) {
    tml_server_nak(TML_NAK_MODEL, m->type, m->id);
    return;
  }
  first = tml_get_u16(m->body);
  if (first == 0) {
    tml_stage_restore();
    profile_count = tml_model_invoke_profiled(profile_ticks, TML_APP_PROFILE_MAX_OPS);
    profile_valid = 1;
  } else if (!profile_valid || first > profile_count) {
    tml_server_nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  count = profile_count - first;
  if (count > TML_PROTO_MAX_PROFILE_OPS_PER_FRAME) count = TML_PROTO_MAX_PROFILE_OPS_PER_FRAME;
  tml_put_u16(b, (uint16_t)profile_count);
  tml_put_u16(b + 2, first);
  tml_put_u16(b + 4, (uint16_t)count);
  for (i = 0; i < count; ++i) tml_put_u32(b + TML_SIZE_PROFILE_RESPONSE_FIXED + 4u * i, profile_ticks[first + i]);
  tml_server_respond(m, TML_SIZE_PROFILE_RESPONSE_FIXED + 4u * count);
}

/* --bisect: the loaded input through the first N ops only. */
static void handle_invoke_ops(const tml_msg *m) {
  uint8_t *b = tml_server_body();
  int status;
  if (m->body_len != TML_SIZE_INVOKE_OPS_REQUEST) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  if (model_status != 0) {
    tml_server_nak(TML_NAK_MODEL, m->type, m->id);
    return;
  }
  tml_stage_restore();
  status = tml_model_invoke_ops(tml_get_u16(m->body));
  tml_put_u32(b, (uint32_t)status);
  tml_put_u32(b + 4, (uint32_t)(status != 0 ? tml_model_failed_op() : -1));
  tml_server_respond(m, TML_SIZE_INVOKE_OPS_RESPONSE);
}

/* --bisect: a tensor as INVOKE_OPS left it; total 0 when the runtime cannot show it. */
static void handle_read_tensor(const tml_msg *m) {
  uint8_t *b = tml_server_body();
  const uint8_t *src;
  size_t total = 0, n = 0;
  uint32_t offset;
  uint16_t max_len, index;
  if (m->body_len != TML_SIZE_READ_TENSOR_REQUEST) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  index = tml_get_u16(m->body);
  offset = tml_get_u32(m->body + 2);
  max_len = tml_get_u16(m->body + 6);
  src = (const uint8_t *)tml_model_tensor(index, &total);
  if (src == NULL) total = 0;
  if (max_len == 0 || max_len > TML_PROTO_MAX_CHUNK || offset > total) {
    tml_server_nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  n = total - offset;
  if (n > max_len) n = max_len;
  tml_put_u16(b, index);
  tml_put_u32(b + 2, offset);
  tml_put_u32(b + 6, (uint32_t)total);
  if (n > 0) memcpy(b + TML_SIZE_READ_TENSOR_RESPONSE_FIXED, src + offset, n);
  tml_server_respond(m, TML_SIZE_READ_TENSOR_RESPONSE_FIXED + n);
}

static void handle_reset(const tml_msg *m) {
  if (m->body_len != 0) {
    tml_server_nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  tml_server_respond(m, 0);
  tml_hal_reset();
}

static void handle(const tml_msg *m) {
  if (!session_open && m->type != TML_MSG_HELLO && m->type != TML_MSG_INFO && m->type != TML_MSG_TENSOR_INFO) {
    tml_server_nak(TML_NAK_NO_SESSION, m->type, m->id);
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
    case TML_MSG_INVOKE_OPS: handle_invoke_ops(m); break;
    case TML_MSG_READ_TENSOR: handle_read_tensor(m); break;
    default: tml_server_nak(TML_NAK_UNKNOWN_TYPE, m->type, m->id); break;
  }
}

int tml_app_main(void) {
  tml_msg msg;
  tml_server_init();
  model_status = tml_model_init();
  tml_server_boot_hello();
  for (;;) {
    if (tml_server_poll(TML_APP_READ_WAIT_MS, &msg) == 1) handle(&msg);
  }
}
