#!/bin/sh
# Unit tests of the mail module (C, TAP), driven by tests/unit/mail.cases
# and the messages in tests/fixtures/mail.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/mail" "$KEFU_SRC/tests/unit/mail.cases"
