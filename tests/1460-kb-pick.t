#!/bin/sh
# kb-pick: fzf over kb-search, kb-show as the preview; Enter says the
# script and records its use. Driven by fzf --filter, and by keystrokes
# in a tmux session.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
export KEFU_NOW=2026-03-02T10:00:00+08:00
uses() { ticket-show --json "$1" | jq -r '.events[] | select(.what == "kb-use") | .note'; }

if ! command -v fzf >/dev/null; then
	test_skip "no fzf (Debian's package fzf): sh src/tools/deps.sh test installs it"
	test_done
fi

ticket-open -c chat -u wx-1001 '退款什么时候到账' >id
id=$(cat id)

test_expect_success 'Enter prints only what is said, and records the use on the ticket' '
	FZF_DEFAULT_OPTS=--filter=到账 kb-pick -t "$id" 退款 >out 2>err &&
	kb-show --say refund-arrival-time >expect && test_cmp expect out &&
	test ! -s err &&
	uses "$id" >got && echo refund-arrival-time >expect && test_cmp expect got
'

test_expect_success 'the ticket may come from $KEFU_TICKET; without one the use counts all the same' '
	KEFU_TICKET=$id FZF_DEFAULT_OPTS=--filter=七天 kb-pick 退款 >out &&
	kb-show --say refund-7day >expect && test_cmp expect out &&
	uses "$id" | tail -n 1 >got && echo refund-7day >expect && test_cmp expect got &&
	FZF_DEFAULT_OPTS=--filter=七天 kb-pick 退款 >out &&
	kb-search --json -n 50 退款 | jq -r "select(.id == \"refund-7day\") | .uses" >got &&
	echo 2 >expect && test_cmp expect got
'

test_expect_success 'nothing picked is exit 1, and nothing recorded' '
	n=$(uses "$id" | wc -l) &&
	FZF_DEFAULT_OPTS=--filter=恐龙 test_must_fail --code=1 kb-pick -t "$id" 退款 >out &&
	test ! -s out &&
	test_must_fail --code=1 env FZF_DEFAULT_OPTS=--filter=x kb-pick -t "$id" &&
	test "$(uses "$id" | wc -l)" = "$n"
'

test_expect_success 'an entry of your own is said, and its use kept to yourself' '
	printf "id: my-words\ntitle: 我的到账说法\ncategory: 个人\nanswer: 亲，钱已经在路上啦。\n" >"$TEST_DIR/mine.yaml" &&
	kb-mine -a "$TEST_DIR/mine.yaml" >/dev/null &&
	n=$(uses "$id" | wc -l) &&
	FZF_DEFAULT_OPTS=--filter=mine: kb-pick -t "$id" 到账 >out &&
	echo 亲，钱已经在路上啦。 >expect && test_cmp expect out &&
	test "$(uses "$id" | wc -l)" = "$n" &&
	FZF_DEFAULT_OPTS=--filter=mine: test_must_fail --code=1 kb-pick --no-personal 到账
'

test_expect_success 'a use that cannot be recorded is said, after the script' '
	FZF_DEFAULT_OPTS=--filter=到账 test_must_fail kb-pick -t GD202603029999 退款 >out 2>err &&
	kb-show --say refund-arrival-time >expect && test_cmp expect out &&
	grep -F "kb-use: " err
'

test_expect_success 'without fzf: one clear error' '
	mkdir nofzf && ln -s "$(command -v jq)" nofzf/jq &&
	PATH=$KEFU_BIN:$TEST_DIR/d/nofzf test_must_fail kb-pick 退款 2>err &&
	echo "kb-pick: cannot run '"'"'fzf'"'"': not found (it is Debian'"'"'s package fzf)" >expect &&
	test_cmp expect err
'

test_expect_success 'fzf failing is an error, not nothing picked' '
	n=$(uses "$id" | wc -l) &&
	FZF_DEFAULT_OPTS=--no-such-option test_must_fail kb-pick -t "$id" 退款 >out 2>err &&
	test ! -s out &&
	grep -x "kb-pick: fzf failed (exit 2)" err &&
	test "$(uses "$id" | wc -l)" = "$n"
'

# The real thing: keystrokes into fzf in a terminal.
if ! command -v tmux >/dev/null; then
	test_skip "no tmux (Debian's package tmux) to type into fzf"
	test_done
fi
# A server of the test's own, even when the tests run inside tmux.
unset TMUX TMUX_PANE
TMUX_TMPDIR=$TEST_DIR
export TMUX_TMPDIR
tm() { tmux -L kefu-pick -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TEST_DIR"' EXIT

# Wait (ten seconds at most) until the screen shows $1.
screen_shows() {
	_i=0
	while [ $_i -lt 100 ]; do
		tm capture-pane -p -t "$session" >screen 2>/dev/null && grep -qF -- "$1" screen && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "the screen never showed '$1':" >&2
	cat screen >&2
	return 1
}
finished() {
	_i=0
	while [ $_i -lt 100 ]; do
		[ -s rc ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "kb-pick did not finish" >&2
	return 1
}

session=type
test_expect_success 'typing searches again at each keystroke; the preview is kb-show' '
	rm -f rc out &&
	tm new-session -d -s "$session" -x 160 -y 40 \
		"kb-pick -t $id >out; echo \$? >rc" &&
	screen_shows "kb>" &&
	tm send-keys -t "$session" -l 保修 &&
	screen_shows warranty-period &&
	tm send-keys -t "$session" -l 期多久 &&
	screen_shows "kb> 保修期多久" &&
	screen_shows "-- notes (not for the customer) --" &&
	screen_shows "$(kb-show --json warranty-period | jq -r ".answer[0:12]")"
'

test_expect_success 'Enter on the entry under the cursor: said on stdout, use recorded' '
	tm send-keys -t "$session" Enter &&
	finished && test "$(cat rc)" = 0 &&
	kb-show --say warranty-period >expect && test_cmp expect out &&
	uses "$id" | tail -n 1 >got && echo warranty-period >expect && test_cmp expect got
'

session=esc
test_expect_success 'Esc picks nothing: exit 1, nothing said, nothing recorded' '
	n=$(uses "$id" | wc -l) &&
	rm -f rc out &&
	tm new-session -d -s "$session" -x 160 -y 40 \
		"kb-pick -t $id 发票 >out; echo \$? >rc" &&
	screen_shows invoice-issue &&
	tm send-keys -t "$session" Escape &&
	finished && test "$(cat rc)" = 1 && test ! -s out &&
	test "$(uses "$id" | wc -l)" = "$n"
'

test_done
