/*
 * tml_crc.h — CRC-32 for the serial protocol's frame check.
 *
 * The variant is CRC-32/ISO-HDLC (the zlib/Ethernet CRC: reflected
 * polynomial 0x04C11DB7, init 0xFFFFFFFF, xorout 0xFFFFFFFF; check value
 * 0xCBF43926 over "123456789"). Chosen over CRC-16/CCITT because frames carry
 * up to ~290 bytes and a 32-bit check keeps the undetected-error rate
 * negligible on a line that is deliberately corrupted in tests; the host
 * side (src/device/crc.ts) computes the same function.
 */
#ifndef TML_CRC_H
#define TML_CRC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TML_CRC32_INIT 0xFFFFFFFFu

/** Folds n bytes into a running state that started at TML_CRC32_INIT. */
uint32_t tml_crc32_update(uint32_t state, const uint8_t *data, size_t n);

/** The finished CRC-32 of a running state. */
uint32_t tml_crc32_final(uint32_t state);

/** CRC-32/ISO-HDLC of one buffer. */
uint32_t tml_crc32(const uint8_t *data, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* TML_CRC_H */
