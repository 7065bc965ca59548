/*
 * tml_eembc.c — the MLPerf Tiny / EEMBC runner's text protocol (`--app
 * eembc`), so the MLCommons benchmark runner can drive tinyml firmware.
 *
 * Host → device: a command ending in '%' (80-char buffer, tokens split on
 * spaces; CR and LF are ignored). Device → host: lines ending "\r\n" —
 * m-… messages, e-[…] errors, and m-ready after every command. Replies match
 * mlcommons/tiny benchmark/api (internally_implemented.cpp).
 *
 * The runner's datasets are the contract, so each benchmark's bytes become
 * the model's input as its reference submission
 * (benchmark/reference_submissions/<x>/submitter_implemented.cpp) makes them,
 * chosen by TML_EEMBC_IO:
 *   INT8       kws01: the bytes are the int8 tensor; scores print as the
 *              reference's "0.%d%d%d" (digits truncated, in float arithmetic)
 *   UINT8      ic01, vww01: uint8 pixels, minus 128, into the int8 tensor;
 *              scores print as printf's "%0.3f"
 *   FLOAT_MSE  ad01: float32 values, quantized with the input's scale and
 *              zero point (round half away from zero, saturated); the one
 *              result is the mean squared error between the input and the
 *              dequantized reconstruction, printed "%0.3f"
 * The `db` bytes land in their own buffer and are converted into the model's
 * input before the warm-up runs (the reference's th_load_tensor), and again
 * before every run, since a memory plan may reuse the input's bytes.
 * TML_EEMBC_ENERGY selects the energy-mode banner and makes `timestamp` a
 * pulse on the board's timestamp pin (tml_hal_timestamp) instead of a line.
 * No printf: many embedded C libraries lack %f, so numbers print by hand.
 */
#include <string.h>

#include "tml_app.h"
#include "tml_hal.h"
#include "tml_model.h"

#ifndef TML_EEMBC_DUT_NAME
#define TML_EEMBC_DUT_NAME "tinyml"
#endif
/* The MLPerf Tiny model id the firmware carries: kws01, vww01, ic01, ad01 or sww01. */
#ifndef TML_EEMBC_MODEL_ID
#define TML_EEMBC_MODEL_ID "tinyml"
#endif
#define TML_EEMBC_IO_INT8 0
#define TML_EEMBC_IO_UINT8 1
#define TML_EEMBC_IO_FLOAT_MSE 2
#ifndef TML_EEMBC_IO
#define TML_EEMBC_IO TML_EEMBC_IO_INT8
#endif
#ifndef TML_EEMBC_ENERGY
#define TML_EEMBC_ENERGY 0
#endif
/* Bytes of one dataset sample: the model input's elements times the dataset's element size. */
#ifndef TML_EEMBC_DB_BYTES
#define TML_EEMBC_DB_BYTES 1024u
#endif
#define TML_EEMBC_FW_VERSION "ULPMark for tinyML Firmware V0.0.1"
#define TML_EEMBC_CMD_SIZE 80u
#define TML_EEMBC_MAX_TOKENS 4u
#define TML_EEMBC_PRINT_PER_LINE 8u
#define TML_EEMBC_READ_WAIT_MS 100u

static char cmd[TML_EEMBC_CMD_SIZE + 1u];
static size_t cmd_len;
static int cmd_overflow;
static size_t db_size, db_pos;
/* Aligned for float: ad01's samples are float32. */
static union {
  uint8_t bytes[TML_EEMBC_DB_BYTES];
  float f32[(TML_EEMBC_DB_BYTES + 3u) / 4u];
} db;
static int have_result;
static float mse_result;
static uint32_t timer_last, timer_high; /* 64-bit timer built from the HAL's 32-bit one */
static char line[128];
static size_t line_len;

/* ---- output: one line buffer, written out whole ---- */

static void flush_line(void) {
  if (line_len > 0) tml_hal_serial_write((const uint8_t *)line, line_len);
  line_len = 0;
}

