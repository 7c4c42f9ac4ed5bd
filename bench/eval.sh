#!/bin/sh
# bench/eval.sh: search quality of kb-search on the development sets in
# ../shared/eval (beside the project), as `make eval` runs it.
#
# For each set: a fresh desk from entries.jsonl, every query of queries.tsv
# through `kb-search -n 10 QUERY` (a process each), and the rank of the
# expected id; then the same entries and queries in two other engines: a
# plain SQLite FTS5 trigram table queried with each query's trigrams OR-ed,
# ranked by bm25 with kefu's weights (title 10, keywords 8, answer 1), the
# baseline; and Xapian (xapian-peer.py), the peer. Each set is scored as
# it is and in robustness variants made at run time with a fixed seed
# (variants.py: a typo, a wrong character, filler words), never stored.
# Prints MRR@10, Recall@1 and Recall@5 per set, variant and method, then
# kefu's paired difference from each other method with a bootstrap
# interval, and writes every query's rank to a file whose path it prints.
# Always exits 0 once it ran; 2 when it cannot run.
#
# Environment:
#   KEFU_BIN      the commands (default: bin/ beside bench/)
#   EVAL_DIR      the sets (default: $KEFU_SRC/../shared/eval)
#   EVAL_SETS     only these sets, by name, space-separated
#   EVAL_VARIANTS only these variants (default: as typed, typo, char, filler)
#   EVAL_PYTHON   the Python that has Debian's xapian module
#                 (default /usr/bin/python3, not a pyenv one on PATH)
#   EVAL_KEEP     when set, keep the desks and databases built (for study)
set -u

prog=eval
here=$(cd "$(dirname "$0")" && pwd)
: "${KEFU_SRC:=$(dirname "$here")}"
: "${KEFU_BIN:=$KEFU_SRC/bin}"
: "${KEFU_USER:=eval@example.com}"
: "${EVAL_DIR:=$KEFU_SRC/../shared/eval}"
: "${EVAL_PYTHON:=/usr/bin/python3}"
: "${EVAL_VARIANTS:=typed typo char filler}"
export KEFU_USER
unset KEFU_DIR KEFU_NOW
[ -d "$KEFU_BIN" ] || { echo "$prog: no directory '$KEFU_BIN' (KEFU_BIN)" >&2; exit 2; }
KEFU_BIN=$(cd "$KEFU_BIN" && pwd)
tab=$(printf '\t')

die() {
	echo "$prog: $*" >&2
	exit 2
}
note() {
	echo "$prog: $*" >&2
}
for c in kb-init kb-index kb-search; do
	[ -x "$KEFU_BIN/$c" ] || die "no '$KEFU_BIN/$c': run make first"
done
for c in git jq sqlite3; do
	command -v $c >/dev/null || die "$c is needed"
done
[ -d "$EVAL_DIR" ] || die "no evaluation sets in '$EVAL_DIR'"
EVAL_DIR=$(cd "$EVAL_DIR" && pwd)
echo 'CREATE VIRTUAL TABLE t USING fts5(x, tokenize=trigram);' | sqlite3 :memory: 2>/dev/null ||
	die "this sqlite3 lacks FTS5 or its trigram tokenizer"
# Without Python there are no variants; without its xapian module, no peer.
python=
if [ -x "$EVAL_PYTHON" ]; then
	python=$EVAL_PYTHON
else
	note "warning: no '$EVAL_PYTHON': the sets only as typed, and no peer"
	EVAL_VARIANTS=typed
fi
peer=
if [ -n "$python" ] && "$python" -c 'import xapian' 2>/dev/null; then
	peer=xapian
else
	note "warning: no xapian module for '$EVAL_PYTHON' (Debian: python3-xapian): no peer"
fi

# Results stay in $out; the desks go to scratch space, a tmpfs when there
# is one (thousands of small files are slow to create on some disks).
out=$(mktemp -d "${TMPDIR:-/tmp}/kefu-eval.XXXXXX") || die "cannot create a temporary directory"
if [ -n "${EVAL_KEEP:-}" ]; then
	scratch=$out
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then
	scratch=$(mktemp -d /dev/shm/kefu-eval.XXXXXX)
else
	scratch=$(mktemp -d "$out/scratch.XXXXXX")
