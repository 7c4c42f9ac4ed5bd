#!/bin/sh
# bench/run.sh: kefu's benchmarks, as `make bench` runs them.
#
# Generates a desk of $BENCH_N synthetic entries (default 100000), then
# measures kb-index --full, kb-search against git grep over a fixed query
# mix and on pasted customer messages (messages.txt), and an incremental
# kb-index after a one-entry commit. Prints one line per figure:
#
#   name <TAB> value <TAB> unit <TAB> target <TAB> ok|MISS
#
# and details (per-query times, progress) on stderr. Exits 0 even when a
# target is missed: a benchmark informs, it does not fail CI. Exits 2 only
# when it cannot run.
#
# Environment:
#   KEFU_BIN         the commands (default: bin/ beside bench/)
#   BENCH_N          entries in the desk (default 100000)
#   BENCH_DIR        the desk: reused when it exists with BENCH_N entries,
#                    generated there (and kept) when absent or empty;
#                    default a temporary directory, removed at the end
#   BENCH_RUNS       kb-search processes per query (default 30)
#   BENCH_GREP_RUNS  git grep processes per query (default 5: each takes
#                    far longer, and 5 runs give a stable median)
#   BENCH_INC_RUNS   incremental index runs, one commit each (default 5)
#   BENCH_FULL       0: skip kb-index --full when reusing an indexed desk
#                    (index_full and its peak RSS are then not printed)
set -u

prog=bench
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
n=${BENCH_N:-100000}
runs=${BENCH_RUNS:-30}
grep_runs=${BENCH_GREP_RUNS:-5}
inc_runs=${BENCH_INC_RUNS:-5}
for v in "$n" "$runs" "$grep_runs" "$inc_runs"; do
	case $v in '' | *[!0-9]* | 0) die "bad count '$v' in BENCH_*" ;; esac
done
for c in kb-init kb-index kb-search kb-propose kb-approve; do
	[ -x "$KEFU_BIN/$c" ] || die "no '$KEFU_BIN/$c': run make first"
done
command -v git >/dev/null || die "git is needed"
rss_tool=/usr/bin/time
[ -x "$rss_tool" ] || rss_tool=

count_entries() {
	find "$1/kb" -type f -name '*.yaml' 2>/dev/null | wc -l | tr -d ' '
}

# --- the desk -------------------------------------------------------------
if [ -n "${BENCH_DIR:-}" ]; then
	desk=$BENCH_DIR
else
	desk=$tmp/desk
fi
if [ -d "$desk/.git" ] && [ -d "$desk/kb" ]; then
	have=$(count_entries "$desk")
	[ "$have" -eq "$n" ] ||
		die "'$desk' holds $have entries, not $n: remove it or set BENCH_N=$have"
	note "reusing the desk in '$desk' ($n entries)"
else
	note "generating $n entries in '$desk'"
	gen=$(KEFU_BIN=$KEFU_BIN sh "$here/gendesk.sh" "$n" "$desk") ||
		die "cannot generate the desk"
	fig gen_desk "$gen" s - -
fi
cd "$desk" || die "cannot enter '$desk'"
desk=$(pwd)
fig entries "$n" count - -

# --- kb-index --full ------------------------------------------------------
if [ "${BENCH_FULL:-1}" = 0 ] && [ -f .kefu/index.db ]; then
	note "kb-index --full skipped (BENCH_FULL=0)"
	"$KEFU_BIN/kb-index" -q || die "kb-index failed"
elif [ -n "$rss_tool" ]; then
	note "kb-index --full"
	"$timer" -w 0 1 "$rss_tool" -f %M -o "$tmp/rss" "$KEFU_BIN/kb-index" --full -q \
		>"$tmp/full" || die "kb-index --full failed"
else
	note "kb-index --full"
	"$timer" -w 0 1 "$KEFU_BIN/kb-index" --full -q >"$tmp/full" ||
		die "kb-index --full failed"
fi
[ -s "$tmp/full" ] &&
	fig index_full "$(awk '{ printf "%.2f\n", $1 / 1e6 }' "$tmp/full")" s le 20
[ -s "$tmp/rss" ] &&
	fig index_full_peak_rss "$(awk '{ printf "%.1f\n", $1 / 1024 }' "$tmp/rss")" MiB - -
fig index_db_size "$(wc -c <.kefu/index.db | awk '{ printf "%.1f\n", $1 / 1048576 }')" MiB - -
# Warm from here on: the index is at main, as after any commit.
indexed=$("$KEFU_BIN/kb-index" -v | sed -n 's/.*: \([0-9]*\) entries.*/\1/p')
[ "$indexed" = "$n" ] || note "warning: $indexed of $n entries indexed"

