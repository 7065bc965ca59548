/*
 * tml_hal_baremetal.c — tml_hal.h for QEMU's mps2 Cortex-M boards.
 *
 * Serial: CMSDK APB UART0. The UART holds one received byte; QEMU's model
 * stops taking bytes from the host while that byte is unread (no overrun,
 * but no progress either), and real CMSDK silicon overruns instead. So the
 * RX interrupt moves every byte into a ring buffer at once, which keeps the
 * line moving while the CPU computes an inference. When the ring is full the
 * handler masks the RX interrupt and leaves the byte in the UART: on QEMU the
 * host then simply waits, and the reader unmasks once it has made room.
 *
 * Waiting sleeps in `wfi` (with SysTick as a 1 ms wake-up for the timeout)
 * instead of polling: a sleeping guest lets QEMU's I/O thread run, which
 * moves input about 3x faster, and under -icount virtual time then follows
 * host time instead of burning instructions. SysTick runs only while waiting,
 * so no interrupt ever lands inside a measured region.
 *
 * Timer: CMSDK dual timer 1, 32-bit free-running down-counter, inverted.
 */
#include <stdint.h>

#include "tml_baremetal.h"
#include "tml_cmsdk.h"
#include "tml_hal.h"

#ifndef TML_BOARD_ID
#error "TML_BOARD_ID must name the board, e.g. -DTML_BOARD_ID=\"qemu-m4\""
#endif
/* The mps2 peripheral clock (UART, timers) is 25 MHz on every variant. */
#ifndef TML_TIMER_HZ
#define TML_TIMER_HZ 25000000u
#endif
#ifndef TML_UART_BAUD
#define TML_UART_BAUD 115200u
#endif
/* Must be a power of two; the protocol keeps ~1 KB in flight at most. */
#ifndef TML_UART_RX_RING
#define TML_UART_RX_RING 2048u
#endif
#if (TML_UART_RX_RING & (TML_UART_RX_RING - 1u)) != 0
#error "TML_UART_RX_RING must be a power of two"
#endif
/* Spin iterations between unmasking RX and the drain that follows (see
 * tml_hal_serial_read_byte). 0 in every image tinyml builds; the boot test
 * widens this few-instruction window so a byte lands in it on every run,
 * which is how the lost wake-up it guards against was found and is kept
 * fixed. */
#ifndef TML_UART_UNMASK_STALL
#define TML_UART_UNMASK_STALL 0
#endif

/* How long tml_hal_exit waits after the last byte left the UART: QEMU closes
 * the pty on exit and the host loses whatever it has not read yet. */
#define TML_EXIT_DRAIN_MS 250u

#define TML_PCLK_HZ 25000000u
#define TML_TICKS_PER_MS (TML_TIMER_HZ / 1000u)

static volatile uint8_t rx_ring[TML_UART_RX_RING];
static volatile uint32_t rx_head; /* written by the RX interrupt only */
static volatile uint32_t rx_tail; /* written by the reader only */
static volatile uint32_t rx_overruns;
volatile uint32_t dbg_un, dbg_late, dbg_full;

static void irq_disable(void) { __asm__ volatile("cpsid i" ::: "memory"); }
static void irq_enable(void) { __asm__ volatile("cpsie i" ::: "memory"); }

uint32_t tml_active_exception(void) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  return ipsr & 0x1FFu;
}

void tml_uart_ensure_enabled(void) {
  if ((TML_UART_CTRL & TML_UART_CTRL_TXEN) == 0u) {
    /* QEMU ignores BAUDDIV below 16; 25 MHz / 115200 = 217. */
    TML_UART_BAUDDIV = TML_PCLK_HZ / TML_UART_BAUD;
    TML_UART_CTRL |= TML_UART_CTRL_TXEN;
  }
}

static void uart_putc(uint8_t c) {
  /* A write while TXFULL would overwrite the pending byte (TX overrun). */
  while (TML_UART_STATE & TML_UART_STATE_TXFULL) {
  }
  TML_UART_DATA = c;
}

