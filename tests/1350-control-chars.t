#!/bin/sh
# Control characters in user text never reach the terminal raw: TSV and
# the human printers (kb-show's read-out, ticket-show) write C0 and DEL
# as \xHH and C1 as \u00HH, keeping tabs and, in multi-line text,
# newlines; JSON escapes them as \u00HH.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
export KEFU_NOW=2026-03-02T10:00:00+08:00
ESC=$(printf '\033')
CSI=$(printf '\302\233')   # U+009B, a C1 control
# no_raw FILE: no C0 control but tab and newline, no DEL, no C1, raw.
no_raw() {
	LC_ALL=C tr -d '\t\n' <"$1" | LC_ALL=C grep -c "[[:cntrl:]]" >count
	test "$(cat count)" = 0 || { echo "raw control characters in $1:" >&2; od -c "$1" >&2; return 1; }
	test_must_fail --code=1 grep -F "$CSI" "$1"
}

mkdir -p kb/测试
cat >kb/测试/esc-title.yaml <<\EOT
id: esc-title
title: "转义\e[2J标题\u009b31m红"
category: 测试
answer: "答案\e]0;pwned\a正文\n第二行\t缩进\r回车\x7f删"
EOT
git add -A && git commit -q -m "an entry with escapes"

test_expect_success 'kb-search TSV: ESC as \x1b, C1 as \u009b, nothing raw' '
	kb-search -n 1 转义 >out &&
	no_raw out &&
	cut -f2 out >got &&
	printf "%s\n" "转义\\x1b[2J标题\\u009b31m红" >expect && test_cmp expect got
'

test_expect_success 'kb-search --json: the same as \u001b and \u009b' '
	kb-search -n 1 --json 转义 >out &&
	no_raw out &&
	grep -F "\"title\":\"转义\\u001b[2J标题\\u009b31m红\"" out &&
	jq -r .title out >got && printf "转义\033[2J标题\302\23331m红\n" >expect && test_cmp expect got
'

test_expect_success 'kb-show reads out the text with its lines and tabs, escapes visible' '
	kb-show esc-title >out &&
	no_raw out &&
	printf "%s\n" "答案\\x1b]0;pwned\\x07正文" "第二行	缩进\\x0d回车\\x7f删" >expect &&
	test_cmp expect out &&
	kb-show esc-title refund-7day >out &&
	no_raw out &&
	head -1 out >got && printf "%s\n" "== esc-title: 转义\\x1b[2J标题\\u009b31m红" >expect &&
	test_cmp expect got
'

test_expect_success 'kb-show --say: what is pasted has its escapes visible too' '
	kb-show --say esc-title >out &&
	no_raw out &&
	printf "%s\n" "答案\\x1b]0;pwned\\x07正文" "第二行	缩进\\x0d回车\\x7f删" >expect &&
	test_cmp expect out
'

test_expect_success 'kb-show --json still carries the text exactly' '
	kb-show --json esc-title >out && no_raw out &&
	jq -r .answer out | od -c >got &&
	printf "答案\033]0;pwned\007正文\n第二行\t缩进\r回车\177删\n" | od -c >expect &&
	test_cmp expect got
'

test_expect_success 'ticket-show and ticket-list: a subject with a terminal escape' '
	ticket-open -u c1 -s "A${ESC}[31mRED${CSI}x" "$(printf "第一行\n第二行${ESC}[0m")" >id &&
	ticket-show "$(cat id)" >out &&
	no_raw out &&
	head -1 out >got && printf "%s\n" "$(cat id)  A\\x1b[31mRED\\u009bx" >expect && test_cmp expect got &&
	grep -x "第一行" out && grep -xF "第二行\\x1b[0m" out &&
	ticket-list >out && no_raw out &&
	cut -f9 out >got && printf "%s\n" "A\\x1b[31mRED\\u009bx" >expect && test_cmp expect got &&
	ticket-show --json "$(cat id)" >out && no_raw out &&
	jq -r .subject out >got && printf "A\033[31mRED\302\233x\n" >expect && test_cmp expect got
'

test_expect_success 'ticket-show: a note with an escape in the history' '
	KEFU_USER=zhang.wei@example.com ticket-claim "$(cat id)" >/dev/null &&
	KEFU_USER=zhang.wei@example.com ticket-update --note "注意${ESC}]2;title${ESC}\\" "$(cat id)" &&
	ticket-show "$(cat id)" >out && no_raw out &&
	grep -F "note  \"注意\\x1b]2;title\\x1b\\\"" out
'

test_done
