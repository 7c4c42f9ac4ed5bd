#!/bin/sh
# Unit tests of the tokenizer module (C, TAP), driven by tests/unit/tokenizer.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/tokenizer" "$KEFU_SRC/tests/unit/tokenizer.cases"
