/*
 * tml_baremetal.h — what the bare-metal HAL's files share among themselves
 * (not part of tml_hal.h: apps never call these).
 */
#ifndef TML_BAREMETAL_H
#define TML_BAREMETAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Exit codes the firmware itself produces, chosen far from the small codes
 * apps and tests use so a crash can never pass for a result.
 */
#define TML_EXIT_FAULT 250         /* HardFault, MemManage, BusFault, UsageFault */
#define TML_EXIT_UNEXPECTED_IRQ 251 /* an exception or IRQ nobody handles */

/** Sets up UART0 if nothing has yet (a fault can come before tml_hal_init). */
void tml_uart_ensure_enabled(void);

/** Writes one NUL-terminated string by polling; safe inside a fault handler. */
void tml_uart_puts(const char *s);

/** Writes "0x" and eight hex digits; safe inside a fault handler. */
void tml_uart_put_hex(uint32_t v);

/** Ends QEMU through semihosting SYS_EXIT_EXTENDED with no flush or delay. */
void tml_semihost_exit(int code);

/** Waits until the UART has sent everything, without interrupts (for fault handlers). */
void tml_uart_drain_busy(void);

/** Reads the active exception number (IPSR). */
uint32_t tml_active_exception(void);

#endif /* TML_BAREMETAL_H */
