#!/bin/sh
# Transfers (转部门, 转交): an agent hands on a ticket they hold, to another
# department, whose strategy routes it at once, or to a colleague of
# their own department; a supervisor moves any ticket anywhere. Each is
# an event "transfer" with its reason; each refusal says why and changes
# nothing.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
agent=li.na@example.com        # 客服中心
mate=wang.fang@example.com     # 客服中心
evening=zhao.lei@example.com   # 客服中心, evening shift
aftersales=zhang.wei@example.com  # 售后部
tech=wu.hao@example.com        # 技术部
sup=chen.jing@example.com      # 客服中心 supervisor
qa=song.jia@example.com
export KEFU_NOW=2026-03-02T10:00:00+08:00
as() { who=$1; shift; KEFU_USER=$who "$@"; }
field() { ticket-show --json "$1" | jq -r ".$2"; }
events() { desk_sql "SELECT count(*) FROM events"; }
# new CUSTOMER TEXT: a ticket of 客服中心, claimed by $agent
new() {
	_id=$(ticket-open -c chat -u "$1" "$2") &&
	KEFU_USER=$agent ticket-claim "$_id" >/dev/null && echo "$_id"
}

test_expect_success 'an agent sends a product fault to 技术部: routed there by its strategy' '
	id=$(new c1 "会员积分怎么用") && echo "$id" >../id1 &&
	test "$(field "$id" assignee)" = $agent &&
	as $agent ticket-update --transfer 技术部 --note "产品问题转技术部" "$id" >out &&
	printf "%s\t技术部\t%s\n" "$id" $tech >expect && test_cmp expect out &&
	ticket-show --json "$id" | jq -c "[.department, .assignee, .status]" >got &&
	echo "[\"技术部\",\"$tech\",\"assigned\"]" >expect && test_cmp expect got
'

test_expect_success 'the transfer is one kind of event, with its reason; then the routing' '
	id=$(cat ../id1) &&
	ticket-show --json "$id" | jq -r ".events[] | select(.what == \"transfer\") | [.who, .field, .before, .after, .note // \"-\"] | @tsv" >got &&
	printf "%s\tstatus\tassigned\tnew\t产品问题转技术部\n%s\tdepartment\t客服中心\t技术部\t-\n%s\tassignee\t%s\t\t-\n" \
		$agent $agent $agent $agent >expect &&
	sed "s/\tnull\t/\t\t/" got >got2 && test_cmp expect got2 &&
	ticket-show "$id" | grep -F "  $agent  route  assignee: - -> $tech"
'

test_expect_success 'to a ringall department: offered to its agents, nobody assigned yet' '
	id=$(new c2 "发票开错了") &&
	as $agent ticket-update --transfer 财务部 --note "发票问题" "$id" >out &&
	printf "%s\t财务部\t\n" "$id" >expect && test_cmp expect out &&
	ticket-show "$id" | grep -F "offer  \"财务部 by ringall: offered to xu.ting@example.com gao.yan@example.com\""
'

test_expect_success 'to a department where nobody is on shift: it waits in the queue' '
	id=$(new c3 "物流三天没更新") &&
	KEFU_NOW=2026-03-02T20:00:00+08:00 as $agent ticket-update --transfer 仓储物流部 --note "物流问题转仓储部" "$id" >out &&
	printf "%s\t仓储物流部\t\n" "$id" >expect && test_cmp expect out &&
	ticket-show --json "$id" | jq -c "[.department, .assignee, .status]" >got &&
	echo "[\"仓储物流部\",null,\"new\"]" >expect && test_cmp expect got &&
	ticket-route "$id" | cut -f2 >got && echo 仓储物流部 >expect && test_cmp expect got
'

test_expect_success 'an agent hands a ticket to a colleague of their own department' '
	id=$(new c4 "会员等级不对") && echo "$id" >../id4 &&
	as $agent ticket-update --transfer $mate --note "王芳负责会员" "$id" >out &&
	printf "%s\t客服中心\t%s\n" "$id" $mate >expect && test_cmp expect out &&
	test "$(field "$id" assignee)" = $mate &&
	ticket-show "$id" | grep -F "  $agent  transfer  assignee: $agent -> $mate  \"王芳负责会员\""
'

