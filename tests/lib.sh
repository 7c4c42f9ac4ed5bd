# tests/lib.sh: the harness every tests/NNNN-name.t sources.
#
#   test_expect_success 'what a user sees' '
#           commands...
#   '
#   test_done
#
# Each test file runs in its own temporary directory with its own $HOME,
# against the binaries in $KEFU_BIN, and prints TAP for prove.
set -u

: "${KEFU_BIN:?set KEFU_BIN to the directory of the kefu binaries (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
KEFU_BUILD=${KEFU_BUILD:-$KEFU_SRC/build}
PATH="$KEFU_BIN:$PATH"
export PATH KEFU_BIN KEFU_SRC KEFU_BUILD

# Scratch space in memory when there is some: a test makes thousands of
# small files, and on some disks each costs a millisecond of kernel time.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kefu-test.XXXXXX") || exit 1
# The test's databases go with it (new_database, below).
_lib_cleanup() {
	if [ -n "${KEFU_TEST_PG:-}" ] && [ -f "$TEST_DIR/.databases" ]; then
		while read -r _lib_db; do
			dropdb -h "$KEFU_TEST_PG" -U kefu --force "$_lib_db" 2>/dev/null
		done <"$TEST_DIR/.databases"
	fi
	rm -rf "$TEST_DIR"
}
trap _lib_cleanup EXIT
cd "$TEST_DIR" || exit 1

# A clean, predictable world: no user configuration, a fixed identity.
HOME=$TEST_DIR
XDG_CONFIG_HOME=$TEST_DIR/.config
GIT_CONFIG_NOSYSTEM=1
LC_ALL=C.UTF-8
TZ=Asia/Shanghai
KEFU_USER=li.na@example.com
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM LC_ALL TZ KEFU_USER
# Nothing of the user's data either: kb-mine keeps entries under XDG_DATA_HOME.
unset KEFU_DIR KEFU_NOW KEFU_DB XDG_DATA_HOME
# As `git config --global` would write it, without three git processes.
printf '[user]\n\temail = li.na@example.com\n\tname = 李娜\n[init]\n\tdefaultBranch = main\n' \
	>"$HOME/.gitconfig"
# A sanitizer report must fail the test, never pass as exit 1 or 2.
ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=99:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:exitcode=98}
export ASAN_OPTIONS UBSAN_OPTIONS

test_count=0
test_failures=0
LOG=$TEST_DIR/.log

test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$LOG" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failures=$((test_failures + 1))
		echo "not ok $test_count - $1"
		sed 's/^/# /' "$LOG"
	fi
}

# Run a command that must fail with the given exit code (default 2),
# not crash: a signal or a sanitizer exit is never a pass.
# (The harness's variables start with _lib_: a test's own are never touched.)
test_must_fail() {
	_lib_want=2
	case $1 in --code=*) _lib_want=${1#--code=}; shift ;; esac
	"$@"
	_lib_got=$?
	if [ "$_lib_got" -ne "$_lib_want" ]; then
		echo "test_must_fail: '$*' exited $_lib_got, wanted $_lib_want" >&2
		return 1
	fi
	return 0
}

# What this run cannot check, said in TAP, with the reason.
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count # skip $1"
}

# The long checks (kills at random moments, races run many times, the
# exhaustive comparisons, the browser) run when KEFU_TEST_LONG is set,
# as make check sets it; make test names each one it leaves to make check.
test_long() { # TITLE BODY
	if [ -n "${KEFU_TEST_LONG:-}" ]; then
		test_expect_success "$1" "$2"
	else
		test_skip "long, run by make check: $1"
	fi
}
# A file of long checks only: test_long_file, before its first test.
test_long_file() {
	if [ -z "${KEFU_TEST_LONG:-}" ]; then
		echo "1..0 # SKIP long checks, run by make check"
		exit 0
	fi
}

test_cmp() {
	diff -u "$1" "$2"
}

test_line_count() { # file op n
	_lib_n=$(wc -l <"$1")
	test "$_lib_n" "$2" "$3" ||
		{ echo "$1 has $_lib_n lines, wanted $2 $3" >&2; cat "$1" >&2; return 1; }
}

test_done() {
	echo "1..$test_count"
	[ "$test_failures" -eq 0 ]
	exit $?
}

# Fixtures.

# With $KEFU_TEST_PG, the socket directory of a PostgreSQL server that
# tests/pg.sh started (make check's second pass over the ticket tests),
# every desk a fixture makes keeps its tickets there, each in a new
# database of its own; without it, in .kefu/desk.db.
# new_database: create one and print its connection string. (Fixtures
# run in the subshells of tests: the count is kept in a file.)
new_database() {
	_lib_n=$(($(cat "$TEST_DIR/.databases" 2>/dev/null | wc -l) + 1))
	_lib_db=kefu_t$$_$_lib_n
	echo "$_lib_db" >>"$TEST_DIR/.databases"
	createdb -h "$KEFU_TEST_PG" -U kefu "$_lib_db" || return 1
	echo "host=$KEFU_TEST_PG user=kefu dbname=$_lib_db"
}
# desk_init [kb-init's options] DIR: kb-init, on the test's backend.
desk_init() {
	if [ -n "${KEFU_TEST_PG:-}" ]; then
		_lib_uri=$(new_database) || return 1
		kb-init --db "$_lib_uri" "$@" >/dev/null
	else
		kb-init "$@" >/dev/null
	fi
}
# desk_sql SQL: run SQL on the store of the desk here (sqlite3 or psql),
# rows as sqlite3 prints them: columns joined by '|', NULL empty.
desk_sql() {
	if [ -f .kefu/database ]; then
		psql -XAtq -v ON_ERROR_STOP=1 -d "$(cat .kefu/database)" -c "$1"
	else
		sqlite3 .kefu/desk.db "$1"
	fi
}
# on_postgres: whether this run's desks are in PostgreSQL.
on_postgres() {
	test -n "${KEFU_TEST_PG:-}"
}

# A desk with the sample knowledge base: sample_desk DIR
sample_desk() {
	desk_init --sample "$1"
}

# A desk with no entries: empty_desk DIR
empty_desk() {
	desk_init "$1"
}

# write_entry FILE ID TITLE CATEGORY [KEYWORDS] [ANSWER]
write_entry() {
	mkdir -p "$(dirname "$1")"
	cat >"$1" <<EOT
id: $2
title: $3
category: $4
keywords: [${5:-}]
answer: ${6:-请按流程处理。}
EOT
}

# commit_all DIR MESSAGE: commit the work tree with the git command line.
commit_all() {
	git -C "$1" add -A && git -C "$1" commit -q -m "$2"
}
