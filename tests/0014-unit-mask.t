#!/bin/sh
# Unit tests of contact masking (C, TAP), driven by tests/unit/mask.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/mask" "$KEFU_SRC/tests/unit/mask.cases"
