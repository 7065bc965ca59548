/*
 * tml_hal_esp_idf.c — tml_hal.h for ESP32 and ESP32-S3 under ESP-IDF 5.
 *
 * Serial: UART0 through the IDF UART driver (the port the DevKits' USB-UART
 * bridge is wired to). The driver's RX ring buffer fills from the UART
 * interrupt while an inference runs, so no byte is lost to a busy CPU.
 * Timer: the CPU's CCOUNT cycle counter, which is per core; app_main runs
 * in the main task, pinned to CPU 0, so reads never mix two counters.
 * Microphone: the DevKits have none, so the HAL expects the usual breakout,
 * an INMP441-style I2S MEMS microphone (24-bit Philips I2S in 32-bit slots,
 * L/R tied to GND so it talks in the left slot) on the new I2S driver
 * (driver/i2s_std.h). The driver's DMA buffers are the ring: they fill from
 * the I2S interrupt while the app computes, and when the app falls behind
 * the driver drops the oldest buffer and reports it through on_recv_q_ovf.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "driver/gpio.h"
#include "driver/i2s_std.h"
#include "esp_rom_sys.h"
#include "driver/uart.h"
#include "esp_attr.h"
#include "esp_cpu.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "sdkconfig.h"

#include "tml_hal.h"

#ifndef TML_BOARD_ID
#error "TML_BOARD_ID must name the board, e.g. -DTML_BOARD_ID=\"esp32\""
#endif
#ifndef TML_UART_BAUD
#define TML_UART_BAUD 115200u
#endif
/* CCOUNT counts CPU cycles; sdkconfig.defaults fixes the CPU clock. */
#ifndef TML_TIMER_HZ
#define TML_TIMER_HZ ((uint32_t)CONFIG_ESP_DEFAULT_CPU_FREQ_MHZ * 1000000u)
#endif
/* Holds a protocol frame or two while the app computes. */
#ifndef TML_UART_RX_BUFFER
#define TML_UART_RX_BUFFER 4096
#endif

#define TML_UART UART_NUM_0

/* Microphone pins: free GPIOs on the DevKit headers, away from the strapping
 * pins, the flash/PSRAM pins and UART0. The ESP32 set is a common INMP441
 * wiring; on the S3, GPIO 25 does not exist and 26..37 carry the flash and
 * (octal) PSRAM, so it uses 4/5/6. Override with -D for other wiring. */
#if CONFIG_IDF_TARGET_ESP32S3
#define TML_MIC_DEFAULT_BCLK 4
#define TML_MIC_DEFAULT_WS 5
#define TML_MIC_DEFAULT_DIN 6
#else
#define TML_MIC_DEFAULT_BCLK 26
#define TML_MIC_DEFAULT_WS 25
#define TML_MIC_DEFAULT_DIN 33
#endif
#ifndef TML_MIC_I2S_BCLK
#define TML_MIC_I2S_BCLK TML_MIC_DEFAULT_BCLK /* the mic's SCK */
#endif
#ifndef TML_MIC_I2S_WS
#define TML_MIC_I2S_WS TML_MIC_DEFAULT_WS /* the mic's WS (LRCL) */
#endif
#ifndef TML_MIC_I2S_DIN
#define TML_MIC_I2S_DIN TML_MIC_DEFAULT_DIN /* the mic's SD (DOUT) */
#endif
/* L/R tied to GND: left. A mic strapped to VDD needs I2S_STD_SLOT_RIGHT. */
#ifndef TML_MIC_I2S_SLOT
#define TML_MIC_I2S_SLOT I2S_STD_SLOT_LEFT
#endif
/* The mic sends its 24 bits at the top of each 32-bit slot, so >> 16 would
 * be exactly its top 16 bits, full scale at 120 dB SPL (-26 dBFS at 94 dB
 * SPL): speech at a metre (~60 dB SPL) would move only a few dozen LSBs.
 * >> 14 gives 12 dB of gain and still clips (saturating) only above
 * ~108 dB SPL, louder than shouting at the board. */
