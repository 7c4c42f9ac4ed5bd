#!/bin/sh
# Unit tests of the calendar module (C, TAP), driven by tests/unit/calendar.cases:
# once with the system's tz database, and once more with "slim" zone files
# compiled here by zic(8), whose offsets after 2007 come from each file's
# POSIX TZ rule rather than its table, when zic is installed and the long
# checks are run (KEFU_TEST_LONG, as make check sets it).
: "${KEFU_BUILD:?set KEFU_BUILD (make test does)}"
: "${KEFU_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
bin="$KEFU_BUILD/tests/calendar"
cases="$KEFU_SRC/tests/unit/calendar.cases"
zi=/usr/share/zoneinfo/tzdata.zi
zic=$(command -v zic || echo /usr/sbin/zic)
# The slim zones are one of the long checks: make check runs them.
if ! [ -x "$zic" ] || ! [ -r "$zi" ] || [ -z "${KEFU_TEST_LONG:-}" ]; then
	exec "$bin" "$cases"
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$bin" "$cases" >"$tmp/fat"
rc1=$?
if "$zic" -b slim -d "$tmp/zones" "$zi" 2>"$tmp/zic.err"; then
	TZDIR="$tmp/zones" "$bin" "$cases" >"$tmp/slim"
	rc2=$?
else
	printf 'Bail out! zic failed: %s\n' "$(head -n1 "$tmp/zic.err")" >"$tmp/slim"
	rc2=1
fi
# One TAP stream: number the second run's tests after the first's.
awk '
	/^1\.\.[0-9]+$/ { next }
	FNR == 1 { run++ }
	/^(not )?ok [0-9]+/ {
		n++
		sub(/ok [0-9]+/, "ok " n)
		if (run == 2)
			sub(/ - /, " - slim zones: ")
	}
	{ print }
	END { print "1.." n }
' "$tmp/fat" "$tmp/slim"
[ "$rc1" = 0 ] && [ "$rc2" = 0 ]
