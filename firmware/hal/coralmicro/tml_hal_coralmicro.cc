/*
 * tml_hal_coralmicro.cc — tml_hal.h for the Coral Dev Board Micro's
 * Cortex-M7 (i.MX RT1176) under coralmicro's FreeRTOS.
 *
 * Serial: coralmicro's USB CDC console (ConsoleM7), the same port printf
 * uses, which the SDK's main() has set up before app_main() runs.
 * Timer: the Cortex-M7 DWT cycle counter at the 800 MHz core clock. The
 * registers are addressed directly so the HAL needs no NXP device header.
 * Microphone: the board's PDM microphone through coralmicro's AudioDriver,
 * which runs the PDM decimator into a ring of DMA buffers and calls back
 * from the DMA interrupt as each fills. The callback converts the block to
 * int16 and appends it to a FreeRTOS stream buffer, which the app drains
 * with a blocking, timed receive. (AudioReader's FillBuffer waits a fixed
 * two DMA buffers into its own int32 ring; AudioService adds a task on top.)
 */
#include <cstddef>
#include <cstdint>

#include "libs/audio/audio_driver.h"
#include "libs/base/console_m7.h"
#include "libs/base/reset.h"
#include "third_party/freertos_kernel/include/FreeRTOS.h"
#include "third_party/freertos_kernel/include/stream_buffer.h"
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

// Four 10 ms DMA buffers: the callback empties each at once, so the DMA ring
// only has to cover the interrupt latency; the stream buffer holds the rest.
constexpr auto kMicRate = coralmicro::AudioSampleRate::k16000_Hz;
constexpr size_t kMicDmaBuffers = 4;
constexpr size_t kMicDmaBufferMs = 10;
constexpr size_t kMicDmaBufferSamples = kMicDmaBufferMs * 16;  // at 16 kHz
// 4096 samples, 256 ms: what the app may fall behind before samples drop.
constexpr size_t kMicRingSamples = 4096;
// The PDM filter's start-up transient (coralmicro's own examples drop 150 ms).
constexpr size_t kMicSettleSamples = 150 * 16;

coralmicro::AudioDriverBuffers<kMicDmaBuffers, kMicDmaBuffers * kMicDmaBufferSamples> g_mic_dma;
coralmicro::AudioDriver g_mic_driver(g_mic_dma);
StreamBufferHandle_t g_mic_ring = nullptr;
volatile bool g_mic_overrun = false;
size_t g_mic_settle = 0;                    // ISR-only once capture runs
int16_t g_mic_block[kMicDmaBufferSamples];  // ISR-only

// DMA interrupt, every 10 ms. The driver's int32 samples hold the PDM
// filter's 24 bits left-aligned (NXP's PDM_ReadFifo shifts DATACH right by 8
// for 24-bit data), so >> 16 keeps the top 16 bits, as coralmicro's
// micro_speech, classify_speech and audio_streaming examples do.
void mic_on_dma(void*, const int32_t* dma, size_t n) {
  if (g_mic_settle > 0) {
    const size_t skip = n < g_mic_settle ? n : g_mic_settle;
    g_mic_settle -= skip;
    dma += skip;
    n -= skip;
  }
  if (n > kMicDmaBufferSamples) n = kMicDmaBufferSamples;
  if (n == 0) return;
  for (size_t i = 0; i < n; ++i) g_mic_block[i] = static_cast<int16_t>(dma[i] >> 16);
  BaseType_t woken = pdFALSE;
  // Writes what fits; anything short of n is dropped audio.
  if (xStreamBufferSendFromISR(g_mic_ring, g_mic_block, n * sizeof(int16_t), &woken) != n * sizeof(int16_t)) {
    g_mic_overrun = true;
  }
  portYIELD_FROM_ISR(woken);
}

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

// The Dev Board Micro has no pin tinyml knows to be wired to an energy monitor (see tml_hal.h).
extern "C" void tml_hal_timestamp(void) {}

extern "C" void tml_hal_reset(void) {
  vTaskDelay(pdMS_TO_TICKS(50));  // let the USB task send the last reply
  coralmicro::ResetToFlash();
  for (;;) vTaskSuspend(nullptr);
}

extern "C" void tml_hal_exit(int code) {
  (void)code;  // nobody to return it to on a board
  for (;;) vTaskSuspend(nullptr);
}

extern "C" int tml_hal_mic_start(void) {
#ifdef TML_MIC_NONE
  return TML_HAL_MIC_NONE; /* the board file says it has no microphone */
#endif
  if (g_mic_ring != nullptr) return 0;
  // Created with the size in bytes, every send and receive a whole number of
  // samples: the ring never holds half a sample. Trigger at one sample so a
  // blocked read wakes on the first block.
  g_mic_ring = xStreamBufferCreate(kMicRingSamples * sizeof(int16_t), sizeof(int16_t));
  if (g_mic_ring == nullptr) return TML_HAL_MIC_NONE;
  g_mic_overrun = false;
  g_mic_settle = kMicSettleSamples;
  // Enable powers the mic rail (through the PMIC task) and starts the DMA.
  const coralmicro::AudioDriverConfig config(kMicRate, kMicDmaBuffers, kMicDmaBufferMs);
  if (!g_mic_driver.Enable(config, nullptr, mic_on_dma)) {
    // g_mic_dma fits this config, so Enable failed after setting the PDM
    // up (never in its buffer checks): Disable is safe and powers the mic off.
    g_mic_driver.Disable();
    vStreamBufferDelete(g_mic_ring);
    g_mic_ring = nullptr;
    return TML_HAL_MIC_NONE;
  }
  return 0;
}

extern "C" int tml_hal_mic_read(int16_t* samples, size_t max, uint32_t timeout_ms) {
  if (g_mic_ring == nullptr) return TML_HAL_MIC_NONE;
  if (g_mic_overrun) {
    // Restart on live audio: what is buffered predates the gap. The reset
    // runs in a critical section that masks the DMA interrupt, and only this
    // task ever blocks on the ring, so it cannot fail. Reset first, then
    // clear: a block dropped just before the reset must not report twice.
    xStreamBufferReset(g_mic_ring);
    g_mic_overrun = false;
    return TML_HAL_MIC_OVERRUN;
  }
  if (max > kMicRingSamples) max = kMicRingSamples;
  const size_t bytes = xStreamBufferReceive(g_mic_ring, samples, max * sizeof(int16_t), pdMS_TO_TICKS(timeout_ms));
  return static_cast<int>(bytes / sizeof(int16_t));
}
