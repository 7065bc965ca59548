/* tml_main.c — main() for firmware built around one tinyml app (see tml_app.h). */
#include "tml_app.h"
#include "tml_hal.h"

int main(void) {
  tml_hal_init();
  return tml_app_main();
}