void tml_uart_puts(const char *s) {
  while (*s) uart_putc((uint8_t)*s++);
}

void tml_uart_put_hex(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  int shift;
  tml_uart_puts("0x");
  for (shift = 28; shift >= 0; shift -= 4) uart_putc((uint8_t)digits[(v >> shift) & 0xFu]);
}

/* Moves bytes from the UART into the ring while there is room. Returns 0 when
 * it had to stop because the ring is full. Runs in the RX interrupt, or with
 * interrupts disabled. */
static int rx_drain_hardware(void) {
  while (TML_UART_STATE & TML_UART_STATE_RXFULL) {
    if (rx_head - rx_tail >= TML_UART_RX_RING) return 0;
    rx_ring[rx_head & (TML_UART_RX_RING - 1u)] = (uint8_t)TML_UART_DATA;
    rx_head = rx_head + 1u;
  }
  return 1;
}

void UART0RX_IRQHandler(void);
void UART0RX_IRQHandler(void) {
  /* Clear first: a byte arriving during the drain sets it again. */
  TML_UART_INTSTATUS = TML_UART_INT_RX;
  if (!rx_drain_hardware()) TML_UART_CTRL &= ~TML_UART_CTRL_RXIRQ;
  if (TML_UART_STATE & TML_UART_STATE_RXOVERRUN) {
    rx_overruns = rx_overruns + 1u;
    TML_UART_STATE = TML_UART_STATE_RXOVERRUN;
  }
}

/* Only a wake-up from `wfi`; the timer itself is the dual timer. */
void SysTick_Handler(void);
void SysTick_Handler(void) {}

static void wake_every_ms(int on) {
  if (on) {
    TML_SYST_RVR = TML_TICKS_PER_MS - 1u;
    TML_SYST_CVR = 0u;
    TML_SYST_CSR = TML_SYST_CSR_RUN;
  } else {
    TML_SYST_CSR = 0u;
  }
}

/* Sleeps until an interrupt arrives or `timeout_ticks` passed (ready() is
 * checked with interrupts masked, so a byte that lands between the check and
 * `wfi` still wakes it: a pending interrupt ends `wfi` even under PRIMASK). */
static int sleep_until(int (*ready)(void), uint64_t timeout_ticks) {
  uint64_t waited = 0;
  uint32_t last = tml_hal_timer_ticks();
  int ok = 0;
  wake_every_ms(1);
  for (;;) {
    uint32_t now;
    irq_disable();
    if (ready != 0 && ready()) {
      irq_enable();
      ok = 1;
      break;
    }
    __asm__ volatile("wfi");
    irq_enable();
    now = tml_hal_timer_ticks();
    waited += (uint32_t)(now - last);
    last = now;
    if (waited >= timeout_ticks) break;
  }
  wake_every_ms(0);
  return ok;
}

static int rx_ready(void) { return rx_head != rx_tail; }

void tml_hal_init(void) {
  TML_TIMER1_CTRL = 0u;
  TML_TIMER1_LOAD = 0xFFFFFFFFu;
  TML_TIMER1_CTRL = TML_TIMER_CTRL_FREERUN32;

  rx_head = rx_tail = rx_overruns = 0u;
  TML_UART_BAUDDIV = TML_PCLK_HZ / TML_UART_BAUD;
  TML_UART_STATE = TML_UART_STATE_RXOVERRUN;
  TML_UART_INTSTATUS = 0xFu;
  TML_UART_CTRL = TML_UART_CTRL_TXEN | TML_UART_CTRL_RXEN | TML_UART_CTRL_RXIRQ;
  TML_NVIC_ICPR0 = 1u << TML_UART0_RX_IRQN;
  TML_NVIC_ISER0 = 1u << TML_UART0_RX_IRQN;
}

void tml_hal_serial_write(const uint8_t *data, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) uart_putc(data[i]);
}