#ifndef TML_MIC_SHIFT
#define TML_MIC_SHIFT 14
#endif
#define TML_MIC_RATE_HZ 16000u
/* 16 ms DMA buffers (1 KB each, under the driver's 4092-byte limit), 10 of
 * them: the app may fall 144 ms (9 queued buffers) behind before the oldest
 * is dropped, above the ~100 ms the HAL promises. */
#define TML_MIC_DMA_FRAMES 256u
#define TML_MIC_DMA_BUFFERS 10u

static i2s_chan_handle_t mic_rx;
/* Set by the I2S ISR when the driver dropped a full buffer nobody read. */
static volatile bool mic_overrun;
/* Raw 32-bit slots on their way out of the DMA buffers. */
static int32_t mic_raw[TML_MIC_DMA_FRAMES];

void tml_hal_init(void) {
  uart_config_t config = {0};
  config.baud_rate = (int)TML_UART_BAUD;
  config.data_bits = UART_DATA_8_BITS;
  config.parity = UART_PARITY_DISABLE;
  config.stop_bits = UART_STOP_BITS_1;
  config.flow_ctrl = UART_HW_FLOWCTRL_DISABLE;
  config.source_clk = UART_SCLK_DEFAULT;
  /* No TX ring buffer: uart_write_bytes then returns once the bytes are in
   * the hardware FIFO, which is the "queued" tml_hal_serial_write promises. */
  ESP_ERROR_CHECK(uart_driver_install(TML_UART, TML_UART_RX_BUFFER, 0, 0, NULL, 0));
  ESP_ERROR_CHECK(uart_param_config(TML_UART, &config));
}

void tml_hal_serial_write(const uint8_t *data, size_t n) {
  while (n > 0) {
    int sent = uart_write_bytes(TML_UART, data, n);
    if (sent <= 0) continue;
    data += sent;
    n -= (size_t)sent;
  }
}

int tml_hal_serial_read_byte(uint32_t timeout_ms) {
  uint8_t c;
  /* Round up: a 1 ms timeout must wait at least one tick, not poll. */
  TickType_t ticks = (TickType_t)((timeout_ms + portTICK_PERIOD_MS - 1u) / portTICK_PERIOD_MS);
  return uart_read_bytes(TML_UART, &c, 1, ticks) == 1 ? (int)c : -1;
}

uint32_t tml_hal_timer_ticks(void) { return (uint32_t)esp_cpu_get_cycle_count(); }

uint32_t tml_hal_timer_hz(void) { return TML_TIMER_HZ; }

const char *tml_hal_board_id(void) { return TML_BOARD_ID; }

/* Which GPIO is wired to the energy monitor differs per carrier board, so there is no default. */
void tml_hal_timestamp(void) {
#ifdef TML_TIMESTAMP_PIN
  static bool ready;
  if (!ready) {
    gpio_reset_pin((gpio_num_t)TML_TIMESTAMP_PIN);
    gpio_set_direction((gpio_num_t)TML_TIMESTAMP_PIN, GPIO_MODE_OUTPUT);
    ready = true;
  }
  gpio_set_level((gpio_num_t)TML_TIMESTAMP_PIN, 0);
  esp_rom_delay_us(10);
  gpio_set_level((gpio_num_t)TML_TIMESTAMP_PIN, 1);
#endif
}

void tml_hal_reset(void) {
  uart_wait_tx_done(TML_UART, pdMS_TO_TICKS(100));
  esp_restart();
}

void tml_hal_exit(int code) {
  (void)code; /* nobody to return it to on a board */
  uart_wait_tx_done(TML_UART, pdMS_TO_TICKS(100));
  for (;;) vTaskDelay(portMAX_DELAY);
}

/* Runs in the I2S ISR; IRAM so it is still callable with CONFIG_I2S_ISR_IRAM_SAFE. */
static bool IRAM_ATTR mic_queue_overflowed(i2s_chan_handle_t handle, i2s_event_data_t *event, void *ctx) {
  (void)handle;
  (void)event;
  (void)ctx;
  mic_overrun = true;
  return false; /* woke no task */
}

