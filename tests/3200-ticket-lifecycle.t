#!/bin/sh
# The life of a ticket: claim, reply, pending, transfer, urge, flag,
# close, reopen; its history; who may do what; what is refused.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
agent=zhang.wei@example.com   # 售后部
other=sun.li@example.com      # 售后部
tech=wu.hao@example.com       # 技术部
sup=zhou.min@example.com      # 售后部 supervisor
qa=song.jia@example.com
at() { KEFU_NOW=2026-03-02T$1+08:00; export KEFU_NOW; }
as() { who=$1; shift; KEFU_USER=$who "$@"; }
field() { ticket-show --json "$1" | jq -r ".$2"; }

at 10:00:00
id=$(ticket-open -c phone -u 13900000001 -t 售后服务 "退货后退款一直没到")

test_expect_success 'an agent claims a new ticket' '
	as $agent ticket-claim "$id" >out && echo "$id" >expect && test_cmp expect out &&
	test "$(field "$id" assignee)/$(field "$id" status)/$(field "$id" department)" = "$agent/assigned/售后部" &&
	as $agent ticket-claim "$id"
'

test_expect_success 'another agent may neither claim nor work it; a supervisor may' '
	as $other test_must_fail ticket-claim "$id" 2>err &&
	echo "ticket-claim: $id is already claimed by $agent" >expect && test_cmp expect err &&
	as $other test_must_fail ticket-update --status open "$id" 2>err &&
	echo "ticket-update: refused: $id is $agent'\''s; only they or a supervisor may work on it" >expect &&
	test_cmp expect err &&
	as $other ticket-update --note "我来看看" "$id" &&
	as $other ticket-update --urge "$id"
'

test_expect_success 'the first reply stamps the first response, once; the ticket is open' '
	at 10:05:00 && as $agent ticket-update --reply "您好，已在核实退款进度" "$id" &&
	test "$(field "$id" first_response)/$(field "$id" status)" = "2026-03-02T10:05:00+08:00/open" &&
	at 10:30:00 && as $agent ticket-update --reply "财务已加急" "$id" &&
	test "$(field "$id" first_response)" = 2026-03-02T10:05:00+08:00
'

test_expect_success 'pending pauses the resolve clock; its due time moves by the pause' '
	due=$(field "$id" resolve_due) &&
	at 11:00:00 && as $agent ticket-update --status pending --note "等客户提供单号" "$id" &&
	at 14:00:00 && as $agent ticket-update --status open "$id" &&
	test "$(field "$id" resolve_due)" != "$due" &&
	desk_sql "SELECT start, \"end\" FROM pauses WHERE ticket = '\''$id'\''" >got &&
	printf "%s|%s\n" "$(date -d 2026-03-02T11:00:00+08:00 +%s)" "$(date -d 2026-03-02T14:00:00+08:00 +%s)" >expect &&
	test_cmp expect got
'

test_expect_success 'type and priority changes re-evaluate the SLA policy' '
	test "$(field "$id" sla_policy)" = default &&
	as $agent ticket-update --type 售后投诉 "$id" &&
	test "$(field "$id" sla_policy)" = complaint &&
	as $agent ticket-update --type 售后服务 --priority urgent "$id" &&
	test "$(field "$id" sla_policy)" = urgent
'

test_expect_success 'an agent hands a ticket on to another department: routed there at once' '
	id2=$(ticket-open -u 13900000002 "空调滴水") && echo "$id2" >../id2 &&
	as $agent ticket-claim "$id2" &&
	as $agent ticket-update --transfer 技术部 --note "是安装问题" "$id2" >out &&
	printf "%s\t技术部\t%s\n" "$id2" $tech >expect && test_cmp expect out &&
	test "$(field "$id2" department)/$(field "$id2" assignee)/$(field "$id2" status)" = "技术部/$tech/assigned" &&
	ticket-show "$id2" | grep -F "  $agent  transfer  status: assigned -> new  \"是安装问题\"" &&
	ticket-show "$id2" | grep -F "  $agent  route  assignee: - -> $tech"
'

