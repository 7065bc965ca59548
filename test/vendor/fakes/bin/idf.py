#!/bin/sh
# Recording fake idf.py: see ../fake-tool.mjs.
exec node "$(dirname "$0")/../fake-tool.mjs" "$(basename "$0")" "$@"
