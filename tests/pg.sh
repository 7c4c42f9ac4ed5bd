#!/bin/sh
# tests/pg.sh COMMAND...: run COMMAND beside a throwaway PostgreSQL
# server of its own, then stop the server and remove it; exit with
# COMMAND's status. make check runs the ticket and SLA tests through it.
#
# The server is PostgreSQL 15's initdb and pg_ctl ($KEFU_PG_BINDIR,
# default /usr/lib/postgresql/15/bin) in a new temporary directory,
# listening on no TCP port, only on a Unix socket in that directory.
# PostgreSQL refuses to run as root: run as root (as CI is), the server
# runs as the unprivileged user $KEFU_PG_USER (default nobody, of group
# nogroup), which owns the directory; setpriv(1) switches to it.
# Its superuser role is "kefu", trusted on the socket, with no password.
#
# COMMAND sees KEFU_TEST_PG, the socket's directory: tests/lib.sh then
# makes each desk in a database of its own there. A server that cannot
# start fails the run (exit 2): nothing is skipped.
set -u
prog=pg.sh
bindir=${KEFU_PG_BINDIR:-/usr/lib/postgresql/15/bin}
[ $# -gt 0 ] || { echo "usage: $prog COMMAND..." >&2; exit 2; }
for t in initdb pg_ctl postgres; do
	[ -x "$bindir/$t" ] || {
		echo "$prog: no '$bindir/$t': PostgreSQL 15 is needed (apt-get install postgresql-15)" >&2
		exit 2
	}
done

# In memory when there is room (a container's /dev/shm may have 64 MB).
base=${TMPDIR:-/tmp}
if [ -d /dev/shm ] && [ -w /dev/shm ] &&
	[ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 2097152 ]; then
	base=/dev/shm
fi
dir=$(mktemp -d "$base/kefu-pg.XXXXXX") || exit 2
chmod 0755 "$dir"
if [ "$(id -u)" -eq 0 ]; then
	user=${KEFU_PG_USER:-nobody}
	group=$(id -gn "$user") || { echo "$prog: no user '$user'" >&2; rm -rf "$dir"; exit 2; }
	as() { setpriv --reuid="$user" --regid="$group" --clear-groups -- "$@"; }
	mkdir "$dir/data" "$dir/sock" && chown "$user:$group" "$dir/data" "$dir/sock" ||
		{ rm -rf "$dir"; exit 2; }
else
	as() { "$@"; }
	mkdir "$dir/data" "$dir/sock" || { rm -rf "$dir"; exit 2; }
fi
: >"$dir/log"
[ "$(id -u)" -eq 0 ] && chown "$user:$group" "$dir/log"

stop() {
	as "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 2' HUP INT TERM

# Its databases sort text in Chinese order (ICU's zh-Hans-CN, pinyin), far
# from SQLite's order of bytes: output that differs between the two
# backends shows there. A test server: nothing needs to survive a crash,
# unless $KEFU_PG_OPTS, the server's settings, says otherwise (make bench).
opts=${KEFU_PG_OPTS:-"-c max_connections=300 -c shared_buffers=32MB -c fsync=off
	-c synchronous_commit=off -c full_page_writes=off"}
opts=$(echo $opts)
if ! as "$bindir/initdb" -D "$dir/data" -U kefu -A trust -E UTF8 --locale=C.UTF-8 \
	--locale-provider=icu --icu-locale=zh-Hans-CN \
	>"$dir/initdb.log" 2>&1; then
	echo "$prog: initdb failed:" >&2
	cat "$dir/initdb.log" >&2
	exit 2
fi
if ! as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start \
	-o "-c listen_addresses='' -c unix_socket_directories='$dir/sock' $opts" \
	>/dev/null 2>&1; then
	echo "$prog: the PostgreSQL server did not start:" >&2
	cat "$dir/log" >&2
	exit 2
fi
echo "$prog: PostgreSQL $("$bindir/postgres" -V | awk '{ print $3 }') on $dir/sock" >&2

KEFU_TEST_PG=$dir/sock
export KEFU_TEST_PG
"$@"
st=$?
exit $st
