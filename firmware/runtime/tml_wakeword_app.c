/*
 * tml_wakeword_app.c — the streaming keyword-spotting app (`--app wakeword`).
 *
 * Two generated models are linked in: the audio frontend (frontend_model.c,
 * exported as tml_frontend_*) and the classifier (model.c, tml_model_*, so
 * INFO's model hash names the classifier). Audio arrives in AUDIO blocks of
 * int16 PCM; every 320 samples (20 ms) the last 480 (30 ms) go through the
 * frontend, its 40 int8 features enter a ring of 49 frames, and once 49
 * frames exist the classifier runs on all of them (oldest first) after every
 * new frame and tml_recognize smooths its scores into events. This is
 * src/wakeword/pipeline.ts step for step, so host and device frames are equal.
 *
 * Each AUDIO answer carries every frame its block completed (features,
 * scores, smoothing result, per-stage ticks), so the host sees all frames
 * without extra requests. A block must start where the last one ended
 * (its offset field), which catches a lost or repeated block; HELLO and
 * WW_RESET restart the stream (the frontend's noise estimate included).
 */
#include <string.h>

#include "tml_frontend.h"
#include "tml_app.h"
#include "tml_hal.h"
#include "tml_model.h"
#include "tml_protocol.h"
#include "tml_recognize.h"

#ifndef TML_RUNTIME_NAME
#define TML_RUNTIME_NAME "unspecified"
#endif
#ifndef TML_VERSION
#define TML_VERSION "unspecified"
#endif
/* Categories that are keywords (bit i = label i): micro_speech's yes (2) and no (3). */
#ifndef TML_WW_KEYWORD_MASK
#define TML_WW_KEYWORD_MASK 0x0Cu
#endif
/* RecognizeCommands settings; TFLM micro_speech's defaults unless the build sets them. */
#ifndef TML_WW_AVERAGE_WINDOW_MS
#define TML_WW_AVERAGE_WINDOW_MS 1000
#endif
#ifndef TML_WW_DETECTION_THRESHOLD
#define TML_WW_DETECTION_THRESHOLD 200
#endif
#ifndef TML_WW_SUPPRESSION_MS
#define TML_WW_SUPPRESSION_MS 1500
#endif
#ifndef TML_WW_MINIMUM_COUNT
#define TML_WW_MINIMUM_COUNT 3
#endif

/* micro_speech's micro_model_settings.h: 16 kHz, 30 ms windows every 20 ms, 49 x 40 features. */
#define WW_WINDOW_SAMPLES 480u
#define WW_HOP_SAMPLES 320u
#define WW_WINDOW_MS 30u
#define WW_HOP_MS 20u
#define WW_FEATURE_SIZE 40u
#define WW_FEATURE_COUNT 49u

#define WW_FLAG_SCORES 0x01u
#define WW_FLAG_NEW_COMMAND 0x02u
#define WW_FLAG_EVENT 0x04u

#define WW_RECORD_MAX (TML_SIZE_WW_FRAME_FIXED + WW_FEATURE_SIZE + TML_RECOGNIZE_MAX_CATEGORIES)
/* A block of at most MAX_CHUNK bytes completes at most this many 320-sample hops. */
#define WW_MAX_FRAMES_PER_BLOCK ((TML_PROTO_MAX_CHUNK / 2u + WW_HOP_SAMPLES - 1u) / WW_HOP_SAMPLES)
/* The answer to the largest block must fit one frame. */
typedef char ww_answer_fits[(TML_SIZE_AUDIO_RESPONSE_FIXED + WW_MAX_FRAMES_PER_BLOCK * WW_RECORD_MAX <= TML_PROTO_MAX_BODY) ? 1 : -1];

#define READ_WAIT_MS 100u

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
static int session_open;

