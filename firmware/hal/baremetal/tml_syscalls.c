/*
 * tml_syscalls.c — the newlib system calls a bare-metal image needs, so that
 * printf reaches UART0 and malloc stays inside the linker script's heap.
 * Defining them all here (instead of libnosys's stubs) also silences the
 * "is not implemented and will always fail" link warnings.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "tml_hal.h"

/* Linker script symbols bounding the heap section. */
extern uint8_t __HeapBase;
extern uint8_t __HeapLimit;

int _write(int fd, const void *buf, size_t len);
int _read(int fd, void *buf, size_t len);
void *_sbrk(ptrdiff_t incr);
void _exit(int code);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int offset, int whence);
int _kill(int pid, int sig);
int _getpid(void);

int _write(int fd, const void *buf, size_t len) {
  if (fd != 1 && fd != 2) {
    errno = EBADF;
    return -1;
  }
  tml_hal_serial_write((const uint8_t *)buf, len);
  return (int)len;
}

/* stdin blocks for the first byte and then returns what is already there. */
int _read(int fd, void *buf, size_t len) {
  uint8_t *out = (uint8_t *)buf;
  size_t n = 0;
  int c;
  if (fd != 0) {
    errno = EBADF;
    return -1;
  }
  while (n < len) {
    c = tml_hal_serial_read_byte(n == 0 ? 1000u : 0u);
    if (c < 0) {
      if (n > 0) break;
      continue;
    }
    out[n++] = (uint8_t)c;
  }
  return (int)n;
}

/* Addresses compared as integers: the heap bounds are distinct linker
 * symbols, and C defines pointer differences only within one object. */
void *_sbrk(ptrdiff_t incr) {
  static uintptr_t brk;
  uintptr_t base = (uintptr_t)&__HeapBase, limit = (uintptr_t)&__HeapLimit, prev;
  if (brk == 0u) brk = base;
  prev = brk;
  if ((incr > 0 && (uintptr_t)incr > limit - brk) || (incr < 0 && (uintptr_t)(-incr) > brk - base)) {
    errno = ENOMEM;
    return (void *)-1;
  }
  brk += (uintptr_t)incr;
  return (void *)prev;
}

void _exit(int code) {
  tml_hal_exit(code);
  for (;;) {
  }
}

int _close(int fd) {
  (void)fd;
  return -1;
}

int _fstat(int fd, struct stat *st) {
  (void)fd;
  st->st_mode = S_IFCHR;
  return 0;
}

int _isatty(int fd) { return fd >= 0 && fd <= 2; }

int _lseek(int fd, int offset, int whence) {
  (void)fd;
  (void)offset;
  (void)whence;
  return 0;
}

int _kill(int pid, int sig) {
  (void)pid;
  (void)sig;
  errno = EINVAL;
  return -1;
}

int _getpid(void) { return 1; }
