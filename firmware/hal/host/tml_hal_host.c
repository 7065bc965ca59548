/*
 * tml_hal_host.c — tml_hal.h for the host board's protocol firmware
 * (`firmware`, next to the file harness `model`): the same protocol app that
 * runs on the boards, as a native process.
 *
 * Serial line: stdin/stdout by default (the launcher talks over pipes, or
 * socat puts a pty there); with TML_SERIAL=PATH the process opens that
 * device instead (a pty or a real tty), raw, so it can sit on a line the
 * way a board does.
 * Timer: CLOCK_MONOTONIC in nanoseconds, truncated to 32 bits (wraps every
 * 4.29 s; the app measures differences of one run, so one wrap is fine).
 * Reset: re-executes the program, so a RESET really starts from scratch
 * with the same pipes; a launcher that sees the process exit with status 3
 * instead (exec failed) restarts it.
 * Test hooks, because a rig must be able to rehearse its failures: with
 * TML_HOST_PIDFILE set the process writes its pid there (after every boot),
 * and SIGUSR1 makes it reset at the next byte wait, as a brown-out would.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "tml_hal.h"

#ifndef TML_BOARD_ID
#define TML_BOARD_ID "host"
#endif

/* Exit status that asks the launcher for a restart (re-exec failed). */
#define TML_HOST_EXIT_RESET 3

static int rx_fd = STDIN_FILENO;
static int tx_fd = STDOUT_FILENO;
static unsigned char rx_buf[512];
static size_t rx_len, rx_pos;
static volatile sig_atomic_t reset_requested;

static void on_usr1(int sig) {
  (void)sig;
  reset_requested = 1;
}

static void open_serial(const char *path) {
  struct termios t;
  int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, "tml_hal_host: cannot open serial line '%s': %s\n", path, strerror(errno));
    exit(2);
  }
  /* A tty echoing or translating CR/LF would corrupt binary frames. */
  if (tcgetattr(fd, &t) == 0) {
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_oflag &= ~(tcflag_t)OPOST;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t.c_cflag |= CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    (void)tcsetattr(fd, TCSANOW, &t);
  }
  rx_fd = fd;
  tx_fd = fd;
}

void tml_hal_init(void) {
  const char *serial = getenv("TML_SERIAL");
  const char *pidfile = getenv("TML_HOST_PIDFILE");
  struct sigaction sa;
  FILE *f;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  /* A host that went away must end the process with an error, not a signal. */
  signal(SIGPIPE, SIG_IGN);
  if (serial != NULL && serial[0] != '\0') open_serial(serial);
  if (pidfile != NULL && pidfile[0] != '\0' && (f = fopen(pidfile, "w")) != NULL) {
    fprintf(f, "%ld\n", (long)getpid());
    fclose(f);
  }
}

void tml_hal_serial_write(const uint8_t *data, size_t n) {
  ssize_t w;
  while (n > 0) {
    w = write(tx_fd, data, n);
    if (w < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (w <= 0) exit(0); /* the line is gone: nobody is listening any more */
    data += w;
    n -= (size_t)w;
  }
}

int tml_hal_serial_read_byte(uint32_t timeout_ms) {
  struct pollfd p;
  ssize_t r;
  int ready;
  if (reset_requested) tml_hal_reset();
  if (rx_pos < rx_len) return rx_buf[rx_pos++];
  p.fd = rx_fd;
  p.events = POLLIN;
  p.revents = 0;
  ready = poll(&p, 1, timeout_ms > 0x7fffffffu ? -1 : (int)timeout_ms);
  if (ready <= 0) return -1; /* timeout, or EINTR from SIGUSR1 */
  r = read(rx_fd, rx_buf, sizeof rx_buf);
  if (r < 0 && (errno == EINTR || errno == EAGAIN)) return -1;
  if (r <= 0) exit(0); /* end of input: the host hung up */
  rx_len = (size_t)r;
  rx_pos = 1;
  return rx_buf[0];
}

uint32_t tml_hal_timer_ticks(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint32_t)((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

uint32_t tml_hal_timer_hz(void) { return 1000000000u; }

const char *tml_hal_board_id(void) { return TML_BOARD_ID; }

/* No timestamp pin: nothing for an energy monitor to watch (see tml_hal.h). */
void tml_hal_timestamp(void) {}

void tml_hal_reset(void) {
  static char name[] = "firmware";
  char *const argv[] = {name, NULL};
  /* Bytes still buffered belong to the old session. */
  rx_len = rx_pos = 0;
  execv("/proc/self/exe", argv);
  exit(TML_HOST_EXIT_RESET); /* execv only returns on failure */
}

void tml_hal_exit(int code) { exit(code); }
