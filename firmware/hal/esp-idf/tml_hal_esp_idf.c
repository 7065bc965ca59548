/*
 * tml_hal_esp_idf.c — tml_hal.h for ESP32 and ESP32-S3 under ESP-IDF 5.
 *
 * Serial: UART0 through the IDF UART driver (the port the DevKits' USB-UART
 * bridge is wired to). The driver's RX ring buffer fills from the UART
 * interrupt while an inference runs, so no byte is lost to a busy CPU.
 * Timer: the CPU's CCOUNT cycle counter, which is per core; app_main runs
 * in the main task, pinned to CPU 0, so reads never mix two counters.
 */
#include <stdint.h>

#include "driver/uart.h"
#include "esp_cpu.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

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

void tml_hal_reset(void) {
  uart_wait_tx_done(TML_UART, pdMS_TO_TICKS(100));
  esp_restart();
}

void tml_hal_exit(int code) {
  (void)code; /* nobody to return it to on a board */
  uart_wait_tx_done(TML_UART, pdMS_TO_TICKS(100));
  for (;;) vTaskDelay(portMAX_DELAY);
}