/* The stream. */
static int16_t window[WW_WINDOW_SAMPLES];
static size_t filled;
static int8_t ring[WW_FEATURE_COUNT * WW_FEATURE_SIZE];
static uint32_t frames;
static uint32_t samples_taken;
static size_t score_count;
static tml_recognize_t recognizer;

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

/* NAKs use their own buffer so the cached response survives them. */
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

/* Both models' shapes must be the pipeline's; nonzero when they are not (the build checks too). */
static int check_models(void) {
  const tml_tensor_info *fin = tml_frontend_input_info(0), *fout = tml_frontend_output_info(0);
  const tml_tensor_info *cin = tml_model_input_info(0), *cout = tml_model_output_info(0);
  if (fin == NULL || fout == NULL || cin == NULL || cout == NULL) return 1;
  if (fin->bytes != 2u * WW_WINDOW_SAMPLES || fout->bytes != WW_FEATURE_SIZE) return 1;
  if (cin->bytes != WW_FEATURE_COUNT * WW_FEATURE_SIZE) return 1;
  if (cout->bytes == 0u || cout->bytes > TML_RECOGNIZE_MAX_CATEGORIES) return 1;
  return 0;
}

static int reset_stream(void) {
  tml_recognize_config_t config;
  int status = tml_frontend_init(); /* zeroes the noise estimate and PCAN state */
  if (status == 0) status = tml_model_init();
  if (status == 0) status = check_models();
  filled = 0;
  frames = 0;
  samples_taken = 0;
  memset(ring, 0, sizeof ring);
  score_count = status == 0 ? tml_model_output_info(0)->bytes : 0u;
  config.average_window_ms = TML_WW_AVERAGE_WINDOW_MS;
  config.detection_threshold = (uint8_t)TML_WW_DETECTION_THRESHOLD;
  config.suppression_ms = TML_WW_SUPPRESSION_MS;
  config.minimum_count = TML_WW_MINIMUM_COUNT;
  if (status == 0 && tml_recognize_init(&recognizer, &config, (int)score_count) != TML_RECOGNIZE_OK) status = 1;
  return status;
}

/* One 20 ms hop: the frontend, then (from frame 49 on) the classifier and smoothing; writes its record to rec. */
static int step(uint8_t *rec, size_t *rec_len) {
  uint32_t index = frames++;
  uint32_t time_ms = index * WW_HOP_MS + WW_WINDOW_MS;
  uint32_t t0, t1 = 0, t2 = 0, t3 = 0, frontend_ticks;
  uint8_t flags = 0, found_index = 0, found_score = 0;
  size_t oldest, n_scores = 0;
  int8_t *in;
  int status;
  tml_recognize_result_t result;

  t0 = tml_hal_timer_ticks();
  memcpy(tml_frontend_input(0), window, sizeof window);
  status = tml_frontend_invoke();
  frontend_ticks = tml_hal_timer_ticks() - t0;
  if (status != 0) return status;
  memcpy(ring + (index % WW_FEATURE_COUNT) * WW_FEATURE_SIZE, tml_frontend_output(0), WW_FEATURE_SIZE);
  memcpy(rec + TML_SIZE_WW_FRAME_FIXED, tml_frontend_output(0), WW_FEATURE_SIZE);
  if (frames >= WW_FEATURE_COUNT) {
    /* Oldest frame first, as micro_speech's feature buffer is laid out. */
    oldest = frames % WW_FEATURE_COUNT;
    in = (int8_t *)tml_model_input(0);
    t1 = tml_hal_timer_ticks();
    memcpy(in, ring + oldest * WW_FEATURE_SIZE, (WW_FEATURE_COUNT - oldest) * WW_FEATURE_SIZE);
    memcpy(in + (WW_FEATURE_COUNT - oldest) * WW_FEATURE_SIZE, ring, oldest * WW_FEATURE_SIZE);
    status = tml_model_invoke();
    t2 = tml_hal_timer_ticks();
    if (status != 0) return status;
    n_scores = score_count;
    memcpy(rec + TML_SIZE_WW_FRAME_FIXED + WW_FEATURE_SIZE, tml_model_output(0), n_scores);
    if (tml_recognize_process(&recognizer, (const int8_t *)tml_model_output(0), (int32_t)time_ms, &result) !=
        TML_RECOGNIZE_OK) {
      return -1;
    }
    t3 = tml_hal_timer_ticks();
    flags = WW_FLAG_SCORES;
    found_index = (uint8_t)result.index;
    found_score = result.score;
    if (result.is_new_command) {
      flags |= WW_FLAG_NEW_COMMAND;
      if (((TML_WW_KEYWORD_MASK >> result.index) & 1u) != 0u) flags |= WW_FLAG_EVENT;
    }
  }
  tml_put_u32(rec, index);
  tml_put_u32(rec + 4, time_ms);
  tml_put_u32(rec + 8, frontend_ticks);
  tml_put_u32(rec + 12, n_scores > 0 ? t2 - t1 : 0u);
  tml_put_u32(rec + 16, n_scores > 0 ? t3 - t2 : 0u);
  rec[20] = flags;
  rec[21] = found_index;
  rec[22] = found_score;
  rec[23] = (uint8_t)WW_FEATURE_SIZE;
  rec[24] = (uint8_t)n_scores;
  *rec_len = TML_SIZE_WW_FRAME_FIXED + WW_FEATURE_SIZE + n_scores;
  return 0;
}