test_expect_success 'transfer to an agent by email; unknown ones are refused, nothing written' '
	id3=$(ticket-open -u 13900000003 "发票抬头错了") && echo "$id3" >../id3 &&
	as $sup ticket-update --transfer $tech --note "技术部看看" "$id3" >/dev/null &&
	test "$(field "$id3" assignee)/$(field "$id3" department)" = "$tech/技术部" &&
	n=$(desk_sql "SELECT count(*) FROM events") &&
	as $sup test_must_fail ticket-update --transfer 火星部 --note x "$id3" 2>err &&
	echo "ticket-update: unknown department or agent '\''火星部'\'' (routing.yaml and roles.yaml list them)" >expect &&
	test_cmp expect err &&
	as $sup test_must_fail ticket-update --transfer nobody@example.com --note x "$id3" 2>err &&
	as $sup test_must_fail ticket-update --transfer guo.hui@example.com --note x "$id3" 2>err &&
	grep -F "is not an agent" err &&
	test "$(desk_sql "SELECT count(*) FROM events")" = "$n"
'

test_expect_success 'qa flags; an agent may not' '
	as $agent test_must_fail ticket-update --flag "回复不规范" "$id" 2>err &&
	grep -F "is not qa" err &&
	as $qa ticket-update --flag "回复不规范" "$id" &&
	test "$(field "$id" flagged)" = 回复不规范 &&
	ticket-list --flagged | cut -f1 >got && echo "$id" >expect && test_cmp expect got &&
	id3=$(cat ../id3) &&
	as $qa ticket-update --flag "再看看" "$id3" && as $qa ticket-update --unflag "$id3" &&
	test "$(field "$id3" flagged)" = null &&
	as $qa test_must_fail ticket-update --flag x --unflag "$id3" 2>err &&
	grep -F "exclude each other" err
'

test_expect_success 'closing needs a result; satisfaction runs 1 to 5' '
	as $agent test_must_fail ticket-close "$id" 2>err &&
	grep -F "a ticket closes with its result: --result TEXT" err &&
	as $agent test_must_fail ticket-close -r 已退款 -s 9 "$id" 2>err &&
	grep -F "option '\''--satisfaction'\'' wants a number from 1 to 5, not '\''9'\''" err &&
	at 15:00:00 && as $agent ticket-close -r "已原路退款" -s 4 -f "处理还算快" "$id" &&
	ticket-show --json "$id" | jq -c "[.status, .result, .satisfaction, .feedback, .resolved, .closed]" >got &&
	echo "[\"closed\",\"已原路退款\",4,\"处理还算快\",\"2026-03-02T15:00:00+08:00\",\"2026-03-02T15:00:00+08:00\"]" >expect &&
	test_cmp expect got
'

test_expect_success 'a closed ticket takes no status or reply until reopened' '
	as $agent test_must_fail ticket-update --status pending "$id" 2>err &&
	echo "ticket-update: $id is closed: ticket-reopen it first" >expect && test_cmp expect err &&
	as $agent test_must_fail ticket-close -r again "$id" 2>err && grep -F "already closed" err &&
	at 16:00:00 && as $agent ticket-reopen --note "客户说还没到账" "$id" &&
	ticket-show --json "$id" | jq -c "[.status, .result, .satisfaction, .resolved]" >got &&
	echo "[\"open\",null,null,null]" >expect && test_cmp expect got &&
	as $agent test_must_fail ticket-reopen "$id" 2>err && grep -F "is open, not resolved or closed" err
'

test_expect_success 'status moves are checked' '
	id4=$(ticket-open -u 13900000004 "会员积分不对") && echo "$id4" >../id4 &&
	test_must_fail ticket-update --status closed "$id4" 2>err &&
	grep -F "(ticket-close closes)" err &&
	test_must_fail ticket-update --status done "$id4" 2>err &&
	grep -F "takes open, pending or resolved" err &&
	test_must_fail ticket-update --status resolved "$id4" 2>err &&
	grep -F "has nobody on it: claim it before resolving it" err &&
	test_must_fail ticket-update "$id4" 2>err && grep -F "nothing to change" err
