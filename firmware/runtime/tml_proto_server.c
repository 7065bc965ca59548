/* tml_proto_server.c — see tml_proto_server.h. */
#include "tml_proto_server.h"

#include <string.h>

#include "tml_hal.h"

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

void tml_server_init(void) {
  tml_frame_parser_init(&rx);
  last_request.valid = 0;
}

uint8_t *tml_server_body(void) { return tx_payload + TML_PROTO_HEADER_BYTES; }

static void send_frame(uint8_t type, uint16_t id, size_t body_len) {
  tx_payload[0] = (uint8_t)TML_PROTO_VERSION;
  tx_payload[1] = type;
  tml_put_u16(tx_payload + 2, id);
  tx_frame_len = tml_frame_encode(tx_payload, TML_PROTO_HEADER_BYTES + body_len, sizeof tx_payload, tx_frame,
                                  sizeof tx_frame);
  if (tx_frame_len > 0) tml_hal_serial_write(tx_frame, tx_frame_len);
}

void tml_server_respond(const tml_msg *req, size_t body_len) {
  send_frame((uint8_t)(req->type | TML_PROTO_RESPONSE), req->id, body_len);
  last_request.valid = tx_frame_len > 0;
  last_request.type = req->type;
  last_request.id = req->id;
  last_request.crc = req->crc;
}

void tml_server_nak(uint8_t reason, uint8_t rejected_type, uint16_t id) {
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

int tml_server_poll(uint32_t wait_ms, tml_msg *msg) {
  uint8_t reason = 0;
  int r, c = tml_hal_serial_read_byte(wait_ms);
  if (c < 0) return -1;
  r = tml_frame_parser_feed(&rx, (uint8_t)c, msg, &reason);
  if (r == TML_FEED_ERROR) {
    tml_server_nak(reason, msg->type, msg->id);
    return 0;
  }
  if (r != TML_FEED_MESSAGE) return 0;
  if (last_request.valid && msg->type == last_request.type && msg->id == last_request.id &&
      msg->crc == last_request.crc) {
    tml_hal_serial_write(tx_frame, tx_frame_len);
    return 0;
  }
  return 1;
}

size_t tml_server_hello_body(uint8_t *b, uint8_t flags) {
  b[0] = (uint8_t)TML_PROTO_VERSION;
  b[1] = flags;
  tml_put_u16(b + 2, (uint16_t)TML_PROTO_MAX_CHUNK);
  return TML_SIZE_HELLO_RESPONSE;
}

void tml_server_boot_hello(void) {
  size_t n = tml_server_hello_body(tml_server_body(), (uint8_t)TML_HELLO_FLAG_BOOT);
  send_frame((uint8_t)(TML_MSG_HELLO | TML_PROTO_RESPONSE), (uint16_t)TML_PROTO_BOOT_REQUEST_ID, n);
  /* Not an answer to any request: a request must never be answered from it. */
  last_request.valid = 0;
}

size_t tml_server_put_str(uint8_t *p, const char *s) {
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

void tml_server_put_sha256(uint8_t *p, const char *hex) {
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