static void handle_audio(const tml_msg *m) {
  uint8_t *b = body();
  size_t len, count, at = 0, take, rec_len, out = TML_SIZE_AUDIO_RESPONSE_FIXED;
  uint8_t done = 0;
  uint32_t offset;
  int status = 0;
  if (m->body_len <= TML_SIZE_AUDIO_REQUEST_FIXED || m->body_len - TML_SIZE_AUDIO_REQUEST_FIXED > TML_PROTO_MAX_CHUNK ||
      (m->body_len - TML_SIZE_AUDIO_REQUEST_FIXED) % 2u != 0u) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  if (model_status != 0) {
    nak(TML_NAK_MODEL, m->type, m->id);
    return;
  }
  offset = tml_get_u32(m->body);
  if (offset != samples_taken) {
    nak(TML_NAK_RANGE, m->type, m->id);
    return;
  }
  len = m->body_len - TML_SIZE_AUDIO_REQUEST_FIXED;
  count = len / 2u;
  while (at < count && status == 0) {
    take = WW_WINDOW_SAMPLES - filled;
    if (take > count - at) take = count - at;
    for (size_t k = 0; k < take; ++k) {
      const uint8_t *s = m->body + TML_SIZE_AUDIO_REQUEST_FIXED + 2u * (at + k);
      window[filled + k] = (int16_t)(uint16_t)(s[0] | (s[1] << 8));
    }
    filled += take;
    at += take;
    if (filled == WW_WINDOW_SAMPLES) {
      status = step(b + out, &rec_len);
      if (status == 0) {
        out += rec_len;
        ++done;
      }
      /* Keep the last 160 samples: the next window overlaps this one by 10 ms. */
      memmove(window, window + WW_HOP_SAMPLES, (WW_WINDOW_SAMPLES - WW_HOP_SAMPLES) * sizeof window[0]);
      filled = WW_WINDOW_SAMPLES - WW_HOP_SAMPLES;
    }
  }
  samples_taken += (uint32_t)count;
  tml_put_u32(b, offset);
  tml_put_u32(b + 4, offset + (uint32_t)count);
  tml_put_u32(b + 8, (uint32_t)status);
  b[12] = done;
  respond(m, out);
}

