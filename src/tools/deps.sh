#!/bin/sh
# deps.sh GROUP...: check what building and testing kefu need; as root,
# install what is missing with apt-get, otherwise print the command that
# would, and exit 2.
#
#   build   compiler, make, the -dev libraries, git, jq (the demo's)
#   test    what `make check` runs: prove, mandoc, the shells the
#           completions are checked in, a PostgreSQL server to run the
#           ticket tests against, fzf and tmux for kb-pick, the browser
#           the report page is rendered in
#   bench   what `make bench` and `make eval` use
#   fuzz    clang and its libFuzzer runtime, for `make fuzz`
#
# Each package comes with the test that says it is present: a command on
# PATH, a pkg-config module, a file.
prog=deps.sh
missing=""
need() { # package, test command...
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
have() {
	command -v "$1"
}
# kb-search is linked statically: the C library's static archive, which
# only a working compiler can find.
have_libc_a() {
	have cc && test "$(cc -print-file-name=libc.a)" != libc.a
}

group_build() {
	need make have make
	need gcc have cc
	need libc6-dev have_libc_a
	need pkg-config have pkg-config
	need libsqlite3-dev pkg-config --exists sqlite3
	need libyaml-dev pkg-config --exists yaml-0.1
	need libgit2-dev pkg-config --exists libgit2
	need libpq-dev pkg-config --exists libpq
	need git have git
	need jq have jq
	need tzdata test -f /usr/share/zoneinfo/Asia/Shanghai
}
group_test() {
	group_build
	need perl have prove
	need mandoc have mandoc
	need sqlite3 have sqlite3
	need bash-completion test -f /usr/share/bash-completion/bash_completion
	need zsh have zsh
	need fish have fish
	need util-linux have setpriv
	# initdb, pg_ctl and postgres for a throwaway server; psql and createdb.
	need postgresql-15 test -x /usr/lib/postgresql/15/bin/initdb
	need postgresql-client-15 have psql
	need passwd have useradd
	# kb-pick runs fzf; its test drives it in a tmux session.
	need fzf have fzf
	need tmux have tmux
	need chromium have chromium
	need python3 have python3
}
group_bench() {
	group_build
	need sqlite3 have sqlite3
	need postgresql-15 test -x /usr/lib/postgresql/15/bin/initdb
	need postgresql-client-15 have psql
	# make eval's peer engine and its variants: Debian's Python, not one on PATH.
	need python3-xapian /usr/bin/python3 -c 'import xapian'
}
group_fuzz() {
	group_build
	need clang have clang
	need libclang-rt-14-dev sh -c 'ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a'
}

[ $# -gt 0 ] || set -- build
for g; do
	case $g in
	build | test | bench | fuzz) "group_$g" ;;
	*) echo "$prog: unknown group '$g' (build, test, bench, fuzz)" >&2; exit 2 ;;
	esac
done
# Each package once, in a stable order.
missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
missing=${missing% }
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! have apt-get >/dev/null; then
	echo "kefu: missing packages; as root, run:" >&2
	echo "  apt-get install $missing" >&2
	exit 2
fi
echo "kefu: installing $missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet: fetch them first, and again
# when the ones there are too old to name what is needed.
lists() {
	apt-get update -q >/dev/null || { echo "kefu: apt-get update failed" >&2; exit 2; }
}
ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 || lists
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	{ lists && apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
	{ echo "kefu: apt-get install $missing failed" >&2; exit 2; }
