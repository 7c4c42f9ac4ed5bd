#!/bin/sh
# One history, two stores: the same commands on a desk kept in desk.db
# and on one kept in PostgreSQL give the same output, byte for byte, and
# the same exit statuses: every list, every ticket shown (its suggested
# scripts too), the SLA clocks, the follow-up calls, the agents. The
# test server's databases sort text in Chinese (pinyin) order, far from
# SQLite's order of bytes, so an order left to the database shows here.
. "$(dirname "$0")/lib.sh"

if ! on_postgres; then
	test_skip "the same output on PostgreSQL as on desk.db: make check's second pass runs this"
	test_done
fi

# as EMAIL COMMAND...: run it as that person of the sample desk.
as() {
	_who=$1
	shift
	KEFU_USER=$_who "$@"
}
# agent ID: who has ticket ID now.
agent() {
	ticket-show --json "$1" | jq -r '.assignee // empty'
}

# The history: tickets of every channel, routed by every strategy, worked,
# paused, transferred, closed (one unhappily), reopened, escalated, their
# calls made and recorded, scripts used on them. $1 is the file the
# ids go to. Whatever fails stops it.
history() {
	KEFU_NOW=2026-03-02T09:05:00+08:00 && export KEFU_NOW &&
	ticket-open -c phone -u 13800000001 -t 技术支持 -p high "空调不制冷，外机不转" >>"$1" &&
	ticket-open -c chat -u Zhang@Example.com "会员积分什么时候过期？" >>"$1" &&
	ticket-open -c email -u b@example.com "要开增值税专用发票，抬头写错了" >>"$1" &&
	ticket-open -c social -u "王 先生" --tag VIP "快递三天没动了，太慢了！气死了" >>"$1" &&
	ticket-open -c chat -u zz "退款到账要多久" >>"$1" &&
	ticket-open -c chat -u Aa "apple 手机壳退货运费谁出" >>"$1" &&
	ticket-open -c phone -u 13800000002 -t 技术支持 "洗衣机漏水，地板都湿了" >>"$1" &&
	ticket-open -c chat -u zhang@example.com -p low "优惠券不能用" >>"$1" &&
	{ ticket-route --pending >/dev/null; test $? -le 1; } &&
	set -- "$1" $(cat "$1") &&
	KEFU_NOW=2026-03-02T09:20:00+08:00 &&
	as "$(agent "$2")" ticket-update --reply "请检查电源和遥控器设置" "$2" &&
	as "$(agent "$3")" ticket-update --reply "积分有效期为两年" --status pending "$3" &&
	as gao.yan@example.com ticket-claim "$4" &&
	as gao.yan@example.com ticket-update --note "已联系财务" --worked 1h30m "$4" &&
	as "$(agent "$5")" ticket-update --urge "$5" &&
	as song.jia@example.com ticket-update --flag "回复太慢" "$5" &&
	as "$(agent "$6")" kb-use --ticket "$6" refund-arrival-time &&
	as "$(agent "$6")" kb-use --ticket "$6" --note "补充安抚话术" refund-arrival-time &&
	as "$(agent "$9")" ticket-update --transfer 售后部 --note "是退换货问题" "$9" >/dev/null &&
	as zhao.lei@example.com agent-status zhao.lei@example.com away &&
	KEFU_NOW=2026-03-02T15:00:00+08:00 &&
	as "$(agent "$2")" ticket-close --result "上门更换电容" --satisfaction 4 "$2" >/dev/null &&
	as "$(agent "$8")" ticket-update --reply "已安排师傅" "$8" &&
	as "$(agent "$8")" ticket-close --result "更换进水阀" --satisfaction 2 --feedback "等太久" "$8" >/dev/null &&
	as "$(agent "$6")" ticket-update --reply "三到五个工作日" --date sale=2026-02-20T10:00:00+08:00 "$6" &&
	as "$(agent "$6")" ticket-close --result "已告知" "$6" >/dev/null &&
	as "$(agent "$6")" ticket-reopen --note "客户说还没到账" "$6" &&
	KEFU_NOW=2026-03-06T11:00:00+08:00 &&
	{ as chen.jing@example.com sla-check --escalate >/dev/null 2>&1; test $? -le 1; } &&
	KEFU_NOW=2026-03-09T10:00:00+08:00 &&
	{ ticket-followup "$2" >/dev/null; test $? -le 1; } &&
	as "$(agent "$2")" ticket-followup --done --satisfaction 5 --note "已经好了" "$2" >/dev/null
}

# reads: what anyone would look at afterwards, with each exit status.
reads() {
	KEFU_NOW=2026-03-09T10:00:00+08:00 && export KEFU_NOW
	for args in "ticket-list" "ticket-list -a" "ticket-list -a --json" "ticket-list --overdue" \
		"ticket-list -a -A li.na@example.com" "ticket-list -a -A LI.NA@example.com" \
		"ticket-list -A none" "ticket-list -a -d 客服中心" "ticket-list --flagged" \
		"ticket-list -a -u zhang@example.com" "ticket-list -a -c chat -n 2" \
		"ticket-list -a --since 2026-03-02 --until 2026-03-03" \
		"sla-check" "sla-check --json" "sla-check --at 2026-03-02T09:30:00+08:00" \
		"ticket-followup" "ticket-followup --json" "ticket-followup --due" \
		"ticket-followup --at 2026-03-20T10:00:00+08:00 --json" \
		"agent-status" "agent-status --json" \
		"ticket-report --week 2026-03-02" "ticket-report --week 2026-03-02 --by agent --json" \
		"ticket-report --month 2026-03 --by department" "ticket-report --week 2026-03-02 --kb --json"; do
		echo "== $args"
		# shellcheck disable=SC2086
		$args 2>&1
		echo "exit $?"
	done
	for id in $(cat "$1"); do
		echo "== ticket-show $id"
		ticket-show "$id" 2>&1
		ticket-show --json "$id" 2>&1
		ticket-followup --json "$id" 2>&1
		echo "exit $?"
	done
}

test_expect_success 'the same history on desk.db and on PostgreSQL' '
	kb-init --sample lite >/dev/null && sample_desk pg &&
	(cd lite && history ../ids-lite) &&
	(cd pg && history ../ids-pg) &&
	test -f lite/.kefu/desk.db && test ! -e pg/.kefu/desk.db && test -s pg/.kefu/database &&
	test_cmp ids-lite ids-pg &&
	test_line_count ids-lite = 8
'

test_expect_success 'reads the same, byte for byte, with the same exit statuses' '
	(cd lite && reads ../ids-lite) >out-lite &&
	(cd pg && reads ../ids-pg) >out-pg &&
	test_cmp out-lite out-pg &&
	grep -c "^exit 1$" out-lite >ones && test "$(cat ones)" -gt 0 &&
	grep -F "escalate" out-lite && grep -F "refund-arrival-time" out-lite &&
	grep -F "已经好了" out-lite &&
	# the week the history fills is reported with its tickets in it
	sed -n "/^== ticket-report --week 2026-03-02\$/,/^exit/p" out-lite >week &&
	awk -F "	" "\$2 == \"*\" && \$5 > 0" week | grep -q . && grep -x "exit 0" week
'

test_done
