#!/bin/sh
# Unit tests of kb_suggest(), the entries a ticket's text brings up (C,
# TAP), on the sample desk's entries, driven by tests/unit/suggest.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/suggest" "$KEFU_SRC/tests/unit/suggest.cases" "$KEFU_SRC"/kb/*/*.yaml
