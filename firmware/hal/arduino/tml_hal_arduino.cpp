/*
 * tml_hal_arduino.cpp — tml_hal.h for the Arduino Nano 33 BLE (Sense), an
 * nRF52840 Cortex-M4F on the arduino:mbed_nano core.
 *
 * Serial: `Serial`, the board's native USB CDC port (there is no USB-UART
 * bridge), buffered by mbed's USB stack while an inference runs.
 * Timer: the Cortex-M DWT cycle counter at the 64 MHz core clock, which
 * micros() (1 µs, and a 32-bit wrap after 71 minutes) cannot match for
 * per-op profiles.
 */
#include <Arduino.h>

#include "tml_hal.h"

#ifndef TML_BOARD_ID
#error "TML_BOARD_ID must name the board, e.g. -DTML_BOARD_ID=\"nano33ble\""
#endif
#ifndef TML_UART_BAUD
#define TML_UART_BAUD 115200u
#endif
#ifndef TML_TIMER_HZ
#define TML_TIMER_HZ 64000000u
#endif

void tml_hal_init(void) {
  /* The counter runs only with trace enabled (DEMCR.TRCENA) and CYCCNTENA set. */
  CoreDebug->DEMCR |= CoreDebug_DEMCR_TRCENA_Msk;
  DWT->CYCCNT = 0;
  DWT->CTRL |= DWT_CTRL_CYCCNTENA_Msk;
  Serial.begin(TML_UART_BAUD); /* the baud is nominal on USB CDC */
  /* Bytes written before the host opens the port are dropped: wait for it. */
  while (!Serial) {
    delay(10);
  }
}

void tml_hal_serial_write(const uint8_t *data, size_t n) { Serial.write(data, n); }

int tml_hal_serial_read_byte(uint32_t timeout_ms) {
  const unsigned long start = millis();
  for (;;) {
    if (Serial.available() > 0) return Serial.read();
    if (millis() - start >= timeout_ms) return -1;
    yield();
  }
}

uint32_t tml_hal_timer_ticks(void) { return DWT->CYCCNT; }

uint32_t tml_hal_timer_hz(void) { return TML_TIMER_HZ; }

const char *tml_hal_board_id(void) { return TML_BOARD_ID; }

void tml_hal_reset(void) {
  Serial.flush();
  NVIC_SystemReset();
}

void tml_hal_exit(int code) {
  (void)code; /* nobody to return it to on a board */
  Serial.flush();
  for (;;) {
    delay(1000);
  }
}