# --- kb-search against git grep -------------------------------------------
# queries.txt: most queries use words the generator writes; of the last
# four, two are full of FTS5 syntax that must be taken as words and two
# match nothing. tests/1310 checks kb-search on the same mix.
cp "$here/queries.txt" "$tmp/queries" || die "cannot read $here/queries.txt"
: >"$tmp/search.all"
: >"$tmp/grep.all"
note "kb-search x $runs and git grep x $grep_runs per query (ms):"
printf '  %7s %8s %8s %9s  %s\n' hits search p90 "git grep" query >&2
while IFS= read -r q; do
	"$timer" "$runs" "$KEFU_BIN/kb-search" -- "$q" >"$tmp/s1" ||
		note "warning: kb-search failed on '$q'"
	"$timer" "$grep_runs" git grep -i -n -F -e "$q" -- kb/ >"$tmp/g1" ||
		note "warning: git grep failed on '$q'"
	cat "$tmp/s1" >>"$tmp/search.all"
	cat "$tmp/g1" >>"$tmp/grep.all"
	hits=$("$KEFU_BIN/kb-search" -n 10000 -- "$q" | wc -l | tr -d ' ')
	printf '  %7s %8s %8s %9s  %s\n' "$hits" "$(pct "$tmp/s1" 50)" \
		"$(pct "$tmp/s1" 90)" "$(pct "$tmp/g1" 50)" "$q" >&2
done <"$tmp/queries"
s50=$(pct "$tmp/search.all" 50)
g50=$(pct "$tmp/grep.all" 50)
fig search_median "$s50" ms le 2
fig search_p90 "$(pct "$tmp/search.all" 90)" ms - -
fig gitgrep_median "$g50" ms - -
fig search_vs_gitgrep "$(awk -v s="$s50" -v g="$g50" 'BEGIN { printf "%.1f\n", g / s }')" x ge 50

# --- kb-search on pasted messages -----------------------------------------
# A customer's message of 50 to 150 characters, pasted whole: many terms,
# most of them common. git grep has nothing to compare here.
note "kb-search x $runs per pasted message (ms):"
printf '  %7s %8s %8s  %s\n' hits search p90 message >&2
: >"$tmp/paste.all"
while IFS= read -r q; do
	"$timer" "$runs" "$KEFU_BIN/kb-search" -- "$q" >"$tmp/s1" ||
		note "warning: kb-search failed on '$q'"
	cat "$tmp/s1" >>"$tmp/paste.all"
	hits=$("$KEFU_BIN/kb-search" -n 10000 -- "$q" | wc -l | tr -d ' ')
	printf '  %7s %8s %8s  %s\n' "$hits" "$(pct "$tmp/s1" 50)" "$(pct "$tmp/s1" 90)" "$q" >&2
done <"$here/messages.txt"
fig paste_median "$(pct "$tmp/paste.all" 50)" ms le 5
fig paste_p90 "$(pct "$tmp/paste.all" 90)" ms - -

# --- incremental kb-index after a one-entry commit ------------------------
# Hooks off for the commit, so kb-index itself is what is timed, and no
# automatic gc in the background.
note "kb-index after a one-entry commit x $inc_runs"
: >"$tmp/inc"
i=0
for f in $(find kb -type f -name '*.yaml' | LC_ALL=C sort | awk -v k="$inc_runs" 'NR % 997 == 1 && k-- > 0'); do
	i=$((i + 1))
	sed 's/^answer: "\(.*\)"$/answer: "\1 (bench edit '"$i"')"/' "$f" >"$tmp/edit" &&
		cat "$tmp/edit" >"$f" || die "cannot edit '$f'"
	git -c core.hooksPath=/dev/null -c gc.auto=0 -c user.name=bench \
		-c user.email="$KEFU_USER" commit -q -m "bench: edit $f" -- "$f" ||
		die "cannot commit '$f'"
	"$timer" -w 0 1 "$KEFU_BIN/kb-index" >>"$tmp/inc" || die "kb-index failed"
done
fig index_incremental "$(pct "$tmp/inc" 50)" ms le 100

# --- kb-approve of a one-entry proposal ------------------------------------
# Four eyes: the proposals are bench@'s, the approvals a second supervisor's.
approver=bench-approver@example.com
if ! grep -q "$approver" workflows/roles.yaml; then
	printf '  - email: %s\n    name: Bench Approver\n    roles: [supervisor]\n' \
		"$approver" >>workflows/roles.yaml &&
		git -c core.hooksPath=/dev/null -c gc.auto=0 -c user.name=bench \
			-c user.email="$KEFU_USER" commit -q -m "bench: a second supervisor" \
			-- workflows/roles.yaml || die "cannot add a second supervisor"
	"$KEFU_BIN/kb-index" -q || die "kb-index failed"
fi
note "kb-approve of a one-entry proposal x $inc_runs"
: >"$tmp/approve"
i=0
for f in $(find kb -type f -name '*.yaml' | LC_ALL=C sort | awk -v k="$inc_runs" 'NR % 991 == 7 && k-- > 0'); do
	i=$((i + 1))
	cp "$f" "$tmp/orig" &&
		sed 's/^answer: "\(.*\)"$/answer: "\1 (bench proposal '"$i"')"/' "$f" >"$tmp/edit" &&
		cat "$tmp/edit" >"$f" || die "cannot edit '$f'"
	p=$("$KEFU_BIN/kb-propose" -m "bench: proposal $i" "$f") || die "kb-propose failed on '$f'"
	cat "$tmp/orig" >"$f"
	KEFU_USER=$approver "$timer" -w 0 1 "$KEFU_BIN/kb-approve" -m "bench" "$p" >>"$tmp/approve" ||
		die "kb-approve failed on '$p'"
done
fig approve "$(pct "$tmp/approve" 50)" ms le 200
exit 0
