#!/bin/sh
# Documentation: every command has a man page, completions for bash, zsh
# and fish, a mention in the README, and a --help that agrees with its
# SYNOPSIS; every page passes mandoc's lint.
. "$(dirname "$0")/lib.sh"

SRC=$KEFU_SRC
BASH_COMP=$SRC/completions/bash/kefu
ZSH_COMP=$SRC/completions/zsh/_kefu
FISH_COMP=$SRC/completions/fish/kefu.fish

# TAP for known gaps.
test_todo() {
	test_count=$((test_count + 1))
	echo "not ok $test_count - $1 # TODO $2"
}

have() {
	command -v "$1" >/dev/null 2>&1
}

# The commands: one src/cmd/NAME.c each.
cmds=
for f in "$SRC"/src/cmd/*.c; do
	[ -f "$f" ] || continue
	f=${f##*/}
	cmds="$cmds ${f%.c}"
done

# The option flags of a page's SYNOPSIS, one a line: "Fl qv" gives -q and
# -v, "Fl -full" gives --full.
synopsis_flags() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$1" |
	awk '{
		for (i = 1; i < NF; i++) {
			if ($i != "Fl")
				continue
			f = $(i + 1)
			gsub(/\\/, "", f)
			if (f ~ /^-[a-z0-9][a-z0-9-]*$/)
				print "-" f
			else if (f ~ /^[A-Za-z0-9]+$/)
				for (j = 1; j <= length(f); j++)
					print "-" substr(f, j, 1)
		}
	}'
}

# The options --help lists: its lines that start with blanks and a dash.
help_options() {
	grep -E '^[[:space:]]+-' "$1" | grep -oE -- '(^|[[:space:],])--?[A-Za-z0-9][A-Za-z0-9-]*' |
	sed 's/^[[:space:],]*//' | sort -u
}

test_expect_success 'there are commands to document' '
	test -n "$cmds"
'


# What each completion offers a command, as text to look for options in:
# bash's opts list for it, zsh's branch of _kefu for it, fish's lines
# complete -c CMD.
bash_opts() {
	awk -v cmd="$1" '/^\t[a-z| -]+\) opts=/ {
		split($0, a, ")"); n = split(a[1], names, /[| \t]+/)
		for (i = 1; i <= n; i++) if (names[i] == cmd) print
	}' "$BASH_COMP"
}
zsh_branch() {
	awk -v cmd="$1" '/^    \([a-z| -]+\)$/ {
		on = 0; l = $0; gsub(/[()]/, "", l); n = split(l, names, /[| ]+/)
		for (i = 1; i <= n; i++) if (names[i] == cmd) on = 1
	} on' "$ZSH_COMP"
}
fish_lines() {
	grep -E "^complete -c $1 " "$FISH_COMP"
}

for cmd in $cmds; do
	page=$SRC/man/$cmd.1

	test_expect_success "$cmd: a man page man/$cmd.1" '
		test -f "$page"
	'

	test_expect_success "$cmd: in the bash, zsh and fish completions" '
		for f in "$BASH_COMP" "$ZSH_COMP" "$FISH_COMP"; do
			grep -qE "(^|[^a-z-])$cmd([^a-z-]|\$)" "$f" ||
			{ echo "$f does not complete $cmd"; exit 1; }
		done
	'

	if [ -f "$SRC/README.md" ]; then
		test_expect_success "$cmd: mentioned in README.md" '
			grep -qE "(^|[^a-z-])$cmd([^a-z-]|\$)" "$SRC/README.md"
		'
	else
		test_todo "$cmd: mentioned in README.md" "no README.md yet"
	fi

	# Its --help is read once, here, and kept for the tests after it.
	help=$TEST_DIR/help-$cmd
	test_expect_success "$cmd --help: exit 0, on stdout only" '
		"$cmd" --help >"$help" 2>help.err &&
		test -s "$help" && test ! -s help.err
	'

	test_expect_success "$cmd: every flag of the SYNOPSIS is in --help" '
		test -s "$help" &&
		synopsis_flags "$page" >flags &&
		test -s flags &&
		while read -r flag; do
			case $flag in
			--*) grep -qE -- "$flag([^A-Za-z0-9-]|\$)" "$help" ;;
			*) grep -qE -- "^[[:space:]]+$flag[,[:space:]]" "$help" ;;
			esac || { echo "$flag is in the SYNOPSIS of $cmd.1 but not in --help"; exit 1; }
		done <flags
	'

	test_expect_success "$cmd: every option of --help is in the man page" '
		test -s "$help" &&
		help_options "$help" >opts &&
		test -s opts &&
		while read -r opt; do
			case $opt in
			--*) grep -qE -- "Fl \\\\?${opt#-}([^A-Za-z0-9-]|\$)" "$page" ;;
			*) grep -qE -- "Fl ${opt#-}([^A-Za-z0-9-]|\$)" "$page" ;;
			esac || { echo "$opt is in $cmd --help but not in $cmd.1"; exit 1; }
		done <opts
	'

	test_expect_success "$cmd: every option of --help is completed by bash, zsh and fish" '
		test -s "$help" &&
		help_options "$help" >opts &&
		bash_opts "$cmd" >bash.opts && zsh_branch "$cmd" >zsh.opts && fish_lines "$cmd" >fish.opts &&
		while read -r opt; do
			case $opt in
			-h | --help | --version | -C | --directory) continue ;; # offered to every command
			--*) fish="-l ${opt#--}" zsh="$opt" ;;
			*) fish="-s ${opt#-}" zsh="$opt" ;;
			esac
			grep -qE -- "[ '"'"']$opt( |'"'"')" bash.opts || { echo "bash does not offer $cmd $opt"; exit 1; }
			grep -qE -- "[{'"'"'(),*]$zsh[]+=,}[]" zsh.opts || { echo "zsh does not offer $cmd $opt"; exit 1; }
			grep -qE -- "$fish( |\$)" fish.opts || { echo "fish does not offer $cmd $opt"; exit 1; }
		done <opts
	'
