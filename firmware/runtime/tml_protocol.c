/* tml_protocol.c — frame parser and encoder (see tml_protocol.h). */
#include "tml_protocol.h"

#include "tml_crc.h"

void tml_put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v & 0xFFu);
  p[1] = (uint8_t)(v >> 8);
}

void tml_put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v & 0xFFu);
  p[1] = (uint8_t)((v >> 8) & 0xFFu);
  p[2] = (uint8_t)((v >> 16) & 0xFFu);
  p[3] = (uint8_t)(v >> 24);
}

uint16_t tml_get_u16(const uint8_t *p) { return (uint16_t)(p[0] | ((uint16_t)p[1] << 8)); }

uint32_t tml_get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

void tml_frame_parser_init(tml_frame_parser *p) {
  p->len = 0;
  p->overflow = 0;
}

/* Decodes and checks the frame held in p->buf; the payload is decoded in place. */
static int finish_frame(tml_frame_parser *p, tml_msg *out, uint8_t *nak_reason) {
  size_t n = 0;
  uint32_t crc;
  if (tml_cobs_decode(p->buf, p->len, p->buf, sizeof p->buf, &n) != 0) {
    *nak_reason = TML_NAK_MALFORMED;
    return TML_FEED_ERROR;
  }
  if (n < TML_PROTO_HEADER_BYTES + TML_PROTO_CRC_BYTES) {
    *nak_reason = TML_NAK_MALFORMED;
    return TML_FEED_ERROR;
  }
  n -= TML_PROTO_CRC_BYTES;
  crc = tml_crc32(p->buf, n);
  if (crc != tml_get_u32(p->buf + n)) {
    *nak_reason = TML_NAK_CRC;
    return TML_FEED_ERROR;
  }
  out->version = p->buf[0];
  out->type = p->buf[1];
  out->id = tml_get_u16(p->buf + 2);
  out->body = p->buf + TML_PROTO_HEADER_BYTES;
  out->body_len = n - TML_PROTO_HEADER_BYTES;
  out->crc = crc;
  if (out->version != TML_PROTO_VERSION) {
    *nak_reason = TML_NAK_VERSION;
    return TML_FEED_ERROR;
  }
  if (out->body_len > TML_PROTO_MAX_BODY) {
    *nak_reason = TML_NAK_TOO_LONG;
    return TML_FEED_ERROR;
  }
  return TML_FEED_MESSAGE;
}

int tml_frame_parser_feed(tml_frame_parser *p, uint8_t byte, tml_msg *out, uint8_t *nak_reason) {
  int result;
  if (byte != 0) {
    if (p->len < sizeof p->buf) {
      p->buf[p->len++] = byte;
    } else {
      p->overflow = 1;
    }
    return TML_FEED_MORE;
  }
  if (p->overflow) {
    result = TML_FEED_ERROR;
    *nak_reason = TML_NAK_TOO_LONG;
  } else if (p->len == 0) {
    result = TML_FEED_MORE;
  } else {
    result = finish_frame(p, out, nak_reason);
  }
  if (result == TML_FEED_ERROR && *nak_reason != TML_NAK_VERSION) {
    out->version = 0;
    out->type = 0;
    out->id = (uint16_t)TML_PROTO_UNKNOWN_REQUEST_ID;
    out->body = p->buf;
    out->body_len = 0;
    out->crc = 0;
  }
  tml_frame_parser_init(p);
  return result;
}

size_t tml_frame_encode(uint8_t *payload, size_t len, size_t payload_cap, uint8_t *out, size_t cap) {
  size_t enc;
  if (len > payload_cap || payload_cap - len < TML_PROTO_CRC_BYTES || cap < 3) return 0;
  tml_put_u32(payload + len, tml_crc32(payload, len));
  out[0] = 0;
  enc = tml_cobs_encode(payload, len + TML_PROTO_CRC_BYTES, out + 1, cap - 2);
  if (enc == 0) return 0;
  out[enc + 1] = 0;
  return enc + 2;
}
