#!/bin/sh
# Unit tests of the entry module (C, TAP), driven by tests/unit/entry.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/entry" "$KEFU_SRC/tests/unit/entry.cases"
