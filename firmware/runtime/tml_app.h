/*
 * tml_app.h — the entry point every tinyml application provides.
 *
 * A build links exactly one app: tml_proto_app.c (the framed test protocol,
 * `--app inference`) or tml_eembc.c (the MLPerf Tiny runner's text protocol,
 * `--app eembc`). tml_main.c calls tml_hal_init() and then the app, so a
 * board's startup code only needs to call main().
 */
#ifndef TML_APP_H
#define TML_APP_H

#ifdef __cplusplus
extern "C" {
#endif

/** Serves the host until a RESET or the end of input; the return value is the exit code. */
int tml_app_main(void);

#ifdef __cplusplus
}
#endif

#endif /* TML_APP_H */