static void out_char(char c) {
  if (line_len == sizeof line) flush_line();
  line[line_len++] = c;
}

static void out_str(const char *s) {
  while (*s != '\0') out_char(*s++);
}

static void out_end(void) {
  out_str("\r\n");
  flush_line();
}

static void out_u64(uint64_t v) {
  char digits[20];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0 && n < sizeof digits);
  while (n > 0) out_char(digits[--n]);
}

static void out_int(int32_t v) {
  if (v < 0) {
    out_char('-');
    out_u64((uint64_t)(-(int64_t)v));
  } else {
    out_u64((uint64_t)v);
  }
}

static void out_hex2(uint8_t b) {
  static const char hex[] = "0123456789abcdef";
  out_char(hex[b >> 4]);
  out_char(hex[b & 0x0Fu]);
}

/*
 * printf's "%0.3f" of a float: its exact value rounded to 3 decimals, ties to
 * even. v * 1000 is exact in double (24 + 10 significant bits), so this is
 * the correctly rounded decimal printf prints; magnitudes are clamped at
 * 2^53 / 1000.
 */
static void out_printf3(float v) {
  double d;
  uint64_t r;
  if (v != v) {
    out_str("nan");
    return;
  }
  d = (double)v * 1000.0;
  if (d < 0.0) {
    out_char('-');
    d = -d;
  }
  if (d >= 9007199254740991.0) d = 9007199254740991.0;
  r = (uint64_t)d;
  if (d - (double)r > 0.5 || (d - (double)r == 0.5 && (r & 1u) != 0)) ++r;
  out_u64(r / 1000u);
  out_char('.');
  out_char((char)('0' + (int)(r / 100u % 10u)));
  out_char((char)('0' + (int)(r / 10u % 10u)));
  out_char((char)('0' + (int)(r % 10u)));
}

/*
 * The keyword-spotting reference's "0.%d%d%d" of (int)(v*10),
 * (int)(v*100) % 10, (int)(v*1000) % 10, each product in float: exactly
 * what the runner reads from it, digits truncated (v is a softmax score in
 * [0, 1)).
 */
static void out_kws3(float v) {
  volatile float x10 = v * 10.0f, x100 = v * 100.0f, x1000 = v * 1000.0f;
  out_str("0.");
  out_int((int32_t)x10);
  out_int((int32_t)x100 % 10);
  out_int((int32_t)x1000 % 10);
}

static void out_line(const char *a, const char *b, const char *c) {
  out_str(a);
  if (b != NULL) out_str(b);
  if (c != NULL) out_str(c);
  out_end();
}

/* ---- time ---- */

static uint64_t timer_ticks64(void) {
  uint32_t now = tml_hal_timer_ticks();
  if (now < timer_last) ++timer_high;
  timer_last = now;
  return ((uint64_t)timer_high << 32) | now;
}

static void timestamp(void) {
  uint64_t t = timer_ticks64();
  uint32_t hz = tml_hal_timer_hz();
#if TML_EEMBC_ENERGY
  /* The energy monitor times the runs by this pin's falling edges; no line is printed. */
  (void)t;
  (void)hz;
  tml_hal_timestamp();
  return;
#endif
  out_str("m-lap-us-");
  out_u64(hz == 0 ? 0 : (t / hz) * 1000000u + (t % hz) * 1000000u / hz);
  out_end();
}

/* ---- commands ---- */

/* Parses a decimal integer token; returns 0 on success. */
static int parse_long(const char *s, long *out) {
  long v = 0;
  int neg = 0;
  if (*s == '-') {
    neg = 1;
    ++s;
  }
  if (*s == '\0') return -1;
  for (; *s != '\0'; ++s) {
    if (*s < '0' || *s > '9' || v > 100000000L) return -1;
    v = v * 10 + (*s - '0');
  }
  *out = neg ? -v : v;
  return 0;
}