fi
[ -n "$scratch" ] || die "cannot create a scratch directory"
[ -z "${EVAL_KEEP:-}" ] && trap 'rm -rf "$scratch"' EXIT
trap 'exit 2' HUP INT TERM
ranks=$out/ranks.tsv
: >"$ranks"
: >"$out/summary.tsv"

now() {
	date +%s.%N
}
since() {
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f\n", b - a }'
}

# YAML entries from JSON Lines: one line per entry, "path<TAB>line<TAB>line...",
# written out by awk. Every string is a JSON string, which is also a valid
# YAML double-quoted scalar whatever it holds, and never holds a raw tab or
# newline; so the tab separates lines safely.
yaml_lines='
	def q: tojson;
	"kb/\(.category)/\(.id).yaml\tid: \(.id | q)\ttitle: \(.title | q)\tcategory: \(.category | q)"
	+ (if (.keywords // []) | length > 0
	   then "\tkeywords: [\(.keywords | map(q) | join(", "))]" else "" end)
	+ "\tanswer: \(.answer | q)"'

# The baseline table, as SQL; keywords are joined one a line.
sql_load='
	def s: "\u0027" + gsub("\u0027"; "\u0027\u0027") + "\u0027";
	"INSERT INTO t VALUES(\(.id | s), \(.title | s), \((.keywords // []) | join("\n") | s), \(.answer | s));"'

# Baseline queries, one SELECT each after a marker row (char 30 and the
# query number). Trigrams as FTS5 strings OR-ed; a query shorter than three
# characters has no trigram, so it is a substring match (LIKE) instead,
# title matches first.
sql_queries='
	def s: "\u0027" + gsub("\u0027"; "\u0027\u0027") + "\u0027";
	def fts: "\"" + gsub("\""; "\"\"") + "\"";
	def like: "%" + gsub("(?<c>[%_\\\\])"; "\\\(.c)") + "%";
	[inputs] | to_entries[] | (.key + 1) as $k | (.value | split("\t")[0]) as $q |
	"SELECT char(30) || \u0027\($k)\u0027;",
	if ($q | length) >= 3 then
		($q | explode) as $c |
		[range(0; ($c | length) - 2) | $c[.:. + 3] | implode] | unique | map(fts) |
		join(" OR ") |
		"SELECT id FROM t WHERE t MATCH \(s) ORDER BY bm25(t, 0, 10, 8, 1) LIMIT 10;"
	elif ($q | length) > 0 then
		($q | like | s) as $p |
		"SELECT id FROM t WHERE title LIKE \($p) ESCAPE \u0027\\\u0027" +
		" OR keywords LIKE \($p) ESCAPE \u0027\\\u0027 OR answer LIKE \($p) ESCAPE \u0027\\\u0027" +
		" ORDER BY (title LIKE \($p) ESCAPE \u0027\\\u0027) DESC, length(title), rowid LIMIT 10;"
	else empty end'

# score SET VARIANT METHOD QUERIES RESULTS SECONDS: ranks from RESULTS
# (marker lines "\036k" then the ids found, best first) appended to
# $ranks, the summary line to $out/summary.tsv.
score() {
	awk -F"$tab" -v set="$1" -v variant="$2" -v method="$3" -v secs="$6" -v ranks="$ranks" '
	FNR == NR { q[FNR] = $1; want[FNR] = $2; nq = FNR; next }
	/^\036/ { cur = substr($0, 2) + 0; pos = 0; next }
	{
		pos++
		if (pos == 1) top[cur] = $1
		if ($1 == want[cur] && !(cur in rank)) rank[cur] = pos
	}
	END {
		for (i = 1; i <= nq; i++) {
			r = (i in rank) ? rank[i] : 0
			if (r >= 1 && r <= 10) mrr += 1 / r
			r1 += r == 1
			r5 += r >= 1 && r <= 5
			printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", set, variant, method, q[i], want[i],
				r ? r : "-", (i in top) ? top[i] : "-" >> ranks
		}
		printf "%s\t%s\t%s\t%d\t%.4f\t%.4f\t%.4f\t%s\n", set, variant, method, nq,
			nq ? mrr / nq : 0, nq ? r1 / nq : 0, nq ? r5 / nq : 0, secs
	}' "$4" "$5" >>"$out/summary.tsv"
}

# The variants that change a set's queries: a typo where most queries have
# an English word of four letters or more, a wrong character where most
# have Chinese ones, filler words always.
variants_of() {
	awk -F"$tab" -v want="$EVAL_VARIANTS" '
		{ n++; latin += $1 ~ /[A-Za-z][A-Za-z][A-Za-z][A-Za-z]/; cjk += $1 ~ /[\344-\351][\200-\277][\200-\277]/ }
		END {
			k = split(want, w, " ")
			for (i = 1; i <= k; i++) {
				v = w[i]
				if (v == "typed" || v == "filler" || (v == "typo" && latin * 2 >= n) ||
				    (v == "char" && cjk * 2 >= n))
					printf "%s ", v
			}
		}' "$1"
}

sets=${EVAL_SETS:-$(cd "$EVAL_DIR" && for d in */; do printf '%s ' "${d%/}"; done)}
for set in $sets; do
	src=$EVAL_DIR/$set
	[ -f "$src/entries.jsonl" ] && [ -f "$src/queries.tsv" ] || die "'$src' is not a set"
	ne=$(awk 'END { print NR }' "$src/entries.jsonl")
	work=$scratch/$set
	desk=$work/desk
	mkdir -p "$work" || die "cannot create '$work'"

	# --- kefu ---------------------------------------------------------
	# Committed without the kefu hook (kb-index --full follows) and without
	# git's automatic gc, which would run in the background meanwhile.
	t0=$(now)
	"$KEFU_BIN/kb-init" "$desk" >/dev/null || die "kb-init '$desk' failed"
	(
		cd "$desk" || exit 2
		jq -r '.category' "$src/entries.jsonl" | LC_ALL=C sort -u | while IFS= read -r c; do
			case $c in
			'' | . | .. | */*) echo "$prog: bad category '$c'" >&2; exit 2 ;;
			esac
			mkdir -p "kb/$c" || exit 2
		done &&
		jq -r "$yaml_lines" "$src/entries.jsonl" |
			LC_ALL=C awk -F"$tab" '{ for (i = 2; i <= NF; i++) print $i > $1; close($1) }' &&
		git add -A &&
		git -c core.hooksPath=/dev/null -c gc.auto=0 -c user.name=eval \
			-c user.email="$KEFU_USER" commit -q -m "eval: $set"
	) || die "cannot build the desk for $set"
	t_desk=$(since "$t0")
	t0=$(now)
	(cd "$desk" && "$KEFU_BIN/kb-index" --full -v) >"$work/index.out" 2>"$work/index.err" ||
		die "kb-index --full failed on $set: $(head -3 "$work/index.err")"
	t_index=$(since "$t0")
	indexed=$(sed -n 's/.*: \([0-9]*\) entries.*/\1/p' "$work/index.out")
	skipped=$(sed -n 's/.* \([0-9]*\) skipped.*/\1/p' "$work/index.out")
	note "$set: $ne entries written in ${t_desk}s, indexed in ${t_index}s: $indexed indexed, $skipped skipped"
	if [ "$indexed" != "$ne" ] || [ "$skipped" != 0 ]; then
		note "warning: $set: not every entry was indexed:"
		head -5 "$work/index.err" >&2
	fi

	# --- the baseline's table -----------------------------------------
	t0=$(now)
	{
		echo "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		echo "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, keywords, answer, tokenize='trigram');"
		echo "BEGIN;"
		jq -r "$sql_load" "$src/entries.jsonl"
		echo "COMMIT;"
	} | sqlite3 -batch "$work/trigram.db" >/dev/null 2>"$work/trigram-load.err" ||
		die "cannot build the trigram table for $set: $(head -3 "$work/trigram-load.err")"
	note "$set: trigram table built in $(since "$t0")s"

	# --- the variants of the queries, made now, never stored -----------
	vars=$(LC_ALL=C variants_of "$src/queries.tsv")
	for v in $vars; do
		if [ "$v" = typed ]; then
			cp "$src/queries.tsv" "$work/q-$v.tsv"
		else
			LC_ALL=C.UTF-8 "$python" "$here/variants.py" "$v" <"$src/queries.tsv" \
				>"$work/q-$v.tsv" || die "cannot make the $v variant of $set"
		fi
	done

	# --- the peer: every variant in one process -------------------------
	if [ -n "$peer" ]; then
		t0=$(now)
		qfiles=
		for v in $vars; do qfiles="$qfiles $work/q-$v.tsv"; done
		# shellcheck disable=SC2086
		"$python" "$here/xapian-peer.py" "$src/entries.jsonl" $qfiles 2>"$work/xapian.err" ||
			die "xapian-peer.py failed on $set: $(head -3 "$work/xapian.err")"
		t_peer=$(since "$t0")
	fi

	for v in $vars; do
		qs=$work/q-$v.tsv
		t0=$(now)
		(
			cd "$desk" || exit 2
			k=0
			while IFS="$tab" read -r q want || [ -n "$q" ]; do
				k=$((k + 1))
				printf '\036%s\n' "$k"
				"$KEFU_BIN/kb-search" -n 10 -- "$q" </dev/null
			done <"$qs"
		) >"$work/kefu-$v.out" 2>"$work/kefu-$v.err"
		t_kefu=$(since "$t0")
		[ -s "$work/kefu-$v.err" ] &&
			note "warning: $set $v: kb-search complained $(wc -l <"$work/kefu-$v.err") times, first: $(head -1 "$work/kefu-$v.err")"
		score "$set" "$v" kefu "$qs" "$work/kefu-$v.out" "$t_kefu"

		t0=$(now)
		jq -R -r -n "$sql_queries" "$qs" >"$work/trigram-$v.sql" ||
			die "cannot write the trigram queries for $set"
		sqlite3 -batch -noheader "$work/trigram.db" <"$work/trigram-$v.sql" \
			>"$work/trigram-$v.out" 2>"$work/trigram-$v.err"
		t_tri=$(since "$t0")
		[ -s "$work/trigram-$v.err" ] &&
			note "warning: $set $v: sqlite3 complained: $(head -1 "$work/trigram-$v.err")"
		score "$set" "$v" trigram "$qs" "$work/trigram-$v.out" "$t_tri"

		# The peer's time is its index and every variant's queries at once.
		[ -n "$peer" ] && score "$set" "$v" "$peer" "$qs" "$qs.out" "$t_peer"
	done
done

echo
awk -F"$tab" 'BEGIN {
	printf "%-18s %-7s %-8s %7s %7s %7s %7s %9s\n", "set", "variant", "method", "queries", "MRR@10", "R@1", "R@5", "time (s)"
}
{ printf "%-18s %-7s %-8s %7d %7.3f %7.3f %7.3f %9.1f\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$out/summary.tsv"
# Paired: each query's reciprocal rank under kefu less under another
# method, their mean, and a bootstrap interval over queries (fixed seed,
# so the same ranks print the same interval).
for other in trigram $peer; do
	echo
	echo "kefu less $other, MRR@10: mean of the paired differences, 95% bootstrap interval"
	awk -F"$tab" -v boots=1000 -v other="$other" '
	function rr(r) { return r == "-" ? 0 : 1 / r }
	{ key = $1 SUBSEP $2 }
	$3 == "kefu" { k[key, ++nk[key]] = rr($6); if (!(key in seen)) { seen[key] = 1; order[++ns] = key } }
	$3 == other { t[key, ++nt[key]] = rr($6) }
	END {
		srand(1)
		for (s = 1; s <= ns; s++) {
			key = order[s]; n = nk[key]
			if (n != nt[key] || n == 0)
				continue
			sum = 0; up = 0; down = 0
			for (i = 1; i <= n; i++) {
				d[i] = k[key, i] - t[key, i]
				sum += d[i]; up += d[i] > 0; down += d[i] < 0
			}
			for (b = 1; b <= boots; b++) {
				m = 0
				for (i = 1; i <= n; i++)
					m += d[int(rand() * n) + 1]
				mean[b] = m / n
			}
			# insertion sort: a thousand values
			for (i = 2; i <= boots; i++) {
				v = mean[i]
				for (j = i - 1; j >= 1 && mean[j] > v; j--)
					mean[j + 1] = mean[j]
				mean[j + 1] = v
			}
			split(key, kv, SUBSEP)
			printf "%-18s %-7s %+7.3f  [%+.3f, %+.3f]  better for %d queries, worse for %d\n",
				kv[1], kv[2], sum / n, mean[int(boots * 0.025) + 1], mean[int(boots * 0.975)], up, down
		}
	}' "$ranks"
done
echo
echo "per-query ranks (set, variant, method, query, expected, rank, top 1): $ranks"
[ -n "${EVAL_KEEP:-}" ] && echo "desks and trigram databases kept in: $scratch"
exit 0
