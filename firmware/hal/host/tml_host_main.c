/*
 * tml_host_main.c — the host board's harness: a native process that runs a
 * generated model (AOT or TFLM, through tml_model.h) on tensor files.
 *
 *   model [-n REPEAT] -o OUTDIR IN0.bin [IN1.bin ...]
 *
 * Each INi.bin holds input i's raw little-endian bytes (exactly its size).
 * Output i is written to OUTDIR/i.bin (OUTDIR is created if missing).
 * Streaming: K > 1 sets of input files (K x inputs, set k = files
 * k*n .. k*n+n-1) run in sequence on the one initialized model, so op state
 * (e.g. the audio frontend's noise estimate) carries from set to set; each
 * set runs REPEAT invokes and its outputs go to OUTDIR/i.k.bin. One JSON line on stdout reports the
 * model hash, the arena and every invoke's wall time in nanoseconds
 * (CLOCK_MONOTONIC). Exit status: 0 ok, 2 usage or file error, 3 the model
 * failed (init or a kernel status).
 *
 * The memory plan reuses an input's bytes once the input is consumed (as
 * TFLM does), so the inputs are kept aside and copied in before every
 * invoke, outside the timed region.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <sys/stat.h>

#include "tml_model.h"

#define TML_HOST_MAX_REPEAT 100000L

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + (long long)ts.tv_nsec;
}

static int usage(const char *argv0) {
  fprintf(stderr, "usage: %s [-n REPEAT] -o OUTDIR IN0.bin [IN1.bin ...]\n", argv0);
  return 2;
}

static int read_input(const char *path, size_t i, unsigned char *dst) {
  const tml_tensor_info *info = tml_model_input_info(i);
  FILE *f = fopen(path, "rb");
  size_t got;
  int extra;
  if (!f) {
    fprintf(stderr, "error: cannot open input %lu '%s'\n", (unsigned long)i, path);
    return 2;
  }
  got = fread(dst, 1, info->bytes, f);
  extra = fgetc(f);
  fclose(f);
  if (got != info->bytes || extra != EOF) {
    fprintf(stderr, "error: input %lu '%s' must be exactly %lu bytes (tensor '%s')\n", (unsigned long)i, path,
            (unsigned long)info->bytes, info->name);
    return 2;
  }
  return 0;
}

/* Output i to DIR/i.bin, or DIR/i.SET.bin when `set` >= 0 (streamed input sets). */
static int write_output(const char *dir, size_t i, long set) {
  const tml_tensor_info *info = tml_model_output_info(i);
  char path[4096];
  FILE *f;
  size_t put;
  int len = set < 0 ? snprintf(path, sizeof path, "%s/%lu.bin", dir, (unsigned long)i)
                     : snprintf(path, sizeof path, "%s/%lu.%ld.bin", dir, (unsigned long)i, set);
  if (len < 0 || len >= (int)sizeof path) {
    fprintf(stderr, "error: output directory path too long\n");
    return 2;
  }
  f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "error: cannot write '%s'\n", path);
    return 2;
  }
  put = fwrite(tml_model_output(i), 1, info->bytes, f);
  if (fclose(f) != 0 || put != info->bytes) {
    fprintf(stderr, "error: cannot write '%s'\n", path);
    return 2;
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *out_dir = NULL;
  long repeat = 1, r, sets, set, t;
  int a, first_input = -1, rc;
  size_t i, n_in;
  long long t0, *times;
  unsigned char *saved[16];

  for (a = 1; a < argc; ++a) {
    if (strcmp(argv[a], "-o") == 0 && a + 1 < argc) {
      out_dir = argv[++a];
    } else if (strcmp(argv[a], "-n") == 0 && a + 1 < argc) {
      repeat = strtol(argv[++a], NULL, 10);
      if (repeat < 1 || repeat > TML_HOST_MAX_REPEAT) return usage(argv[0]);
    } else if (argv[a][0] == '-') {
      return usage(argv[0]);
    } else {
      first_input = a;
      break;
    }
  }
  if (!out_dir || first_input < 0) return usage(argv[0]);
  if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "error: cannot create output directory '%s'\n", out_dir);
    return 2;
  }
  if (tml_model_init() != 0) {
    fprintf(stderr, "error: model init failed\n");
    return 3;
  }
  n_in = tml_model_input_count();
  if (n_in == 0 || (size_t)(argc - first_input) % n_in != 0) {
    fprintf(stderr, "error: the model has %lu input(s), %d file(s) given (give one file per input, or K sets of them)\n",
            (unsigned long)n_in, argc - first_input);
    return 2;
  }
  sets = (long)((size_t)(argc - first_input) / n_in);
  if (sets > TML_HOST_MAX_REPEAT || repeat > TML_HOST_MAX_REPEAT / sets) return usage(argv[0]);
  if (n_in > sizeof saved / sizeof saved[0]) {
    fprintf(stderr, "error: the harness handles at most 16 inputs\n");
    return 2;
  }
  for (i = 0; i < n_in; ++i) {
    saved[i] = (unsigned char *)malloc(tml_model_input_info(i)->bytes + 1u);
    if (!saved[i]) return 3;
  }
  times = (long long *)malloc((size_t)(repeat * sets) * sizeof *times);
  if (!times) return 3;
  for (set = 0, t = 0; set < sets; ++set) {
    for (i = 0; i < n_in; ++i) {
      rc = read_input(argv[first_input + (int)(set * (long)n_in) + (int)i], i, saved[i]);
      if (rc != 0) {
        free(times);
        return rc;
      }
    }
    for (r = 0; r < repeat; ++r, ++t) {
      for (i = 0; i < n_in; ++i) memcpy(tml_model_input(i), saved[i], tml_model_input_info(i)->bytes);
      t0 = now_ns();
      rc = tml_model_invoke();
      times[t] = now_ns() - t0;
      if (rc != 0) {
        fprintf(stderr, "error: invoke failed with status %d at op %ld\n", rc, (long)tml_model_failed_op());
        free(times);
        return 3;
      }
    }
    for (i = 0; i < tml_model_output_count(); ++i) {
      rc = write_output(out_dir, i, sets > 1 ? set : -1);
      if (rc != 0) {
        free(times);
        return rc;
      }
    }
  }
  printf("{\"model_sha256\":\"%s\",\"arena_bytes\":%lu,\"invoke_ns\":[", tml_model_sha256(),
         (unsigned long)tml_model_arena_used());
  for (t = 0; t < repeat * sets; ++t) printf("%s%lld", t ? "," : "", times[t]);
  printf("]}\n");
  for (i = 0; i < n_in; ++i) free(saved[i]);
  free(times);
  return 0;
}