/* Bytes one sample of this benchmark's dataset has: the model input's elements in the dataset's encoding. */
static size_t sample_bytes(void) {
  const tml_tensor_info *info = tml_model_input_info(0);
  if (info == NULL) return 0;
  return TML_EEMBC_IO == TML_EEMBC_IO_FLOAT_MSE ? (size_t)info->bytes * sizeof(float) : (size_t)info->bytes;
}

static size_t db_capacity(void) {
  return sample_bytes() < sizeof db.bytes ? sample_bytes() : sizeof db.bytes;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static void db_load(const char *arg) {
  long n;
  if (arg == NULL) {
    out_line("e-[Command 'db load' requires the # of bytes]", NULL, NULL);
  } else if (parse_long(arg, &n) != 0 || n <= 0) {
    out_line("e-[Command 'db load' must be >0 bytes]", NULL, NULL);
  } else if ((size_t)n > db_capacity()) {
    out_str("e-[Buffer size ");
    out_u64((uint64_t)n);
    out_str(" exceeds maximum of ");
    out_u64(db_capacity());
    out_str("]");
    out_end();
  } else {
    db_size = (size_t)n;
    db_pos = 0;
    out_str("m-[Expecting ");
    out_u64((uint64_t)n);
    out_str(" bytes]");
    out_end();
  }
}

static void db_print(void) {
  size_t i;
  for (i = 0; i < db_size; ++i) {
    if (i % TML_EEMBC_PRINT_PER_LINE == 0) out_str("m-buffer-");
    out_hex2(db.bytes[i]);
    if ((i + 1u) % TML_EEMBC_PRINT_PER_LINE == 0 || i + 1u == db_size) {
      out_end();
    } else {
      out_char('-');
    }
  }
}

static void db_hex(const char *hex) {
  size_t n = strlen(hex), i;
  int hi, lo;
  if (db_size == 0) {
    out_line("e-[Command 'db load' must come first]", NULL, NULL);
    return;
  }
  if (n % 2u != 0) {
    out_line("e-[Insufficient number of hex digits]", NULL, NULL);
    return;
  }
  for (i = 0; i < n && db_pos < db_size; i += 2) {
    hi = hex_value(hex[i]);
    lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      out_str("e-[Invalid hex digit '");
      out_char(hex[i]);
      out_char(hex[i + 1]);
      out_str("']");
      out_end();
      return;
    }
    db.bytes[db_pos++] = (uint8_t)((hi << 4) | lo);
    /* Digits past the announced size are disregarded, as the reference firmware does. */
    if (db_pos == db_size) out_line("m-load-done", NULL, NULL);
  }
}

/* The reference's QuantizeFloatToInt8: round(v / scale) + zero point, saturated; round() is half away from zero. */
static int8_t quantize_s8(float v, float scale, int32_t zero_point) {
  float q = v / scale;
  int32_t r;
  if (!(q > -1.0e6f)) q = -1.0e6f; /* NaN and huge values saturate below */
  if (q > 1.0e6f) q = 1.0e6f;
  r = (int32_t)q; /* truncates toward zero; q - r is exact at these magnitudes */
  if (q - (float)r >= 0.5f) ++r;
  if (q - (float)r <= -0.5f) --r;
  r += zero_point;
  if (r < -128) r = -128;
  if (r > 127) r = 127;
  return (int8_t)r;
}

/* th_load_tensor: the db bytes, converted as the reference does, into the model's input. */
static void load_tensor(void) {
  const tml_tensor_info *info = tml_model_input_info(0);
  int8_t *in = (int8_t *)tml_model_input(0);
  size_t i, n = info->bytes;
  if (TML_EEMBC_IO == TML_EEMBC_IO_FLOAT_MSE) {
    for (i = 0; i < n; ++i) in[i] = quantize_s8(db.f32[i], info->scale, info->zero_point);
  } else if (TML_EEMBC_IO == TML_EEMBC_IO_UINT8) {
    for (i = 0; i < n; ++i) in[i] = (int8_t)(db.bytes[i] - 128);
  } else {
    memcpy(in, db.bytes, n);
  }
}

