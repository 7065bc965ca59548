/*
 * tml_model.h — the API every generated model offers its application, the
 * same for the ahead-of-time runtime (generated model.c) and the TFLM
 * runtime (generated tml_model_tflm.cc), so one harness or app serves both.
 *
 * Call tml_model_init() once, write the input tensors through
 * tml_model_input(i), call tml_model_invoke(), read tml_model_output(i).
 * Buffers are the model's own (inside its arena): no copies, no malloc.
 */
#ifndef TML_MODEL_H
#define TML_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TML_MODEL_MAX_DIMS 6

/** A model input or output: what the bytes at tml_model_input/output(i) mean. */
typedef struct {
  const char *name;
  int32_t type; /* TFLite TensorType code: 0 float32, 9 int8, 7 int16, 2 int32, 3 uint8, ... */
  int32_t rank;
  int32_t dims[TML_MODEL_MAX_DIMS];
  float scale;        /* 0 when not quantized */
  int32_t zero_point;
  uint32_t bytes;
} tml_tensor_info;

/** 0 on success; nonzero when the runtime cannot set the model up. */
int tml_model_init(void);
size_t tml_model_input_count(void);
size_t tml_model_output_count(void);
/** NULL when i is out of range. */
void *tml_model_input(size_t i);
void *tml_model_output(size_t i);
const tml_tensor_info *tml_model_input_info(size_t i);
const tml_tensor_info *tml_model_output_info(size_t i);
/** 0 on success; otherwise a kernel status, and tml_model_failed_op() names the op. */
int tml_model_invoke(void);
/** A free-running tick counter (the board's tml_hal_timer_ticks). */
typedef uint32_t (*tml_ticks_fn)(void);
/**
 * One invoke that also stores each op's elapsed ticks, read from now(), in
 * ticks[0..max), in execution order (ticks[k] is op k). Returns how many ops
 * finished (at most max): all of them, or fewer when an op failed.
 */
size_t tml_model_invoke_timed(uint32_t *ticks, size_t max, tml_ticks_fn now);
int32_t tml_model_failed_op(void);
/** SHA-256 (hex) of the model file the code was generated from. */
const char *tml_model_sha256(void);
/** Arena bytes the runtime reserved (AOT: the plan; TFLM: after AllocateTensors, bytes used). */
size_t tml_model_arena_used(void);

/*
 * For `tinyml test --bisect`, which looks for the first op whose output
 * differs from the host reference.
 *
 * tml_model_invoke_ops(n) runs one invoke that stops after the first n ops
 * (n at least the op count: all of them), so the outputs of op n-1 are live
 * in the arena. 0 on success, else a kernel status as tml_model_invoke().
 * (TFLM runs every op; built with TML_TFLM_PRESERVE_ALL its interpreter keeps
 * every tensor.)
 *
 * tml_model_tensor(i, &bytes) is the model's tensor i as it is now, and its
 * size; NULL when the runtime cannot show it (a constant, an index out of
 * range, or TFLM without TML_TFLM_PRESERVE_ALL).
 */
int tml_model_invoke_ops(size_t n);
const void *tml_model_tensor(size_t index, size_t *bytes);

#ifdef __cplusplus
}
#endif

#endif /* TML_MODEL_H */