done

# Names that look like kefu's own, a command or a kefu-* page; not a
# mail address (kb-review@example.com) nor a file (.Pa ticket-seq).
kefu_names() {
	cat "$@" | grep -v "^\.Pa " |
	grep -oE '(^|[^A-Za-z0-9_./-])(kb|ticket|sla|agent|kefu)-[a-z]+([^a-z@-]|$)' |
	sed 's/^[^a-z]//; s/[^a-z]$//' | sort -u
}
ls "$SRC"/man/*.[157] | sed 's|.*/||; s|\.[157]$||' | sort >"$TEST_DIR/pages"

test_expect_success 'every .Xr to a kefu page names a page that exists' '
	for f in "$SRC"/man/*.[157]; do
		sed -n "s/^\.Xr \([^ ]*\) \([0-9]\).*/\1 \2/p" "$f" |
		while read -r name sec; do
			case $name in kb-* | ticket-* | sla-* | agent-* | kefu*) ;; *) continue ;; esac
			test -f "$SRC/man/$name.$sec" || echo "${f##*/}: .Xr $name $sec: no such page"
		done
	done >dangling &&
	test ! -s dangling || { cat dangling; exit 1; }
'

test_expect_success 'every command a --help names exists' '
	for cmd in $cmds; do cat "$TEST_DIR/help-$cmd" || exit 1; done >helps &&
	kefu_names helps | grep -vxFf "$TEST_DIR/pages" >unknown;
	test ! -s unknown || { echo "named in --help, but no such command:"; cat unknown; exit 1; }
'

test_expect_success 'every kefu name in the pages and the README is a page or a command' '
	# the files kefu keeps in .kefu/ (ticket-seq) are named, not commands
	grep -ohE "\.kefu/[a-z-]+" "$SRC"/man/*.[157] "$SRC/README.md" |
		sed "s|^\.kefu/||" | sort -u | cat "$TEST_DIR/pages" - >known &&
	kefu_names "$SRC"/man/*.[157] "$SRC/README.md" |
		grep -vxFf known >unknown;
	test ! -s unknown || { echo "no page and no command:"; cat unknown; exit 1; }
'

# The quick start is two commands, the demo and the tests; CI runs the
# second verbatim.
test_expect_success 'the README quick start is two commands, and .ci/run runs the second' '
	sed -n "/^## Quick start/,/^## /p" "$SRC/README.md" |
		sed -n "s/^    \(.*[^ ]\) *# .*/\1/p; t; s/^    \(..*\)/\1/p" >quick &&
	test_line_count quick = 2 &&
	grep -q "make demo" quick && grep -q "make check" quick &&
	sed -n 2p quick >test-cmd &&
	grep -vE "^(#|set |cd )" "$SRC/.ci/run" | grep -v "^\$" >ci-cmd &&
	test_cmp test-cmd ci-cmd
'

