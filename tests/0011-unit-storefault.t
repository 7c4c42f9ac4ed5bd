#!/bin/sh
# Unit tests of the desk's rules over a store whose reads fail on demand
# (C, TAP): each rule fails too, and changes nothing.
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
exec "$KEFU_BUILD/tests/storefault"
