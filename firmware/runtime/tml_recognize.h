/*
 * tml_recognize.h — posterior smoothing for streaming keyword spotting.
 *
 * A C99 port of TensorFlow Lite Micro's micro_speech RecognizeCommands
 * (examples/micro_speech/recognize_commands.{h,cc}, Apache-2.0), kept
 * operation for operation identical to it and to the host reference
 * (src/wakeword/smoothing.ts) so that device and host events are equal:
 * integer averages of the int8 scores shifted to 0..255, a fixed ring of at
 * most TML_RECOGNIZE_MAX_RESULTS results that drops the newest result when
 * full (as PreviousResultsQueue::push_back does), no malloc, no printing.
 */
#ifndef TML_RECOGNIZE_H
#define TML_RECOGNIZE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* PreviousResultsQueue::kMaxResults. */
#ifndef TML_RECOGNIZE_MAX_RESULTS
#define TML_RECOGNIZE_MAX_RESULTS 50
#endif

/* Largest category count a recognizer can hold (micro_speech has 4). */
#ifndef TML_RECOGNIZE_MAX_CATEGORIES
#define TML_RECOGNIZE_MAX_CATEGORIES 12
#endif

typedef enum {
  TML_RECOGNIZE_OK = 0,
  TML_RECOGNIZE_ERR_NULL_POINTER = 1,
  TML_RECOGNIZE_ERR_BAD_PARAM = 2,   /* a setting or the category count is out of range */
  TML_RECOGNIZE_ERR_TIME_ORDER = 3   /* time earlier than the oldest queued result */
} tml_recognize_status_t;

typedef struct {
  int32_t average_window_ms;   /* default 1000 */
  uint8_t detection_threshold; /* default 200, on scores shifted to 0..255 */
  int32_t suppression_ms;      /* default 1500 */
  int32_t minimum_count;       /* default 3; must be >= 1 */
} tml_recognize_config_t;

typedef struct {
  int32_t time_ms;
  int8_t scores[TML_RECOGNIZE_MAX_CATEGORIES];
} tml_recognize_entry_t;

typedef struct {
  tml_recognize_config_t config;
  int category_count;
  tml_recognize_entry_t results[TML_RECOGNIZE_MAX_RESULTS];
  int front;
  int size;
  int previous_top_index;
  int32_t previous_top_time_ms;
} tml_recognize_t;

/* What ProcessLatestResults returns through its out-parameters. */
typedef struct {
  int index;     /* category of found_command */
  uint8_t score; /* 0..255; 0 when there were too few results */
  bool is_new_command;
} tml_recognize_result_t;

/* TFLM's defaults: 1000 ms, 200, 1500 ms, 3. */
void tml_recognize_default_config(tml_recognize_config_t *config);

/* Resets r; category_count in 1..TML_RECOGNIZE_MAX_CATEGORIES. */
tml_recognize_status_t tml_recognize_init(tml_recognize_t *r, const tml_recognize_config_t *config,
                                          int category_count);

/* Feeds one classifier output (int8 scores, category_count of them) taken at time_ms. */
tml_recognize_status_t tml_recognize_process(tml_recognize_t *r, const int8_t *scores, int32_t time_ms,
                                             tml_recognize_result_t *out);

#ifdef __cplusplus
}
#endif

#endif /* TML_RECOGNIZE_H */
