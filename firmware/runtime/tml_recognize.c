/*
 * tml_recognize.c — RecognizeCommands::ProcessLatestResults in C99.
 * See tml_recognize.h; every step below names the TFLM statement it mirrors.
 */
#include "tml_recognize.h"

#include <stddef.h>

void tml_recognize_default_config(tml_recognize_config_t *config) {
  if (config == NULL) return;
  config->average_window_ms = 1000;
  config->detection_threshold = 200;
  config->suppression_ms = 1500;
  config->minimum_count = 3;
}

tml_recognize_status_t tml_recognize_init(tml_recognize_t *r, const tml_recognize_config_t *config,
                                          int category_count) {
  int i, k;
  if (r == NULL || config == NULL) return TML_RECOGNIZE_ERR_NULL_POINTER;
  /* minimum_count 0 would divide by an empty queue's size. */
  if (category_count < 1 || category_count > TML_RECOGNIZE_MAX_CATEGORIES || config->average_window_ms < 0 ||
      config->suppression_ms < 0 || config->minimum_count < 1) {
    return TML_RECOGNIZE_ERR_BAD_PARAM;
  }
  r->config = *config;
  r->category_count = category_count;
  for (i = 0; i < TML_RECOGNIZE_MAX_RESULTS; ++i) {
    r->results[i].time_ms = 0;
    for (k = 0; k < TML_RECOGNIZE_MAX_CATEGORIES; ++k) r->results[i].scores[k] = 0;
  }
  r->front = 0;
  r->size = 0;
  r->previous_top_index = 0; /* previous_top_label_ = "silence" */
  r->previous_top_time_ms = INT32_MIN;
  return TML_RECOGNIZE_OK;
}

/* PreviousResultsQueue::from_front(offset). */
static tml_recognize_entry_t *from_front(tml_recognize_t *r, int offset) {
  int index = r->front + offset;
  if (index >= TML_RECOGNIZE_MAX_RESULTS) index -= TML_RECOGNIZE_MAX_RESULTS;
  return &r->results[index];
}

tml_recognize_status_t tml_recognize_process(tml_recognize_t *r, const int8_t *scores, int32_t time_ms,
                                             tml_recognize_result_t *out) {
  int32_t average[TML_RECOGNIZE_MAX_CATEGORIES];
  int64_t time_limit, how_many, earliest, time_since_last_top;
  int32_t top_score = 0;
  int top_index = 0;
  int i, k;
  const int n = r == NULL ? 0 : r->category_count;

  if (r == NULL || scores == NULL || out == NULL) return TML_RECOGNIZE_ERR_NULL_POINTER;
  /* "Results must be fed in increasing time order" (checked against the oldest). */
  if (r->size > 0 && time_ms < r->results[r->front].time_ms) return TML_RECOGNIZE_ERR_TIME_ORDER;

  /* push_back: silently drops the newest result when the queue is full. */
  if (r->size < TML_RECOGNIZE_MAX_RESULTS) {
    tml_recognize_entry_t *slot;
    r->size += 1;
    slot = from_front(r, r->size - 1);
    slot->time_ms = time_ms;
    for (i = 0; i < n; ++i) slot->scores[i] = scores[i];
  }

  /* Prune results older than the averaging window. */
  time_limit = (int64_t)time_ms - r->config.average_window_ms;
  while (r->size > 0 && r->results[r->front].time_ms < time_limit) {
    r->front += 1;
    if (r->front >= TML_RECOGNIZE_MAX_RESULTS) r->front = 0;
    r->size -= 1;
  }

  /* Too few results, or too short a span: unreliable, report the previous top with score 0. */
  how_many = r->size;
  earliest = r->results[r->front].time_ms;
  if (how_many < r->config.minimum_count || ((int64_t)time_ms - earliest) < (r->config.average_window_ms / 4)) {
    out->index = r->previous_top_index;
    out->score = 0;
    out->is_new_command = false;
    return TML_RECOGNIZE_OK;
  }

  for (k = 0; k < r->size; ++k) {
    const int8_t *s = from_front(r, k)->scores;
    for (i = 0; i < n; ++i) average[i] = (k == 0 ? 0 : average[i]) + s[i] + 128;
  }
  for (i = 0; i < n; ++i) average[i] = (int32_t)(average[i] / how_many);

  for (i = 0; i < n; ++i) {
    if (average[i] > top_score) {
      top_score = average[i];
      top_index = i;
    }
  }

  /* Suppress a repeat of the previous top category within suppression_ms. */
  if (r->previous_top_index == 0 || r->previous_top_time_ms == INT32_MIN) {
    time_since_last_top = INT32_MAX;
  } else {
    time_since_last_top = (int64_t)time_ms - r->previous_top_time_ms;
  }
  if (top_score > r->config.detection_threshold &&
      (top_index != r->previous_top_index || time_since_last_top > r->config.suppression_ms)) {
    r->previous_top_index = top_index;
    r->previous_top_time_ms = time_ms;
    out->is_new_command = true;
  } else {
    out->is_new_command = false;
  }
  out->index = top_index;
  out->score = (uint8_t)top_score;
  return TML_RECOGNIZE_OK;
}
