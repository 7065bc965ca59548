/*
 * tml_hal.h — the whole board-specific surface of tinyml firmware.
 *
 * Everything above this header (kernels, generated model code, the serial
 * protocol, the apps) is the same C on every board; a board family
 * implements only these functions in firmware/hal/<family>/. Keep it small:
 * a port is a serial line, a free-running timer, a way to stop, and (for
 * the always-listening wake-word app) a microphone where the board has one.
 */
#ifndef TML_HAL_H
#define TML_HAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Clocks, UART, timer: everything the functions below need. Called first. */
void tml_hal_init(void);

/** Writes all n bytes to the serial line (blocking until they are queued). */
void tml_hal_serial_write(const uint8_t *data, size_t n);

/**
 * Reads one byte from the serial line. Returns the byte (0..255), or -1 when
 * none arrived within timeout_ms (0 = poll once, never block forever so the
 * caller can keep a watchdog or resend).
 */
int tml_hal_serial_read_byte(uint32_t timeout_ms);

/** A free-running up-counter for latency; wraps modulo 2^32. */
uint32_t tml_hal_timer_ticks(void);

/** Ticks per second of tml_hal_timer_ticks(). */
uint32_t tml_hal_timer_hz(void);

/** The board id this firmware was built for (e.g. "qemu-m4"). */
const char *tml_hal_board_id(void);

/**
 * The EEMBC energy-mode timestamp (`--app eembc --eembc-mode energy`): pulls
 * the board's timestamp pin TML_TIMESTAMP_PIN low for well over the 1 µs the
 * energy monitor needs, then releases it high; the monitor times the runs by
 * its falling edges. A build without a pin (the host, the emulated boards,
 * a board file that names none) has nothing to drive.
 */
void tml_hal_timestamp(void);

/** Restarts the firmware from scratch (a RESET request). Does not return. */
void tml_hal_reset(void);

/**
 * Ends the program with an exit code where that means something (host
 * process exit; semihosting SYS_EXIT_EXTENDED on QEMU). On a real board it
 * parks the CPU. Does not return.
 */
void tml_hal_exit(int code);

/* tml_hal_mic_*: the board has no microphone, or capture ended (a host-side source ran dry). */
#define TML_HAL_MIC_NONE (-1)
/* tml_hal_mic_read: samples were lost since the last read (the app fell behind real time). */
#define TML_HAL_MIC_OVERRUN (-2)

/**
 * Starts capturing the microphone as 16 kHz mono int16 PCM into the HAL's
 * own buffer (DMA or interrupt driven, so capture continues while the app
 * computes). Returns 0, or TML_HAL_MIC_NONE when the board has no
 * microphone or it failed to start. Only apps that listen call this, so an
 * inference-only image never powers the microphone.
 */
int tml_hal_mic_start(void);

/**
 * Moves up to max captured samples, oldest first, into samples, waiting at
 * most timeout_ms for the first one (0 = poll). Returns the number moved
 * (0 when none arrived in time), TML_HAL_MIC_OVERRUN once after the HAL had
 * to drop samples (the caller restarts its stream: features computed across
 * a gap would be wrong), or TML_HAL_MIC_NONE when capture is not running or
 * has ended.
 */
int tml_hal_mic_read(int16_t *samples, size_t max, uint32_t timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* TML_HAL_H */
