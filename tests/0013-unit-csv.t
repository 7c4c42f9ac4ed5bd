#!/bin/sh
# Unit tests of the spreadsheet reader and writer (C, TAP), driven by tests/unit/csv.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/csv" "$KEFU_SRC/tests/unit/csv.cases"