static float dequantize(const tml_tensor_info *info, const uint8_t *p, size_t i) {
  return (float)((int32_t)(int8_t)p[i] - info->zero_point) * info->scale;
}

/*
 * ad01's score, computed once after the runs as the reference's
 * calculate_result does: the mean over elements of (dequantized output −
 * input)², summed in order in float. Each square is stored before it is
 * added so no compiler fuses the two into one rounding (a fused
 * multiply-add would differ from the host reference in the last bit).
 */
static float mean_squared_error(void) {
  const tml_tensor_info *info = tml_model_output_info(0);
  const uint8_t *p = (const uint8_t *)tml_model_output(0);
  size_t i, n = info->bytes;
  float sum = 0.0f;
  volatile float sq;
  for (i = 0; i < n; ++i) {
    float diff = dequantize(info, p, i) - db.f32[i];
    sq = diff * diff;
    sum += sq;
  }
  return sum / (float)n;
}

static void results(void) {
  const tml_tensor_info *info = tml_model_output_info(0);
  const uint8_t *p = (const uint8_t *)tml_model_output(0);
  size_t n = info == NULL || p == NULL ? 0 : info->bytes, i;
  out_str("m-results-[");
  if (TML_EEMBC_IO == TML_EEMBC_IO_FLOAT_MSE) {
    if (have_result) out_printf3(mse_result);
  } else {
    for (i = 0; i < n && have_result; ++i) {
      if (i > 0) out_char(',');
      if (TML_EEMBC_IO == TML_EEMBC_IO_INT8) {
        out_kws3(dequantize(info, p, i));
      } else {
        out_printf3(dequantize(info, p, i));
      }
    }
  }
  out_str("]");
  out_end();
}

/* One inference on the converted input (restored first: the plan may reuse its bytes). */
static int infer_once(void) {
  int status;
  load_tensor();
  status = tml_model_invoke();
  (void)timer_ticks64(); /* keeps the 64-bit timer's wrap count current on long runs */
  return status;
}

static void infer_failed(int status) {
  out_str("e-[Inference failed: status ");
  out_u64((uint64_t)(status < 0 ? -status : status));
  out_str(" at op ");
  out_u64((uint64_t)(uint32_t)tml_model_failed_op());
  out_str("]");
  out_end();
}

static void infer(const char *n_arg, const char *w_arg) {
  long n = 1, w = 10, k;
  int status = 0;
  if (n_arg != NULL && (parse_long(n_arg, &n) != 0 || n <= 0)) {
    out_line("e-[Inference iterations must be >0]", NULL, NULL);
    return;
  }
  if (w_arg != NULL && (parse_long(w_arg, &w) != 0 || w < 0)) {
    out_line("e-[Inference warmup must be >=0]", NULL, NULL);
    return;
  }
  /* The reference runs on whatever it has; a sample of the wrong size is refused instead. */
  if (db_pos != sample_bytes()) {
    out_str("e-[Input db has ");
    out_u64((uint64_t)db_pos);
    out_str(" bytes, expected ");
    out_u64((uint64_t)sample_bytes());
    out_str("]");
    out_end();
    return;
  }
  have_result = 0;
  out_str("m-warmup-start-");
  out_u64((uint64_t)w);
  out_end();
  for (k = 0; k < w && status == 0; ++k) status = infer_once();
  if (status != 0) {
    infer_failed(status);
    return;
  }
  out_line("m-warmup-done", NULL, NULL);
  out_str("m-infer-start-");
  out_u64((uint64_t)n);
  out_end();
  timestamp();
  for (k = 0; k < n && status == 0; ++k) status = infer_once();
  timestamp();
  if (status != 0) {
    infer_failed(status);
    return;
  }
  out_line("m-infer-done", NULL, NULL);
  have_result = 1;
  if (TML_EEMBC_IO == TML_EEMBC_IO_FLOAT_MSE) mse_result = mean_squared_error();
  results();
}

