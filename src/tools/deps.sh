#!/bin/sh
# Check kefu's build and test dependencies; as root, install what is
# missing with apt-get, otherwise print the command that would.
missing=""
need() { # package, test command...
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
need pkg-config command -v pkg-config
need gcc command -v cc
# kb-search is linked statically: the C library's static archive.
need libc6-dev sh -c 'test "$(cc -print-file-name=libc.a)" != libc.a'
need libsqlite3-dev pkg-config --exists sqlite3
need libyaml-dev pkg-config --exists yaml-0.1
need libgit2-dev pkg-config --exists libgit2
need git command -v git
need jq command -v jq
need perl command -v prove
need mandoc command -v mandoc
need sqlite3 command -v sqlite3
need tzdata test -f /usr/share/zoneinfo/Asia/Shanghai
need bash-completion test -f /usr/share/bash-completion/bash_completion
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "kefu: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	apt-get install -y -q $missing >/dev/null ||
		{ apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null; } ||
		{ echo "kefu: apt-get install$missing failed" >&2; exit 2; }
	exit 0
fi
echo "kefu: missing build dependencies; run as root:" >&2
echo "  apt-get install$missing" >&2
exit 2
