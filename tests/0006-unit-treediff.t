#!/bin/sh
# Unit tests of the treediff module (C, TAP), driven by tests/unit/treediff.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/treediff" "$KEFU_SRC/tests/unit/treediff.cases"
