#!/bin/sh
# Unit tests of the output emitter (C, TAP), driven by tests/unit/output.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/output" "$KEFU_SRC/tests/unit/output.cases"
