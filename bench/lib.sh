# bench/lib.sh: what the benchmark scripts share; sourced after prog= and
# here= are set. Sets KEFU_SRC, KEFU_BIN (absolute), KEFU_USER, timer
# (spawn-time, compiled on demand) and tmp (a scratch directory removed
# on exit, on /dev/shm when there is one).

: "${KEFU_SRC:=$(dirname "$here")}"
: "${KEFU_BIN:=$KEFU_SRC/bin}"
: "${KEFU_USER:=bench@example.com}"
export KEFU_USER
unset KEFU_DIR KEFU_NOW

die() {
	echo "$prog: $*" >&2
	exit 2
}
note() {
	echo "$prog: $*" >&2
}

[ -d "$KEFU_BIN" ] || die "no directory '$KEFU_BIN' (KEFU_BIN)"
KEFU_BIN=$(cd "$KEFU_BIN" && pwd)

build=$KEFU_SRC/build/bench
mkdir -p "$build" || die "cannot create '$build'"
timer=$build/spawn-time
if [ ! -x "$timer" ] || [ "$here/spawn-time.c" -nt "$timer" ]; then
	cc -O2 -o "$timer" "$here/spawn-time.c" || die "cannot compile spawn-time.c"
fi

# A tmpfs is preferred: on this project's CI disks, creating a file costs
# about a millisecond, so writing 100,000 entries and their git objects
# there would take minutes; search and index figures are unaffected once
# cached.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	tmp=$(mktemp -d /dev/shm/kefu-$prog.XXXXXX)
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/kefu-$prog.XXXXXX")
fi
[ -n "$tmp" ] || die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# fig NAME VALUE UNIT OP LIMIT: one figure line; OP is le, ge or - (none).
fig() {
	awk -v name="$1" -v v="$2" -v unit="$3" -v op="$4" -v lim="$5" 'BEGIN {
		target = op == "le" ? "<= " lim : op == "ge" ? ">= " lim : "-"
		ok = op == "le" ? v + 0 <= lim + 0 : op == "ge" ? v + 0 >= lim + 0 : 1
		printf "%s\t%s\t%s\t%s\t%s\n", name, v, unit, target, ok ? "ok" : "MISS"
	}'
}

# pct FILE WHAT: the median (WHAT=50) or nearest-rank percentile of the
# microsecond values in FILE, in milliseconds.
pct() {
	sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END {
		if (!NR) { print "nan"; exit }
		if (p == 50)
			x = (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2
		else {
			r = int(NR * p / 100); if (r < NR * p / 100) r++; if (r < 1) r = 1
			x = v[r]
		}
		printf "%.2f\n", x / 1000
	}'
}
