#!/bin/sh
# Unit tests of the knowledge base as a sheet and of entries written as files (C, TAP), driven by tests/unit/kbsheet.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/kbsheet" "$KEFU_SRC/tests/unit/kbsheet.cases"
