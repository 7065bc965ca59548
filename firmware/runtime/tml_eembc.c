/*
 * tml_eembc.c — the MLPerf Tiny / EEMBC runner's text protocol (`--app
 * eembc`), so the MLCommons benchmark runner can drive tinyml firmware.
 *
 * Host → device: a command ending in '%' (80-char buffer, tokens split on
 * spaces; CR and LF are ignored). Device → host: lines ending "\r\n" —
 * m-… messages, e-[…] errors, and m-ready after every command. Replies match
 * mlcommons/tiny benchmark/api (see /work/shared/notes/interop.md). The
 * `db` buffer is the app's input stage (tml_input_stage.h), so builds of this
 * app should reserve TML_APP_INPUT_STAGE_BYTES: the default 10 warm-up runs
 * would otherwise overwrite the input before the timed ones. No printf: many
 * embedded C libraries lack %f, and results print as 0.ddd by hand.
 */
#include <string.h>

#include "tml_app.h"
#include "tml_hal.h"
#include "tml_input_stage.h"
#include "tml_model.h"

#ifndef TML_EEMBC_DUT_NAME
#define TML_EEMBC_DUT_NAME "tinyml"
#endif
/* The MLPerf Tiny model id the firmware carries: kws01, vww01, ic01, ad01 or sww01. */
#ifndef TML_EEMBC_MODEL_ID
#define TML_EEMBC_MODEL_ID "tinyml"
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

static void out_hex2(uint8_t b) {
  static const char hex[] = "0123456789abcdef";
  out_char(hex[b >> 4]);
  out_char(hex[b & 0x0Fu]);
}

/* v as [-]I.ddd, rounded half away from zero; magnitudes past 4294967.295 are clamped. */
static void out_fixed3(float v) {
  uint32_t scaled;
  float mag = v < 0.0f ? -v : v;
  if (v != v) {
    out_str("nan");
    return;
  }
  if (mag * 1000.0f + 0.5f >= 4294967295.0f) {
    scaled = 4294967295u;
  } else {
    scaled = (uint32_t)(mag * 1000.0f + 0.5f);
  }
  if (v < 0.0f && scaled != 0) out_char('-');
  out_u64(scaled / 1000u);
  out_char('.');
  out_char((char)('0' + (int)(scaled / 100u % 10u)));
  out_char((char)('0' + (int)(scaled / 10u % 10u)));
  out_char((char)('0' + (int)(scaled % 10u)));
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

static size_t db_capacity(void) {
  const tml_tensor_info *info = tml_model_input_info(0);
  return info == NULL || tml_stage_input(0) == NULL ? 0 : info->bytes;
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
  const uint8_t *buf = tml_stage_input(0);
  size_t i;
  for (i = 0; i < db_size && buf != NULL; ++i) {
    if (i % TML_EEMBC_PRINT_PER_LINE == 0) out_str("m-buffer-");
    out_hex2(buf[i]);
    if ((i + 1u) % TML_EEMBC_PRINT_PER_LINE == 0 || i + 1u == db_size) {
      out_end();
    } else {
      out_char('-');
    }
  }
}

static void db_hex(const char *hex) {
  uint8_t *buf = tml_stage_input(0);
  size_t n = strlen(hex), i;
  int hi, lo;
  if (db_size == 0 || buf == NULL) {
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
    buf[db_pos++] = (uint8_t)((hi << 4) | lo);
    /* Digits past the announced size are disregarded, as the reference firmware does. */
    if (db_pos == db_size) out_line("m-load-done", NULL, NULL);
  }
}

static float element(const tml_tensor_info *info, const uint8_t *p, size_t i) {
  float q;
  int32_t i32;
  int16_t i16;
  switch (info->type) {
    case 0: memcpy(&q, p + 4u * i, sizeof q); return q;
    case 9: q = (float)((int8_t)p[i] - info->zero_point); break;
    case 3: q = (float)((int32_t)p[i] - info->zero_point); break;
    case 7: memcpy(&i16, p + 2u * i, sizeof i16); q = (float)((int32_t)i16 - info->zero_point); break;
    case 2: memcpy(&i32, p + 4u * i, sizeof i32); q = (float)(i32 - info->zero_point); break;
    default: return 0.0f;
  }
  return info->scale != 0.0f ? q * info->scale : q;
}

static size_t element_size(int32_t type) {
  switch (type) {
    case 0: case 2: return 4;
    case 7: return 2;
    case 9: case 3: return 1;
    default: return 0;
  }
}

static void results(void) {
  const tml_tensor_info *info = tml_model_output_info(0);
  const uint8_t *p = (const uint8_t *)tml_model_output(0);
  size_t n, i, size;
  out_str("m-results-[");
  size = info == NULL ? 0 : element_size(info->type);
  n = size == 0 || p == NULL ? 0 : info->bytes / size;
  for (i = 0; i < n; ++i) {
    if (i > 0) out_char(',');
    out_fixed3(element(info, p, i));
  }
  out_str("]");
  out_end();
}

/* One inference with the db buffer restored first; returns the model status. */
static int infer_once(void) {
  int status;
  tml_stage_restore();
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
  out_line("m-timestamp-mode-performance", NULL, NULL);
  if (status != 0) out_line("e-[Model initialization failed]", NULL, NULL);
  out_line("m-init-done", NULL, NULL);
  out_line("m-ready", NULL, NULL);
  for (;;) {
    c = tml_hal_serial_read_byte(TML_EEMBC_READ_WAIT_MS);
    if (c >= 0) on_byte((char)c);
  }
}
