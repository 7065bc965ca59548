/*
 * tml_hal_coralmicro.cc — tml_hal.h for the Coral Dev Board Micro's
 * Cortex-M7 (i.MX RT1176) under coralmicro's FreeRTOS.
 *
 * Serial: coralmicro's USB CDC console (ConsoleM7), the same port printf
 * uses, which the SDK's main() has set up before app_main() runs.
 * Timer: the Cortex-M7 DWT cycle counter at the 800 MHz core clock. The
 * registers are addressed directly so the HAL needs no NXP device header.
 */
#include <cstddef>
#include <cstdint>

#include "libs/base/console_m7.h"
#include "libs/base/reset.h"
#include "third_party/freertos_kernel/include/FreeRTOS.h"
#include "third_party/freertos_kernel/include/task.h"

#include "tml_hal.h"

#ifndef TML_BOARD_ID
#error "TML_BOARD_ID must name the board, e.g. -DTML_BOARD_ID=\"coralmicro\""
#endif
#ifndef TML_TIMER_HZ
#define TML_TIMER_HZ 800000000u
#endif

namespace {

volatile uint32_t& reg(uintptr_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }

constexpr uintptr_t kDemcr = 0xE000EDFCu;      // CoreDebug->DEMCR
constexpr uint32_t kDemcrTrcena = 1u << 24;
constexpr uintptr_t kDwtCtrl = 0xE0001000u;    // DWT->CTRL
constexpr uint32_t kDwtCyccntena = 1u << 0;
constexpr uintptr_t kDwtCyccnt = 0xE0001004u;  // DWT->CYCCNT
constexpr uintptr_t kDwtLar = 0xE0001FB0u;     // DWT->LAR: the M7 ignores DWT writes until unlocked
constexpr uint32_t kLarKey = 0xC5ACCE55u;

coralmicro::ConsoleM7* console() { return coralmicro::ConsoleM7::GetSingleton(); }

}  // namespace

extern "C" void tml_hal_init(void) {
  reg(kDemcr) |= kDemcrTrcena;
  reg(kDwtLar) = kLarKey;
  reg(kDwtCyccnt) = 0;
  reg(kDwtCtrl) |= kDwtCyccntena;
}

extern "C" void tml_hal_serial_write(const uint8_t* data, size_t n) {
  // ConsoleM7::Write takes a mutable char* and an int length.
  char* bytes = reinterpret_cast<char*>(const_cast<uint8_t*>(data));
  while (n > 0) {
    const int chunk = n > 4096 ? 4096 : static_cast<int>(n);
    console()->Write(bytes, chunk);
    bytes += chunk;
    n -= static_cast<size_t>(chunk);
  }
}

extern "C" int tml_hal_serial_read_byte(uint32_t timeout_ms) {
  const TickType_t start = xTaskGetTickCount();
  const TickType_t limit = pdMS_TO_TICKS(timeout_ms);
  for (;;) {
    char c;
    // Read() drains the console's RX buffer without blocking.
    if (console()->Read(&c, 1) == 1) return static_cast<uint8_t>(c);
    if (xTaskGetTickCount() - start >= limit) return -1;
    vTaskDelay(1);  // lets the USB task fill the buffer
  }
}

extern "C" uint32_t tml_hal_timer_ticks(void) { return reg(kDwtCyccnt); }

extern "C" uint32_t tml_hal_timer_hz(void) { return TML_TIMER_HZ; }

extern "C" const char* tml_hal_board_id(void) { return TML_BOARD_ID; }

extern "C" void tml_hal_reset(void) {
  vTaskDelay(pdMS_TO_TICKS(50));  // let the USB task send the last reply
  coralmicro::ResetToFlash();
  for (;;) vTaskSuspend(nullptr);
}

extern "C" void tml_hal_exit(int code) {
  (void)code;  // nobody to return it to on a board
  for (;;) vTaskSuspend(nullptr);
}