'

test_expect_success 'ticket-show: the fields, then every event in order' '
	ticket-show "$id" >out &&
	head -1 out | grep -F "$id  退货后退款一直没到" &&
	grep -F "assignee        $agent" out &&
	grep "  $agent  claim  assignee: - -> $agent" out &&
	grep "  $agent  reply  first_response: - -> " out &&
	grep "  $other  note  \"我来看看\"" out &&
	grep "  $qa  flag  flagged: - -> 回复不规范" out &&
	grep "  $agent  close  status: open -> closed" out &&
	grep "  $agent  reopen  status: closed -> open  \"客户说还没到账\"" out &&
	ticket-show --json "$id" | jq -r "[.events[].what] | join(\" \")" >got &&
	grep "^open claim claim claim note urge reply" got
'

test_expect_success 'ticket-list filters and orders: priority, then urged, then age' '
	id2=$(cat ../id2) id3=$(cat ../id3) id4=$(cat ../id4) &&
	ticket-list | cut -f1,3 | head -1 >got && printf "%s\turgent\n" "$id" >expect && test_cmp expect got &&
	ticket-list -A $tech | cut -f1 | sort >got && printf "%s\n%s\n" "$id2" "$id3" | sort >expect &&
	test_cmp expect got &&
	ticket-list -d 技术部 -s new -s assigned | cut -f1 | sort >got && test_cmp expect got &&
	ticket-list -u 13900000004 | cut -f1 >got && echo "$id4" >expect && test_cmp expect got &&
	test_must_fail --code=1 ticket-list -u nobody &&
	ticket-list -A none | cut -f1 >got && echo "$id4" >expect && test_cmp expect got &&
	KEFU_USER=$tech ticket-list -A me | wc -l | grep -x 2 &&
	ticket-list --since 2026-03-02 --until 2026-03-03 -a | wc -l | grep -x 4 &&
	test_must_fail --code=1 ticket-list --since 2026-03-03 -a &&
	ticket-list -n 1 | wc -l | grep -x 1 &&
	test_must_fail ticket-list -s done 2>err && grep -F "unknown status '\''done'\''" err
'

test_expect_success '--overdue: open tickets past a due time; a pending one judged at its pause' '
	at 13:00:00 &&
	od=$(ticket-open -u od1 -c chat "要尽快") &&
	as zhou.min@example.com ticket-update --transfer $agent --note 给张伟 "$od" >/dev/null &&
	at 13:05:00 && as $agent ticket-update --reply "在处理" --status pending "$od" &&
	at 18:00:00 && ! ticket-list --overdue | cut -f1 | grep -x "$od" &&
	ticket-list --overdue -a | cut -f1 >got && ! grep -x "$id" got
'

test_expect_success 'reading a desk with no tickets yet writes nothing' '
	empty_desk ../fresh &&
	test_must_fail --code=1 ticket-list -C ../fresh &&
	test ! -e ../fresh/.kefu/desk.db &&
	test_must_fail ticket-show -C ../fresh GD202603020001 2>err &&
	grep -F "no ticket '\''GD202603020001'\''" err &&
	test ! -e ../fresh/.kefu/desk.db
'

test_expect_success 'kb-use records a script used on a ticket; search ranks by use' '
	as $agent kb-use --ticket "$id" --note "补充安抚话术" soothe-angry-general &&
	as $agent kb-use soothe-angry-general &&
	ticket-show "$id" | grep -F "kb-use  \"soothe-angry-general: 补充安抚话术\"" &&
	kb-search -n 50 安抚 | grep "^soothe-angry-general" | cut -f5 >got &&
	echo 2 >expect && test_cmp expect got &&
	test_must_fail kb-use no-such-entry 2>err && grep -F "no entry '\''no-such-entry'\''" err &&
	test_must_fail kb-use --ticket GD000 refund-7day 2>err && grep -F "no ticket '\''GD000'\''" err &&
	test "$(desk_sql "SELECT uses FROM kb_usage WHERE entry = '\''soothe-angry-general'\''")" = 2
'

test_done