static void help(void) {
  out_line(TML_EEMBC_FW_VERSION, NULL, NULL);
  out_line("help         : Print this information", NULL, NULL);
  out_line("name         : Print the name of the device", NULL, NULL);
  out_line("timestamp    : Generate a timestamp", NULL, NULL);
  out_line("db load N    : Expect N bytes of input", NULL, NULL);
  out_line("db HH[HH]*   : Load 8-bit hex byte(s) until N bytes", NULL, NULL);
  out_line("db print     : Print the loaded bytes as hex", NULL, NULL);
  out_line("infer N [W]  : Execute N inferences after W warmup loops", NULL, NULL);
  out_line("results      : Print the last output vector", NULL, NULL);
}

static void run_command(char *text) {
  char *tok[TML_EEMBC_MAX_TOKENS];
  size_t n = 0;
  char *p = text;
  while (*p != '\0' && n < TML_EEMBC_MAX_TOKENS) {
    while (*p == ' ') *p++ = '\0';
    if (*p == '\0') break;
    tok[n++] = p;
    while (*p != '\0' && *p != ' ') ++p;
  }
  if (n == 0) {
    out_line("e-[Unknown command: ]", NULL, NULL);
  } else if (strcmp(tok[0], "name") == 0) {
    out_line("m-name-dut-[", TML_EEMBC_DUT_NAME, "]");
  } else if (strcmp(tok[0], "timestamp") == 0) {
    timestamp();
  } else if (strcmp(tok[0], "profile") == 0) {
    out_line("m-profile-[", TML_EEMBC_FW_VERSION, "]");
    out_line("m-model-[", TML_EEMBC_MODEL_ID, "]");
  } else if (strcmp(tok[0], "help") == 0) {
    help();
  } else if (strcmp(tok[0], "results") == 0) {
    results();
  } else if (strcmp(tok[0], "infer") == 0) {
    infer(n > 1 ? tok[1] : NULL, n > 2 ? tok[2] : NULL);
  } else if (strcmp(tok[0], "db") == 0 && n > 1 && strcmp(tok[1], "load") == 0) {
    db_load(n > 2 ? tok[2] : NULL);
  } else if (strcmp(tok[0], "db") == 0 && n > 1 && strcmp(tok[1], "print") == 0) {
    db_print();
  } else if (strcmp(tok[0], "db") == 0 && n > 1) {
    db_hex(tok[1]);
  } else {
    out_line("e-[Unknown command: ", tok[0], "]");
  }
  out_line("m-ready", NULL, NULL);
}

static void on_byte(char c) {
  if (c == '\r' || c == '\n') return;
  if (c != '%') {
    if (cmd_len < TML_EEMBC_CMD_SIZE) {
      cmd[cmd_len++] = c;
    } else {
      cmd_overflow = 1;
    }
    return;
  }
  cmd[cmd_len] = '\0';
  if (cmd_overflow) {
    out_line("e-[Command longer than 80 characters]", NULL, NULL);
    out_line("m-ready", NULL, NULL);
  } else {
    run_command(cmd);
  }
  cmd_len = 0;
  cmd_overflow = 0;
}

int tml_app_main(void) {
  int c, status;
  timer_last = tml_hal_timer_ticks();
  status = tml_model_init();
  out_line(TML_EEMBC_ENERGY ? "m-timestamp-mode-energy" : "m-timestamp-mode-performance", NULL, NULL);
  /* As the reference's th_timestamp_initialize: one timestamp (in energy mode it leaves the pin high). */
  timestamp();
  if (status != 0) out_line("e-[Model initialization failed]", NULL, NULL);
  out_line("m-init-done", NULL, NULL);
  out_line("m-ready", NULL, NULL);
  for (;;) {
    c = tml_hal_serial_read_byte(TML_EEMBC_READ_WAIT_MS);
    if (c >= 0) on_byte((char)c);
  }
}
