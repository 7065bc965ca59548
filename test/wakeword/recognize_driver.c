/*
 * Test driver for firmware/runtime/tml_recognize.c: reads
 *   window_ms threshold suppression_ms minimum_count category_count
 * then lines of "time_ms s0 s1 ..." on stdin, and prints one line
 * "index score is_new" (or "error <status>") per result, so the vitest
 * test can compare it with src/wakeword/smoothing.ts on the same input.
 */
#include <stdio.h>

#include "tml_recognize.h"

int main(void) {
  tml_recognize_config_t config;
  tml_recognize_t r;
  int window, threshold, suppression, minimum, n, i;
  long t;
  tml_recognize_status_t st;

  if (scanf("%d %d %d %d %d", &window, &threshold, &suppression, &minimum, &n) != 5) return 2;
  config.average_window_ms = window;
  config.detection_threshold = (uint8_t)threshold;
  config.suppression_ms = suppression;
  config.minimum_count = minimum;
  st = tml_recognize_init(&r, &config, n);
  if (st != TML_RECOGNIZE_OK) {
    printf("init error %d\n", (int)st);
    return 1;
  }
  while (scanf("%ld", &t) == 1) {
    int8_t scores[TML_RECOGNIZE_MAX_CATEGORIES];
    tml_recognize_result_t out;
    for (i = 0; i < n; ++i) {
      int v;
      if (scanf("%d", &v) != 1) return 2;
      scores[i] = (int8_t)v;
    }
    st = tml_recognize_process(&r, scores, (int32_t)t, &out);
    if (st != TML_RECOGNIZE_OK) {
      printf("error %d\n", (int)st);
    } else {
      printf("%d %d %d\n", out.index, (int)out.score, out.is_new_command ? 1 : 0);
    }
  }
  return 0;
}
