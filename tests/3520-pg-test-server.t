#!/bin/sh
# tests/pg.sh, the throwaway PostgreSQL that make check runs the ticket
# tests against: PostgreSQL 15, listening on a Unix socket in a
# temporary directory and on no TCP port, run by an unprivileged user
# when started by root, removed at the end. A server that cannot start
# fails the run, exit 2, without running anything: nothing is skipped.
. "$(dirname "$0")/lib.sh"

pg=$KEFU_SRC/tests/pg.sh

test_expect_success 'without PostgreSQL 15 the run fails, saying what to install' '
	test_must_fail env KEFU_PG_BINDIR="$TEST_DIR/none" sh "$pg" touch ran 2>err &&
	echo "pg.sh: no '\''$TEST_DIR/none/initdb'\'': PostgreSQL 15 is needed (apt-get install postgresql-15)" >expect &&
	test_cmp expect err &&
	test ! -e ran
'

# Starting servers costs seconds: the checks of a real one run in make
# check's PostgreSQL pass, beside the server it started.
if ! on_postgres; then
	test_done
fi

test_expect_success 'a server that cannot start fails the run, exit 2, and runs nothing' '
	test_must_fail --code=2 env KEFU_PG_OPTS="-c no_such_setting=1" sh "$pg" touch ran 2>err &&
	grep -F "pg.sh: the PostgreSQL server did not start:" err &&
	grep -F "no_such_setting" err &&
	test ! -e ran
'

test_expect_success 'the server of this run: PostgreSQL 15, on its socket only' '
	test "$(psql -XAtq -h "$KEFU_TEST_PG" -U kefu -d postgres -c "SHOW server_version_num" | cut -c1-2)" = 15 &&
	test "$(psql -XAtq -h "$KEFU_TEST_PG" -U kefu -d postgres -c "SHOW listen_addresses")" = "" &&
	test "$(psql -XAtq -h "$KEFU_TEST_PG" -U kefu -d postgres -c "SHOW unix_socket_directories")" = "$KEFU_TEST_PG" &&
	test -S "$KEFU_TEST_PG/.s.PGSQL.5432"
'

test_expect_success 'run as root, it runs as an unprivileged user, in a directory of its own' '
	data=$(psql -XAtq -h "$KEFU_TEST_PG" -U kefu -d postgres -c "SHOW data_directory") &&
	case $data in "${KEFU_TEST_PG%/sock}"/data) ;; *) false ;; esac &&
	if [ "$(id -u)" -eq 0 ]; then
		test "$(stat -c %U "$data")" = "${KEFU_PG_USER:-nobody}" &&
		pid=$(head -1 "$data/postmaster.pid") &&
		test "$(stat -c %U "/proc/$pid")" = "${KEFU_PG_USER:-nobody}"
	else
		test "$(stat -c %U "$data")" = "$(id -un)"
	fi
'

test_expect_success 'its exit status is the command'\''s, and nothing of the server is left' '
	{ sh "$pg" sh -c "echo \"\$KEFU_TEST_PG\" >where; exit 3" 2>/dev/null; test $? = 3; } &&
	test -s where && dir=$(cat where) &&
	test ! -e "${dir%/sock}"
'

test_done
