/*
 * tml_hal_arduino.cpp — tml_hal.h for the Arduino Nano 33 BLE (Sense), an
 * nRF52840 Cortex-M4F on the arduino:mbed_nano core.
 *
 * Serial: `Serial`, the board's native USB CDC port (there is no USB-UART
 * bridge), buffered by mbed's USB stack while an inference runs.
 * Timer: the Cortex-M DWT cycle counter at the 64 MHz core clock, which
 * micros() (1 µs, and a 32-bit wrap after 71 minutes) cannot match for
 * per-op profiles.
 * Microphone: the Sense's on-board PDM microphone (MP34DT05; MP34DT06 on
 * Rev2) through the core's PDM library, whose nRF52840 PDM peripheral
 * decimates to 16 kHz int16 by DMA. Its callback runs in the PDM interrupt
 * and copies each 16 ms block into the HAL's ring, so capture goes on while
 * an inference runs. The plain Nano 33 BLE has no microphone.
 */
#include <Arduino.h>
#include <PDM.h>

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
/* The PDM library's gain (0..80 in 0.5 dB steps from -20 dB, so 20 is
 * -10 dB): its own default and what TFLM's micro_speech example uses on
 * this board. */
#ifndef TML_MIC_GAIN
#define TML_MIC_GAIN 20
#endif

/* Bytes per PDM DMA block: 256 samples, 16 ms; a callback every 16 ms. */
#define TML_MIC_BLOCK_BYTES 512
/* 4096 samples (256 ms, 8 KB): a power of two so free-running indices wrap cleanly. */
#define TML_MIC_RING 4096u

namespace {

/* Single producer (the PDM ISR writes head), single consumer (the app
 * writes tail): each index has one writer, so no lock is needed. */
int16_t mic_ring[TML_MIC_RING];
volatile uint32_t mic_head;
volatile uint32_t mic_tail;
volatile bool mic_overrun;
bool mic_running;
int16_t mic_block[TML_MIC_BLOCK_BYTES / 2]; /* ISR-only: not on the small ISR stack */

/* PDM interrupt: copies only. The block must always be read out:
 * the library stops the PDM for good if a block is still unread when the
 * next one completes. */
void mic_on_pdm() {
  int bytes = PDM.available();
  if (bytes > (int)sizeof mic_block) bytes = (int)sizeof mic_block;
  PDM.read(mic_block, (size_t)bytes);
  const uint32_t n = (uint32_t)bytes / 2u;
  const uint32_t head = mic_head;
  if (n > TML_MIC_RING - (head - mic_tail)) {
    mic_overrun = true; /* the app fell behind: drop this block */
    return;
  }
  for (uint32_t i = 0; i < n; ++i) mic_ring[(head + i) & (TML_MIC_RING - 1u)] = mic_block[i];
  __DMB(); /* the samples are in the ring before the reader can see the new head */
  mic_head = head + n;
}

}  // namespace

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

/* The reference submissions wire the energy monitor's timestamp input to D7. */
#ifndef TML_TIMESTAMP_PIN
#define TML_TIMESTAMP_PIN D7
#endif

void tml_hal_timestamp(void) {
  static bool ready;
  if (!ready) {
    pinMode(TML_TIMESTAMP_PIN, OUTPUT);
    ready = true;
  }
  digitalWrite(TML_TIMESTAMP_PIN, LOW);
  delayMicroseconds(10);
  digitalWrite(TML_TIMESTAMP_PIN, HIGH);
}

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

int tml_hal_mic_start(void) {
#ifdef TML_MIC_NONE
  return TML_HAL_MIC_NONE; /* the board file says it has no microphone */
#endif
  if (mic_running) return 0;
  mic_head = 0;
  mic_tail = 0;
  mic_overrun = false;
  PDM.onReceive(mic_on_pdm);
  PDM.setBufferSize(TML_MIC_BLOCK_BYTES);
  PDM.setGain(TML_MIC_GAIN); /* kept, and applied by begin() */
  if (!PDM.begin(1, 16000)) return TML_HAL_MIC_NONE;
  mic_running = true;
  return 0;
}

int tml_hal_mic_read(int16_t *samples, size_t max, uint32_t timeout_ms) {
  if (!mic_running) return TML_HAL_MIC_NONE;
  if (mic_overrun) {
    /* Restart on live audio: what is buffered predates the gap. Empty first,
     * then clear: a block dropped just before the emptying must not report
     * a second overrun. */
    mic_tail = mic_head;
    mic_overrun = false;
    return TML_HAL_MIC_OVERRUN;
  }
  const unsigned long start = millis();
  while (mic_head == mic_tail) {
    if (millis() - start >= timeout_ms) return 0;
    yield();
  }
  const uint32_t head = mic_head;
  __DMB(); /* read head before the samples it covers */
  uint32_t tail = mic_tail;
  uint32_t n = head - tail;
  if (n > max) n = (uint32_t)max;
  for (uint32_t i = 0; i < n; ++i) samples[i] = mic_ring[(tail + i) & (TML_MIC_RING - 1u)];
  __DMB(); /* done copying before the ISR may reuse the slots */
  mic_tail = tail + n;
  return (int)n;
}