int tml_hal_mic_start(void) {
#ifdef TML_MIC_NONE
  return TML_HAL_MIC_NONE; /* the board file says it has no microphone */
#endif
  i2s_chan_config_t chan = I2S_CHANNEL_DEFAULT_CONFIG(I2S_NUM_AUTO, I2S_ROLE_MASTER);
  i2s_std_config_t std = {
      .clk_cfg = I2S_STD_CLK_DEFAULT_CONFIG(TML_MIC_RATE_HZ),
      .slot_cfg = I2S_STD_PHILIPS_SLOT_DEFAULT_CONFIG(I2S_DATA_BIT_WIDTH_32BIT, I2S_SLOT_MODE_MONO),
      .gpio_cfg = {
          .mclk = I2S_GPIO_UNUSED,
          .bclk = (gpio_num_t)TML_MIC_I2S_BCLK,
          .ws = (gpio_num_t)TML_MIC_I2S_WS,
          .dout = I2S_GPIO_UNUSED,
          .din = (gpio_num_t)TML_MIC_I2S_DIN,
      },
  };
  i2s_event_callbacks_t callbacks = {0};
  if (mic_rx != NULL) return 0;
  chan.dma_desc_num = TML_MIC_DMA_BUFFERS;
  chan.dma_frame_num = TML_MIC_DMA_FRAMES;
  std.slot_cfg.slot_mask = TML_MIC_I2S_SLOT;
  callbacks.on_recv_q_ovf = mic_queue_overflowed;
  if (i2s_new_channel(&chan, NULL, &mic_rx) != ESP_OK) {
    mic_rx = NULL;
    return TML_HAL_MIC_NONE;
  }
  /* Callbacks can only be registered before the channel is enabled. */
  if (i2s_channel_init_std_mode(mic_rx, &std) != ESP_OK ||
      i2s_channel_register_event_callback(mic_rx, &callbacks, NULL) != ESP_OK ||
      i2s_channel_enable(mic_rx) != ESP_OK) {
    i2s_del_channel(mic_rx);
    mic_rx = NULL;
    return TML_HAL_MIC_NONE;
  }
  mic_overrun = false;
  return 0;
}

static int16_t mic_to_pcm16(int32_t slot) {
  int32_t s = slot >> TML_MIC_SHIFT; /* arithmetic shift in GCC */
  if (s > INT16_MAX) return INT16_MAX;
  if (s < INT16_MIN) return INT16_MIN;
  return (int16_t)s;
}

int tml_hal_mic_read(int16_t *samples, size_t max, uint32_t timeout_ms) {
  size_t got = 0;
  /* i2s_channel_read takes ms and truncates them to ticks; round up so a
   * short timeout waits a tick rather than polls (as the serial read does). */
  uint32_t wait_ms = (timeout_ms + portTICK_PERIOD_MS - 1u) / portTICK_PERIOD_MS * portTICK_PERIOD_MS;
  if (mic_rx == NULL) return TML_HAL_MIC_NONE;
  if (mic_overrun) {
    /* Drop what is queued too: it is old, and the buffer being read may
     * already be overwritten. The next read starts on live audio. Drain
     * first, then clear: a buffer dropped just before the draining must not
     * report a second overrun. */
    size_t bytes;
    do {
      bytes = 0;
      i2s_channel_read(mic_rx, mic_raw, sizeof mic_raw, &bytes, 0);
    } while (bytes == sizeof mic_raw);
    mic_overrun = false;
    return TML_HAL_MIC_OVERRUN;
  }
  if (max > INT_MAX) max = INT_MAX;
  /* The driver's read keeps waiting until the whole request is filled, so
   * only the first sample waits (for timeout_ms); the rest is what the
   * DMA buffers already hold. */
  while (got < max) {
    size_t want = got == 0 ? 1u : max - got;
    size_t bytes = 0, n, i;
    if (want > TML_MIC_DMA_FRAMES) want = TML_MIC_DMA_FRAMES;
    i2s_channel_read(mic_rx, mic_raw, want * sizeof mic_raw[0], &bytes, got == 0 ? wait_ms : 0u);
    n = bytes / sizeof mic_raw[0];
    for (i = 0; i < n; ++i) samples[got + i] = mic_to_pcm16(mic_raw[i]);
    got += n;
    if (n < want) break; /* timed out, or drained */
  }
  return (int)got;
}