static size_t put_str(uint8_t *p, const char *s) {
  size_t n = 0;
  while (s != NULL && n < TML_PROTO_MAX_STRING && s[n] != '\0') ++n;
  if (n > 0) memcpy(p + 1, s, n);
  p[0] = (uint8_t)n;
  return n + 1u;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* INFO describes the classifier (its hash identifies the build); the arena is both models'. */
static void handle_info(const tml_msg *m) {
  uint8_t *b = body();
  const char *hex = tml_model_sha256();
  size_t n = TML_SIZE_INFO_RESPONSE_FIXED, i;
  b[0] = (uint8_t)tml_model_input_count();
  b[1] = (uint8_t)tml_model_output_count();
  b[2] = (uint8_t)(model_status != 0);
  b[3] = 0;
  tml_put_u32(b + 4, tml_hal_timer_hz());
  tml_put_u32(b + 8, (uint32_t)(tml_model_arena_used() + tml_frontend_arena_used()));
  tml_put_u32(b + 12, 0u);
  memset(b + 16, 0, 32);
  for (i = 0; hex != NULL && i < 32 && hex[2 * i] != '\0'; ++i) {
    int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) break;
    b[16 + i] = (uint8_t)((hi << 4) | lo);
  }
  n += put_str(b + n, tml_hal_board_id());
  n += put_str(b + n, TML_RUNTIME_NAME);
  n += put_str(b + n, TML_VERSION);
  respond(m, n);
}

static void handle(const tml_msg *m) {
  if (last_request.valid && m->type == last_request.type && m->id == last_request.id &&
      m->crc == last_request.crc) {
    tml_hal_serial_write(tx_frame, tx_frame_len);
    return;
  }
  if (m->type != TML_MSG_AUDIO && m->body_len != 0) {
    nak(TML_NAK_BAD_LENGTH, m->type, m->id);
    return;
  }
  if (!session_open && m->type != TML_MSG_HELLO && m->type != TML_MSG_INFO) {
    nak(TML_NAK_NO_SESSION, m->type, m->id);
    return;
  }
  switch (m->type) {
    case TML_MSG_HELLO:
      session_open = 1;
      model_status = reset_stream();
      body()[0] = (uint8_t)TML_PROTO_VERSION;
      body()[1] = 0;
      tml_put_u16(body() + 2, (uint16_t)TML_PROTO_MAX_CHUNK);
      respond(m, TML_SIZE_HELLO_RESPONSE);
      break;
    case TML_MSG_INFO: handle_info(m); break;
    case TML_MSG_AUDIO: handle_audio(m); break;
    case TML_MSG_WW_RESET:
      model_status = reset_stream();
      respond(m, 0);
      break;
    case TML_MSG_RESET:
      respond(m, 0);
      tml_hal_reset();
      break;
    default: nak(TML_NAK_UNKNOWN_TYPE, m->type, m->id); break;
  }
}

int tml_app_main(void) {
  tml_msg msg;
  uint8_t reason = 0;
  uint8_t *b = body();
  int c, r;
  tml_frame_parser_init(&rx);
  model_status = reset_stream();
  /* The boot HELLO: a host that was mid-stream learns that the board restarted. */
  b[0] = (uint8_t)TML_PROTO_VERSION;
  b[1] = (uint8_t)TML_HELLO_FLAG_BOOT;
  tml_put_u16(b + 2, (uint16_t)TML_PROTO_MAX_CHUNK);
  send_frame((uint8_t)(TML_MSG_HELLO | TML_PROTO_RESPONSE), (uint16_t)TML_PROTO_BOOT_REQUEST_ID,
             TML_SIZE_HELLO_RESPONSE);
  last_request.valid = 0;
  for (;;) {
    c = tml_hal_serial_read_byte(READ_WAIT_MS);
    if (c < 0) continue;
    r = tml_frame_parser_feed(&rx, (uint8_t)c, &msg, &reason);
    if (r == TML_FEED_MESSAGE) {
      handle(&msg);
    } else if (r == TML_FEED_ERROR) {
      nak(reason, msg.type, msg.id);
    }
  }
}