int tml_hal_serial_read_byte(uint32_t timeout_ms) {
  uint8_t c;
  if (!rx_ready() && (timeout_ms == 0u || !sleep_until(rx_ready, (uint64_t)timeout_ms * TML_TICKS_PER_MS))) {
    return -1;
  }
  c = rx_ring[rx_tail & (TML_UART_RX_RING - 1u)];
  rx_tail = rx_tail + 1u;
  if ((TML_UART_CTRL & TML_UART_CTRL_RXIRQ) == 0u) {
    /* The interrupt gave up on a full ring; the byte it left is still in the
     * UART and will raise no new interrupt, so take it here. Unmask before
     * the drain, not after: a byte that lands while the interrupt is masked
     * never sets the RX status bit (QEMU's model, like the silicon, latches
     * it only with RXIRQ on), so unmasking after a drain that found the UART
     * empty could leave a byte there that nobody is told about, and the
     * host's writes then stall for good. Masked again if the ring fills. */
    irq_disable();
    TML_UART_CTRL |= TML_UART_CTRL_RXIRQ; dbg_un++; for (volatile int w = 0; w < 2000; w++) {}
    if (!rx_drain_hardware()) TML_UART_CTRL &= ~TML_UART_CTRL_RXIRQ;
    irq_enable();
  }
  return c;
}

uint32_t tml_hal_timer_ticks(void) { return 0xFFFFFFFFu - TML_TIMER1_VALUE; }

uint32_t tml_hal_timer_hz(void) { return TML_TIMER_HZ; }

const char *tml_hal_board_id(void) { return TML_BOARD_ID; }

/* The emulated boards have no energy monitor to see a pin (see tml_hal.h). */
void tml_hal_timestamp(void) {}

static void serial_flush(void) {
  while (TML_UART_STATE & TML_UART_STATE_TXFULL) {
  }
  sleep_until(0, (uint64_t)TML_EXIT_DRAIN_MS * TML_TICKS_PER_MS);
}

/* The same drain for fault handlers, which run above every interrupt and so
 * cannot sleep in wfi: spin on the timer. A fault before tml_hal_init() has
 * no running timer, hence the spin cap. */
void tml_uart_drain_busy(void) {
  uint32_t start;
  uint32_t spins = 0;
  while (TML_UART_STATE & TML_UART_STATE_TXFULL) {
  }
  start = tml_hal_timer_ticks();
  while ((uint32_t)(tml_hal_timer_ticks() - start) < TML_EXIT_DRAIN_MS * TML_TICKS_PER_MS) {
    if (++spins > 50000000u) break;
  }
}

void tml_hal_reset(void) {
  serial_flush();
  __asm__ volatile("dsb" ::: "memory");
  TML_SCB_AIRCR = TML_AIRCR_SYSRESETREQ;
  __asm__ volatile("dsb" ::: "memory");
  for (;;) __asm__ volatile("wfi");
}

void tml_semihost_exit(int code) {
  /* SYS_EXIT_EXTENDED: r1 points at {ADP_Stopped_ApplicationExit, code}. */
  static volatile uint32_t block[2];
  register uint32_t r0 __asm__("r0") = 0x20u;
  register volatile uint32_t *r1 __asm__("r1") = block;
  block[0] = 0x20026u;
  block[1] = (uint32_t)code;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
}

void tml_hal_exit(int code) {
  if (TML_UART_CTRL & TML_UART_CTRL_TXEN) serial_flush();
  tml_semihost_exit(code);
  /* Without semihosting (a real board, or QEMU without the flag) park. */
  for (;;) __asm__ volatile("wfi");
}

/* The MPS2 machines QEMU emulates have no audio input, so the wake-word app
 * on them hears only what the host streams over the serial protocol. */
int tml_hal_mic_start(void) { return TML_HAL_MIC_NONE; }

int tml_hal_mic_read(int16_t *samples, size_t max, uint32_t timeout_ms) {
  (void)samples;
  (void)max;
  (void)timeout_ms;
  return TML_HAL_MIC_NONE;
}
