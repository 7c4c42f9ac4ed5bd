#!/bin/sh
# The EXAMPLES of every section 1 page are true: the "$ " lines of their
# literal blocks run in order, each with sh -c from the top directory of
# a fresh copy of the sample desk (one copy per page), exit 0, or N when
# the line ends with the comment "# exit N", and print what the page
# shows after them (standard output and error together).
#
# The clock is fixed, for kefu ($KEFU_NOW, unless the line sets its own)
# and for git, so that dates are the ones the pages show. What a page
# shows may leave out: a line "..." stands for any lines, a line ending
# in "..." for any line that begins as it does, and a commit id (ten hex
# digits or more) for any commit id; blank lines at the end do not count.
. "$(dirname "$0")/lib.sh"

NOW=2026-11-22T14:05:01+08:00
GIT_AUTHOR_DATE=$NOW GIT_COMMITTER_DATE=$NOW
export GIT_AUTHOR_DATE GIT_COMMITTER_DATE

# A page's EXAMPLES as records: "C<TAB>command" for a "$ " line,
# "O<TAB>line" for a line of output after it, mdoc escapes undone.
examples() {
	awk '
		function unescape(s,    out, c, n) {
			out = ""
			while ((n = index(s, "\\")) > 0) {
				out = out substr(s, 1, n - 1)
				c = substr(s, n + 1, 1)
				s = substr(s, n + 2)
				if (c == "e") out = out "\\"
				else if (c == "-") out = out "-"
				else if (c == "&") out = out ""
				else if (c == "(") {
					c = substr(s, 1, 2)
					s = substr(s, 3)
					if (c == "aq") out = out "\047"
					else if (c == "dq") out = out "\""
					else if (c == "ga") out = out "`"
					else if (c == "ti") out = out "~"
					else if (c == "ha") out = out "^"
					else out = out "\\(" c
				} else out = out "\\" c
			}
			return out s
		}
		/^\.Sh / { ex = ($0 == ".Sh EXAMPLES"); lit = 0; cmd = 0; next }
		ex && /^\.Bd -literal/ { lit = 1; cmd = 0; next }
		ex && /^\.Ed/ { lit = 0; cmd = 0; next }
		ex && lit && /^\$ / { print "C\t" unescape(substr($0, 3)); cmd = 1; next }
		ex && lit && cmd { print "O\t" unescape($0) }
	' "$1"
}

# Does the output (file 2) match what the page shows (file 1)?
shown_matches() {
	awk '
		function norm(s) {
			sub(/[ \t]+$/, "", s)
			gsub(/[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]+/, "<commit>", s)
			return s
		}
		function line_ok(e, a) {
			if (e ~ /\.\.\.$/)
				return substr(a, 1, length(e) - 3) == substr(e, 1, length(e) - 3)
			return e == a
		}
		# Can shown lines i.. match output lines j..? (memoised)
		function m(i, j,    k, r) {
			if ((i, j) in memo) return memo[i, j]
			if (i > ne) r = (j > na)
			else if (want[i] == "...") {
				r = 0
				for (k = j; k <= na + 1 && !r; k++) r = m(i + 1, k)
			} else r = (j <= na && line_ok(want[i], out[j]) && m(i + 1, j + 1))
			memo[i, j] = r
			return r
		}
		FNR == NR { want[++ne] = norm($0); next }
		{ out[++na] = norm($0) }
		END {
			while (ne > 0 && want[ne] == "") ne--
			while (na > 0 && out[na] == "") na--
			exit !m(1, 1)
		}
	' "$1" "$2"
}

tab=$(printf '\t')
set -- "$KEFU_SRC"/man/*.1
first_page=$1
test_expect_success 'there are section 1 pages, and a sample desk to run them in' '
	test -f "$first_page" &&
	(export KEFU_NOW=$NOW && sample_desk "$TEST_DIR/sample")
'

# Run the command of record n of a page, and compare.
check_example() { # desk line want expected-file
	(cd "$1" && KEFU_NOW=${KEFU_NOW:-$NOW} sh -c "$2" </dev/null >"$TEST_DIR/ex.out" 2>&1)
	got=$?
	if [ "$got" -ne "$3" ]; then
		echo "\$ $2"
		echo "exited $got, wanted $3; its output:"
		cat "$TEST_DIR/ex.out"
		return 1
	fi
	shown_matches "$4" "$TEST_DIR/ex.out" ||
	diff -u "$4" "$TEST_DIR/ex.out" >"$TEST_DIR/ex.diff" || {
		echo "\$ $2"
		echo "printed what the page does not show (- page, + actual):"
		cat "$TEST_DIR/ex.diff"
		return 1
	}
}

for page; do
	[ -f "$page" ] || continue
	name=${page##*/}
	desk=$TEST_DIR/desk-${name%.1}
	recs=$TEST_DIR/$name.examples
	examples "$page" >"$recs"

	test_expect_success "$name: EXAMPLES has commands to run" '
		grep -q "^C" "$recs" && cp -a "$TEST_DIR/sample" "$desk"
	'
	[ -d "$desk" ] || continue

	# Each command in a file, the output lines after it in another, and
	# a list of them: its number, the exit status it wants (N from a
	# trailing "# exit N", else 0) and its name for TAP, without the
	# comment, since a "#" would read as a TAP directive, and with
	# backslashes doubled for lib.sh's echo. (One awk for the page: the
	# few processes each example would take add up over hundreds.)
	awk -v dir="$TEST_DIR/$name" '
		/^C\t/ {
			n++
			f = dir "." n ".exp"
			printf "" > f
			cmd = substr($0, 3)
			print cmd > (dir "." n ".cmd")
			want = 0
			if (match(cmd, /[ \t]#[ \t]*exit[ \t]+[0-9]+[ \t]*$/)) {
				want = substr(cmd, RSTART)
				gsub(/[^0-9]/, "", want)
			}
			t = cmd
			sub(/[ \t]*#.*$/, "", t)
			title = ""
			for (i = 1; i <= length(t); i++) {
				c = substr(t, i, 1)
				title = title c (c == "\\" ? "\\" : "")
			}
			printf "%d\t%d\t%s\n", n, want, title > (dir ".list")
			next
		}
		/^O\t/ { print substr($0, 3) >> f }
	' "$recs"
	[ -f "$TEST_DIR/$name.list" ] || continue
	while IFS="$tab" read -r n want title <&3; do
		IFS= read -r line <"$TEST_DIR/$name.$n.cmd"
		test_expect_success "$name example $n (exit $want): $title" '
			check_example "$desk" "$line" "$want" "$TEST_DIR/$name.$n.exp"
		'
	done 3<"$TEST_DIR/$name.list"
done

test_done
