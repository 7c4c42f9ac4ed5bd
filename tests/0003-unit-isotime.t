#!/bin/sh
# Unit tests of the isotime module (C, TAP), driven by tests/unit/isotime.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/isotime" "$KEFU_SRC/tests/unit/isotime.cases"
