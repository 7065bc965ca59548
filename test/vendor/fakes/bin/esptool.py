#!/bin/sh
# Recording fake esptool.py: see ../fake-tool.mjs.
exec node "$(dirname "$0")/../fake-tool.mjs" "$(basename "$0")" "$@"
