/*
 * tml_protocol.h — the frame layer of the tinyml device protocol.
 *
 * A frame is 0x00, COBS(payload ‖ CRC-32(payload) LE), 0x00; the payload is
 * a 4-byte header (version, type, request id LE) and a body of at most
 * TML_PROTO_MAX_BODY bytes. The parser is fed one byte at a time from the
 * UART, holds no pointers between calls except into its own buffer, and
 * turns anything it cannot trust into an error code the app answers with a
 * NAK; it never stops accepting bytes. Ids and layouts: tml_protocol_ids.h.
 */
#ifndef TML_PROTOCOL_H
#define TML_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "tml_cobs.h"
#include "tml_protocol_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TML_PROTO_MAX_PAYLOAD (TML_PROTO_HEADER_BYTES + TML_PROTO_MAX_BODY + TML_PROTO_CRC_BYTES)
/** Encoded bytes of the largest frame, delimiters included. */
#define TML_PROTO_MAX_FRAME (TML_COBS_MAX_ENCODED(TML_PROTO_MAX_PAYLOAD) + 2u)

/** A decoded message; body points into the parser (valid until the next feed). */
typedef struct {
  uint8_t version;
  uint8_t type;
  uint16_t id;
  const uint8_t *body;
  size_t body_len;
  uint32_t crc; /* the frame's CRC: identifies a retransmitted request */
} tml_msg;

typedef struct {
  uint8_t buf[TML_COBS_MAX_ENCODED(TML_PROTO_MAX_PAYLOAD)];
  size_t len;
  int overflow; /* the current frame outgrew buf: drop bytes until the next 0x00 */
} tml_frame_parser;

/** Results of tml_frame_parser_feed: a message, nothing yet, or a NAK reason. */
#define TML_FEED_MORE 0
#define TML_FEED_MESSAGE 1
#define TML_FEED_ERROR 2

void tml_frame_parser_init(tml_frame_parser *p);

/**
 * Feeds one received byte. Returns TML_FEED_MESSAGE with *out filled when a
 * valid frame ended, TML_FEED_ERROR with *nak_reason (TML_NAK_*) when a
 * frame ended that cannot be trusted (for TML_NAK_VERSION, out->id and type
 * are filled because the CRC held), TML_FEED_MORE otherwise (including
 * empty frames, which senders use to flush line noise).
 */
int tml_frame_parser_feed(tml_frame_parser *p, uint8_t byte, tml_msg *out, uint8_t *nak_reason);

/**
 * Frames a payload: payload[0..len) is header + body and the buffer must
 * have TML_PROTO_CRC_BYTES spare bytes after it (the CRC is appended there).
 * Writes 0x00, the COBS bytes and 0x00 to out. Returns the frame length, or
 * 0 when it does not fit in cap.
 */
size_t tml_frame_encode(uint8_t *payload, size_t len, size_t payload_cap, uint8_t *out, size_t cap);

/** Little-endian field access; callers check bounds before calling. */
void tml_put_u16(uint8_t *p, uint16_t v);
void tml_put_u32(uint8_t *p, uint32_t v);
uint16_t tml_get_u16(const uint8_t *p);
uint32_t tml_get_u32(const uint8_t *p);

#ifdef __cplusplus
}
#endif

#endif /* TML_PROTOCOL_H */
