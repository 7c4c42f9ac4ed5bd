#!/bin/sh
# Unit tests of the store (C, TAP): what goes in comes out, ticket lists'
# filters and orders, the day's sequence, files refused, read errors, a
# dump restored; on a PostgreSQL server too when make check's second pass
# gives one (the dump restored there and into a file).
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
if [ -n "${KEFU_TEST_PG:-}" ]; then
	db=kefu_unit_$$
	createdb -h "$KEFU_TEST_PG" -U kefu "$db" || exit 1
	createdb -h "$KEFU_TEST_PG" -U kefu "${db}_to" || exit 1
	KEFU_TEST_PG_URI="host=$KEFU_TEST_PG user=kefu dbname=$db" \
	KEFU_TEST_PG_URI2="host=$KEFU_TEST_PG user=kefu dbname=${db}_to" "$KEFU_BUILD/tests/store"
	st=$?
	dropdb -h "$KEFU_TEST_PG" -U kefu --force "$db"
	dropdb -h "$KEFU_TEST_PG" -U kefu --force "${db}_to"
	exit $st
fi
exec "$KEFU_BUILD/tests/store"