test_expect_success 'refused: a ticket the agent does not hold' '
	id=$(cat ../id4) && n=$(events) &&
	as $agent test_must_fail ticket-update --transfer 技术部 --note x "$id" 2>err &&
	echo "ticket-update: refused: $id is $mate'\''s; only they or a supervisor may transfer it" >expect &&
	test_cmp expect err &&
	fresh=$(ticket-open -c chat -u c5 "在吗") &&
	n=$(events) &&
	as $agent test_must_fail ticket-update --transfer 技术部 --note x "$fresh" 2>err &&
	echo "ticket-update: refused: nobody has $fresh: claim it before transferring it, or ask a supervisor" >expect &&
	test_cmp expect err &&
	test "$(events)" = "$n"
'

test_expect_success 'refused: an agent of another department (the department routes its own)' '
	id=$(cat ../id4) && n=$(events) &&
	as $mate test_must_fail ticket-update --transfer $aftersales --note x "$id" 2>err &&
	echo "ticket-update: refused: $aftersales is in 售后部, not 客服中心: transfer the ticket to 售后部, whose strategy picks its agent" >expect &&
	test_cmp expect err &&
	test "$(field "$id" assignee)" = $mate && test "$(events)" = "$n"
'

test_expect_success 'refused: its own department again, itself, someone who is not an agent' '
	id=$(cat ../id4) && n=$(events) &&
	as $mate test_must_fail ticket-update --transfer 客服中心 --note x "$id" 2>err &&
	echo "ticket-update: $id is already in 客服中心: transfer it to one of its agents by email" >expect &&
	test_cmp expect err &&
	as $mate test_must_fail ticket-update --transfer $mate --note x "$id" 2>err &&
	echo "ticket-update: $id is already $mate'\''s" >expect && test_cmp expect err &&
	as $mate test_must_fail ticket-update --transfer $qa --note x "$id" 2>err &&
	echo "ticket-update: '\''$qa'\'' is not an agent" >expect && test_cmp expect err &&
	as $mate test_must_fail ticket-update --transfer 火星部 --note x "$id" 2>err &&
	grep -F "unknown department or agent '\''火星部'\''" err &&
	test "$(events)" = "$n"
'

test_expect_success 'refused: a transfer without its reason; one of a closed ticket; one by qa' '
	id=$(cat ../id4) && n=$(events) &&
	as $mate test_must_fail ticket-update --transfer 技术部 "$id" 2>err &&
	grep -Fx "ticket-update: a transfer needs its reason: --note TEXT" err &&
	as $qa test_must_fail ticket-update --transfer 技术部 --note x "$id" 2>err &&
	grep -F "is not an agent" err &&
	done=$(new c6 "好的谢谢") &&
	as $agent ticket-close -r 已解答 "$done" &&
	n=$(events) &&
	as $agent test_must_fail ticket-update --transfer 技术部 --note x "$done" 2>err &&
	echo "ticket-update: $done is closed: ticket-reopen it first" >expect && test_cmp expect err &&
	test "$(events)" = "$n"
'

test_expect_success 'a supervisor transfers anyone'\''s ticket anywhere, to any agent' '
	id=$(cat ../id4) &&
	as $sup ticket-update --transfer $aftersales --note "退货相关" "$id" >out &&
	printf "%s\t售后部\t%s\n" "$id" $aftersales >expect && test_cmp expect out &&
	as $sup ticket-update --transfer 客服中心 --note "退回一线" "$id" >out &&
	cut -f2 out >got && echo 客服中心 >expect && test_cmp expect got &&
	test "$(field "$id" department)" = 客服中心
'

test_expect_success 'a reply and a transfer at once: both, in that order, in one transaction' '
	id=$(new c7 "空调不制冷") &&
	as $agent ticket-update --reply "已为您转技术部" --transfer 技术部 --note "故障" "$id" >/dev/null &&
	ticket-show --json "$id" | jq -r "[.events[].what] | join(\" \")" >got &&
	grep -E "reply reply transfer transfer transfer route" got
'

test_expect_success 'transfers are easy to count: every ticket handed on has an event transfer' '
	ticket-list -a --json | jq -r .id | ticket-show --json |
		jq -r "select([.events[] | select(.what == \"transfer\")] | length > 0) | .id" |
		wc -l | tr -d " " >got &&
	echo 5 >expect && test_cmp expect got
'

test_done
