#!/bin/sh
# The EXAMPLES of every section 1 page work: the "$ " lines of their
# literal blocks run in order, each with sh -c from the top directory of a
# fresh sample desk (one desk per page), and exit 0, or N when the line
# ends with the comment "# exit N". Other lines are shown output.
. "$(dirname "$0")/lib.sh"

# The command lines of a page's EXAMPLES, mdoc escapes undone.
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
		/^\.Sh / { ex = ($0 == ".Sh EXAMPLES"); lit = 0; next }
		ex && /^\.Bd -literal/ { lit = 1; next }
		ex && /^\.Ed/ { lit = 0; next }
		ex && lit && /^\$ / { print unescape(substr($0, 3)) }
	' "$1"
}

# The exit status a line wants: N from a trailing "# exit N", else 0.
wanted_status() {
	n=$(printf '%s\n' "$1" |
		sed -n 's/.*[[:space:]]#[[:space:]]*exit[[:space:]][[:space:]]*\([0-9][0-9]*\)[[:space:]]*$/\1/p')
	echo "${n:-0}"
}

set -- "$KEFU_SRC"/man/*.1
first_page=$1
test_expect_success 'there are section 1 pages' '
	test -f "$first_page"
'

for page; do
	[ -f "$page" ] || continue
	name=${page##*/}
	desk=$TEST_DIR/desk-${name%.1}

	examples "$page" >"$TEST_DIR/$name.examples"
	test_expect_success "$name: EXAMPLES has commands to run" '
		test -s "$TEST_DIR/$name.examples" &&
		sample_desk "$desk"
	'
	[ -d "$desk" ] || continue

	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		want=$(wanted_status "$line")
		# The name without the comment, since a "#" would read as a TAP
		# directive, and with backslashes doubled for lib.sh's echo.
		title=$(printf '%s\n' "$line" | sed -e 's/[[:space:]]*#.*$//' -e 's/\\/\\\\/g')
		test_expect_success "$name example $n (exit $want): $title" '
			(cd "$desk" && sh -c "$line" </dev/null >"$TEST_DIR/ex.out" 2>"$TEST_DIR/ex.err")
			got=$?
			if [ "$got" -ne "$want" ]; then
				echo "\$ $line"
				echo "exited $got, wanted $want; its output:"
				cat "$TEST_DIR/ex.out" "$TEST_DIR/ex.err"
				exit 1
			fi
		'
	done <"$TEST_DIR/$name.examples"
done

test_done
