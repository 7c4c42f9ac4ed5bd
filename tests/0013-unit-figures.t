#!/bin/sh
# Unit tests of a report's building blocks (C, TAP): figures, targets,
# periods and ticket timelines, driven by tests/unit/figures.cases.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
exec "$KEFU_BUILD/tests/figures" "$KEFU_SRC/tests/unit/figures.cases"
