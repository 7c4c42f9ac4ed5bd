#!/bin/sh
# Unit tests of the term lists and of ranking from them (C, TAP): a
# seeded desk's lists against FTS5, through a full build and edits.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
exec "$KEFU_BUILD/tests/terms"
