#!/bin/sh
# Unit tests of the follow-up rules (C, TAP): which tickets a rule's
# match fits, when its call is due, what a rule written wrong is told, a
# call's state on a day; driven by tests/unit/followups.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/followups" "$KEFU_SRC/tests/unit/followups.cases"