if have mandoc; then
	test_expect_success 'mandoc -Tlint -W warning is clean for every page' '
		set -- "$SRC"/man/*.[157] &&
		test -f "$1" || exit 1
		mandoc -Tlint -W warning "$@" >lint 2>&1
		test ! -s lint || { cat lint; exit 1; }
	'
else
	test_skip "mandoc not installed: the pages are not linted"
fi

if have bash; then
	test_expect_success 'the bash completion is valid bash' '
		bash -n "$BASH_COMP"
	'

	# complete_bash DIR WORD...: what the completion offers for the last
	# WORD, run in DIR, one a line; the function is the one bound to the
	# command, found with complete -p.
	complete_bash() {
		(cd "$1" && shift && bash -c '
			comp=$1
			shift
			. "$comp" || exit 1
			fn=$(complete -p "$1" | sed -n "s/.* -F \\([^ ]*\\) .*/\\1/p")
			[ -n "$fn" ] || { echo "no completion function for $1" >&2; exit 1; }
			COMP_WORDS=("$@")
			COMP_CWORD=$(($# - 1))
			COMP_LINE="$*"
			COMP_POINT=${#COMP_LINE}
			COMPREPLY=()
			prev=
			[ $# -gt 1 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
			"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "$prev"
			printf "%s\n" "${COMPREPLY[@]}"
		' complete_bash "$BASH_COMP" "$@")
	}

	test_expect_success 'bash completes kb-search --ca with --category' '
		complete_bash . kb-search --ca >offered &&
		grep -qx -- --category offered
	'

	test_expect_success 'bash completes the entry ids of a sample desk for kb-show' '
		sample_desk s &&
		complete_bash s kb-show "" >offered &&
		grep -qx refund-7day offered &&
		complete_bash s/kb kb-show ref >offered &&
		grep -qx refund-7day offered && ! grep -v "^ref" offered
	'

	test_expect_success 'bash completes categories, tags and revisions from the desk' '
		complete_bash s kb-search -c "" >offered &&
		grep -qx 售后服务 offered &&
		complete_bash s kb-search --tag 高 >offered &&
		grep -qx 高频 offered &&
		complete_bash s kb-show --at "" >offered &&
		grep -qx main offered
	'

	test_expect_success 'bash finds the desk with -C and $KEFU_DIR' '
		complete_bash . kb-show -C s refund- >offered &&
		grep -qx refund-7day offered &&
		(KEFU_DIR=$TEST_DIR/s && export KEFU_DIR &&
		 complete_bash . kb-show refund-) >offered &&
		grep -qx refund-7day offered
	'

	test_expect_success 'bash completes kb-show --sa, and your own entries for kb-mine -r' '
		complete_bash s kb-show --sa >offered &&
		echo --say >expect && test_cmp expect offered &&
		printf "id: my-words\ntitle: 我的\ncategory: 个人\nanswer: 好。\n" >my.yaml &&
		kb-mine -C s -a "$TEST_DIR/my.yaml" >/dev/null &&
		complete_bash s kb-mine -r "" >offered &&
		echo my-words >expect && test_cmp expect offered &&
		complete_bash s kb-pick --no >offered &&
		echo --no-personal >expect && test_cmp expect offered
	'
else
	test_skip "bash not installed: the bash completion is not checked"
fi

# make check installs zsh and fish: a completion is never left unchecked.
test_expect_success 'the zsh completion is valid zsh' '
	have zsh || { echo "zsh is not installed (make check installs it)"; exit 1; }
	zsh -n "$ZSH_COMP" &&
	head -n 1 "$ZSH_COMP" | grep -q "^#compdef "
'


test_expect_success 'the fish completion is valid fish' '
	have fish || { echo "fish is not installed (make check installs it)"; exit 1; }
	fish -n "$FISH_COMP"
'
if have fish; then

	test_expect_success 'fish completes options, ids and categories' '
		[ -d s ] || sample_desk s &&
		(cd s && fish -c "source \"\$argv[1]\"; complete -C \"kb-search --ca\"; complete -C \"kb-show refund-\"; complete -C \"kb-search -c 售\"" "$FISH_COMP") >offered &&
		grep -q "^--category" offered &&
		grep -q "^refund-7day" offered &&
		grep -q "^售后服务" offered
	'

	test_expect_success 'fish completes kb-show --say and your own entries for kb-mine -r' '
		[ -d s ] || sample_desk s &&
		printf "id: my-words\ntitle: 我的\ncategory: 个人\nanswer: 好。\n" >my.yaml &&
		kb-mine -C s -a "$TEST_DIR/my.yaml" >/dev/null &&
		(cd s && fish -c "source \"\$argv[1]\"; complete -C \"kb-show --sa\"; complete -C \"kb-mine -r \"" "$FISH_COMP") >offered &&
		grep -q "^--say" offered &&
		grep -q "^my-words" offered
	'
fi

test_done
