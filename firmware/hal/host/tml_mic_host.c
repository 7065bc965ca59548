/*
 * tml_mic_host.c — the host board's microphone: TML_MIC=PATH names a
 * 16 kHz mono 16-bit source, a WAV file or raw little-endian PCM, or a FIFO
 * fed by a real microphone:
 *
 *   mkfifo /tmp/mic; arecord -t raw -f S16_LE -r 16000 -c 1 > /tmp/mic &
 *   TML_MIC=/tmp/mic ./firmware
 *
 * A file is read as fast as the app consumes it (faster than real time), so
 * a recording replays deterministically; a FIFO paces itself. The end of the
 * source ends capture (TML_HAL_MIC_NONE). A WAV in any other format is
 * refused on stderr rather than heard as noise.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tml_hal.h"

static int mic_fd = -1;
/* Bytes read but not yet handed out: the sniffed magic of a raw source, or
 * the odd byte when a read ends mid-sample. */
static unsigned char pending[4];
static size_t pending_len;

static uint32_t le32(const unsigned char *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int read_exact(int fd, unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

/* Walks a WAV's chunks up to "data"; 0 when it is 16 kHz mono 16-bit PCM. */
static int skip_wav_header(int fd, const char *path) {
  unsigned char h[16];
  int fmt_ok = 0;
  if (read_exact(fd, h, 8) != 0 || memcmp(h + 4, "WAVE", 4) != 0) goto bad;
  for (;;) {
    uint32_t size;
    if (read_exact(fd, h, 8) != 0) goto bad;
    size = le32(h + 4);
    if (memcmp(h, "data", 4) == 0) return fmt_ok ? 0 : -1;
    if (memcmp(h, "fmt ", 4) == 0 && size >= 16) {
      if (read_exact(fd, h, 16) != 0) goto bad;
      fmt_ok = h[0] == 1 && h[1] == 0 && h[2] == 1 && h[3] == 0 && le32(h + 4) == 16000u && h[14] == 16;
      if (!fmt_ok) {
        fprintf(stderr, "tml_mic_host: %s is not 16 kHz mono 16-bit PCM (convert: sox IN -r 16000 -c 1 -b 16 -e signed OUT.wav)\n", path);
        return -1;
      }
      size -= 16;
    }
    /* Chunks are padded to even sizes. */
    for (size += size & 1u; size > 0;) {
      size_t n = size > sizeof h ? sizeof h : size;
      if (read_exact(fd, h, n) != 0) goto bad;
      size -= (uint32_t)n;
    }
  }
bad:
  fprintf(stderr, "tml_mic_host: %s: truncated or malformed WAV\n", path);
  return -1;
}

static int fail(void) {
  close(mic_fd);
  mic_fd = -1;
  return TML_HAL_MIC_NONE;
}

int tml_hal_mic_start(void) {
  const char *path = getenv("TML_MIC");
  if (path == NULL || path[0] == '\0') return TML_HAL_MIC_NONE;
  if (mic_fd >= 0) return 0;
  mic_fd = open(path, O_RDONLY | O_CLOEXEC);
  if (mic_fd < 0) {
    fprintf(stderr, "tml_mic_host: cannot open TML_MIC '%s': %s\n", path, strerror(errno));
    return TML_HAL_MIC_NONE;
  }
  /* "RIFF" is a WAV; anything else is raw PCM and those four bytes are its first two samples. */
  if (read_exact(mic_fd, pending, 4) != 0) return fail();
  pending_len = 4;
  if (memcmp(pending, "RIFF", 4) == 0) {
    pending_len = 0;
    if (skip_wav_header(mic_fd, path) != 0) return fail();
  }
  return 0;
}

int tml_hal_mic_read(int16_t *samples, size_t max, uint32_t timeout_ms) {
  unsigned char buf[4096];
  size_t want, have, n, i;
  ssize_t r;
  struct pollfd p;
  if (mic_fd < 0) return TML_HAL_MIC_NONE;
  if (max == 0) return 0;
  want = 2u * max;
  if (want > sizeof buf) want = sizeof buf & ~(size_t)1;
  memcpy(buf, pending, pending_len);
  have = pending_len;
  pending_len = 0;
  if (have < 2) {
    p.fd = mic_fd;
    p.events = POLLIN;
    p.revents = 0;
    if (poll(&p, 1, timeout_ms > 0x7fffffffu ? -1 : (int)timeout_ms) <= 0) {
      memcpy(pending, buf, have);
      pending_len = have;
      return 0;
    }
    do r = read(mic_fd, buf + have, want - have);
    while (r < 0 && errno == EINTR);
    if (r <= 0) return fail(); /* the end of the recording, or the writer went away */
    have += (size_t)r;
  }
  n = have / 2u;
  if (n > max) n = max;
  for (i = 0; i < n; ++i) samples[i] = (int16_t)(uint16_t)(buf[2 * i] | (buf[2 * i + 1] << 8));
  pending_len = have - 2u * n;
  memcpy(pending, buf + 2u * n, pending_len);
  return (int)n;
}
