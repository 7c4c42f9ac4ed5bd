#!/bin/sh
# Unit tests of the store (C, TAP): what goes in comes out, ticket lists'
# filters and orders, the day's sequence, files refused, read errors.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
exec "$KEFU_BUILD/tests/store"
