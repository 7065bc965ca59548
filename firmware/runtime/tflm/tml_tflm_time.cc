/*
 * TFLM's clock on boards tinyml links itself: the board's HAL timer (the
 * one latency is measured with), instead of TFLM's micro_time.cc, which
 * reads clock() (TF_LITE_USE_CTIME) or, on cortex_m_generic, the DWT cycle
 * counter through a CMSIS device header (QEMU's M-profile machines have no
 * DWT, and no TFLM tree carries the header).
 */
#include <cstdint>

#include "tensorflow/lite/micro/micro_time.h"

#include "tml_hal.h"

namespace tflite {

uint32_t ticks_per_second() { return tml_hal_timer_hz(); }

uint32_t GetCurrentTimeTicks() { return tml_hal_timer_ticks(); }

}  // namespace tflite
