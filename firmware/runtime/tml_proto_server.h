/*
 * tml_proto_server.h — the device side of the framed protocol that every
 * app serving it shares (tml_proto_app.c, tml_wakeword_app.c): reading
 * request frames from the serial line, answering them, NAKs, and the cache
 * that makes a retransmitted request take effect exactly once.
 *
 * One request is handled at a time and answered before the next byte is
 * read, which is the flow control: the host waits for each answer, so at
 * most one frame is ever unacknowledged. The last response is kept: a
 * request repeated with the same id, type and CRC (the host retransmits
 * after a lost answer) is answered from it without running again.
 */
#ifndef TML_PROTO_SERVER_H
#define TML_PROTO_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "tml_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Resets the frame parser and forgets the cached response. */
void tml_server_init(void);

/* Where an app writes a response's body before tml_server_respond(). */
uint8_t *tml_server_body(void);

/*
 * Reads one byte from the serial line (waiting at most wait_ms) into the
 * parser. Returns 1 with *msg when it completed a request the app must
 * handle, 0 when the byte completed nothing (or completed a repeat, already
 * answered from the cache, or a bad frame, already NAKed), -1 when no byte
 * arrived in time.
 */
int tml_server_poll(uint32_t wait_ms, tml_msg *msg);

/* Sends the body as the response to req and caches it for a repeat of req. */
void tml_server_respond(const tml_msg *req, size_t body_len);

/* Sends a NAK (from its own buffer, so the cached response survives it). */
void tml_server_nak(uint8_t reason, uint8_t rejected_type, uint16_t id);

/* The unsolicited HELLO a board sends at boot, so a host mid-session learns it restarted. */
void tml_server_boot_hello(void);

/* A HELLO response body (version, flags, max chunk) at b; returns its length. */
size_t tml_server_hello_body(uint8_t *b, uint8_t flags);

/* Writes u8 length + at most TML_PROTO_MAX_STRING bytes of s; returns bytes written. */
size_t tml_server_put_str(uint8_t *p, const char *s);

/* A hex SHA-256 as 32 raw bytes; all zeros when it is missing or not hex. */
void tml_server_put_sha256(uint8_t *p, const char *hex);

#ifdef __cplusplus
}
#endif

#endif /* TML_PROTO_SERVER_H */
