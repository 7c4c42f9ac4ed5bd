#!/bin/sh
# ticket-route: the department by the rules, then the agent by strategy,
# only among agents available, on shift and under capacity.
. "$(dirname "$0")/lib.sh"

sup=li.na@example.com
export KEFU_NOW=2026-03-02T10:00:00+08:00

# desk NAME STRATEGY [FALLBACK]: three agents (capacity 2, business hours)
# and one evening agent, all in 测试部.
desk() {
	empty_desk "$1" && cd "$1" || return 1
	cat >workflows/roles.yaml <<-EOT
	people:
	  - {email: $sup, name: 李娜, roles: [supervisor], department: 测试部}
	  - {email: a1@example.com, roles: [agent], department: 测试部, capacity: 2, calendar: business}
	  - {email: a2@example.com, roles: [agent], department: 测试部, capacity: 2, calendar: business}
	  - {email: a3@example.com, roles: [agent], department: 测试部, capacity: 2, calendar: business}
	  - {email: night@example.com, roles: [agent], department: 测试部, calendar: evening}
	  - {email: o1@example.com, roles: [agent], department: 其他部}
	EOT
	cat >workflows/routing.yaml <<-EOT
	departments:
	  - {name: 测试部, strategy: $2, fallback: ${3:-fewest}, supervisor: $sup}
	  - {name: 其他部, strategy: linear, supervisor: $sup}
	rules:
	  - match: {keywords: [其他]}
	    department: 其他部
	  - department: 测试部
	EOT
	cat >workflows/calendars.yaml <<-EOT
	calendars:
	  business: {zone: Asia/Shanghai, weekdays: ["09:00-18:00"]}
	  evening: {zone: Asia/Shanghai, daily: ["18:00-24:00"]}
	EOT
	git add -A && git commit -q -m "test roster"
}

# route N: open N tickets for customers c1..cN and route each; print the agents
route() {
	i=1
	while [ $i -le "$1" ]; do
		# a fresh customer and request each time, never a repeat
		n=$(($(cat ../.seq 2>/dev/null || echo 0) + 1)) && echo $n >../.seq
		id=$(ticket-open -u "c$n" "问题 $n") || return 1
		ticket-route "$id" 2>/dev/null | cut -f3
		i=$((i + 1))
	done
}

test_expect_success 'the department is the first fitting rule'\''s' '
	desk dept linear &&
	id=$(ticket-open -u x "其他的事情") &&
	ticket-route "$id" >out &&
	printf "%s\t其他部\to1@example.com\n" "$id" >expect && test_cmp expect out
'

test_expect_success 'linear: always the first free agent, in roles.yaml order' '
	desk lin linear && route 6 >got &&
	printf "a1@example.com\na1@example.com\na2@example.com\na2@example.com\na3@example.com\na3@example.com\n" >expect &&
	test_cmp expect got
'

test_expect_success 'at capacity and off shift: nobody free, the ticket waits and says so' '
	cd lin && id=$(ticket-open -u late "还有一个") &&
	test_must_fail --code=1 ticket-route "$id" >out 2>err &&
	printf "%s\t测试部\t\n" "$id" >expect && test_cmp expect out &&
	echo "ticket-route: warning: $id: nobody in 测试部 is available; it waits in the queue" >expect &&
	test_cmp expect err &&
	test "$(ticket-show --json "$id" | jq -r "[.status, .department, .assignee] | join(\",\")")" = "new,测试部,"
'

test_expect_success 'after hours only the evening agent is on shift; --pending routes the queue' '
	cd lin &&
	KEFU_NOW=2026-03-02T20:00:00+08:00 ticket-route --pending >out &&
	cut -f3 out >got && echo night@example.com >expect && test_cmp expect got
'

test_expect_success 'roundrobin: each in turn, and it remembers its place' '
	desk rr roundrobin && route 2 >got &&
	route 1 >>got && route 2 >>got &&
	printf "a1@example.com\na2@example.com\na3@example.com\na1@example.com\na2@example.com\n" >expect &&
	test_cmp expect got
'

test_expect_success 'fewest: the agent with the fewest open tickets' '
	desk few fewest && route 3 >got &&
	printf "a1@example.com\na2@example.com\na3@example.com\n" >expect && test_cmp expect got &&
	id=$(ticket-list -A a2@example.com | cut -f1) &&
	KEFU_USER=a2@example.com ticket-close -r 已处理 "$id" &&
	route 1 >got && echo a2@example.com >expect && test_cmp expect got
'

test_expect_success 'leastrecent: the one picked longest ago (never first)' '
	desk lr leastrecent &&
	for t in 10:00 10:01 10:02 10:03 10:04; do
		KEFU_NOW=2026-03-02T$t:00+08:00 route 1 || exit 1
	done >got &&
	printf "a1@example.com\na2@example.com\na3@example.com\na1@example.com\na2@example.com\n" >expect &&
	test_cmp expect got
'

test_expect_success 'recent: the one picked most recently, while under capacity' '
	desk rec recent &&
	for t in 10:00 10:01 10:02 10:03 10:04; do
		KEFU_NOW=2026-03-02T$t:00+08:00 route 1 || exit 1
	done >got &&
	printf "a1@example.com\na1@example.com\na2@example.com\na2@example.com\na3@example.com\n" >expect &&
	test_cmp expect got
'

test_expect_success 'random: any free agent, never one at capacity' '
	desk rnd random && route 6 >got &&
	sort got | uniq -c | awk "{print \$1}" >counts &&
	printf "2\n2\n2\n" >expect && test_cmp expect counts
'

test_expect_success 'sticky: the customer'\''s previous agent; else the fallback' '
	desk st sticky fewest &&
	id=$(ticket-open -u vip "第一次") && ticket-route "$id" | cut -f3 >got &&
	id=$(ticket-open -u other "别人") && ticket-route "$id" | cut -f3 >>got &&
	id=$(ticket-open -u vip "第二次") && ticket-route "$id" | cut -f3 >>got &&
	KEFU_USER=a1@example.com agent-status away &&
	id=$(ticket-open -u vip "第三次") && ticket-route "$id" | cut -f3 >>got &&
	printf "a1@example.com\na2@example.com\na1@example.com\na3@example.com\n" >expect &&
	test_cmp expect got
'

test_expect_success 'agent-status: away and back; supervisors may set anyone'\''s' '
	cd st &&
	agent-status a1@example.com | cut -f4 >got && echo away >expect && test_cmp expect got &&
	KEFU_USER=a2@example.com test_must_fail agent-status a3@example.com away 2>err &&
	grep -F "only a supervisor sets another agent'\''s status" err &&
	agent-status a1@example.com available &&
	agent-status --json | jq -r "select(.email == \"a1@example.com\") | [.status, .open, .capacity, .on_shift] | @tsv" >got &&
	printf "available\t2\t2\ttrue\n" >expect && test_cmp expect got &&
	agent-status --json | jq -r "select(.email == \"night@example.com\") | .capacity" | grep -x null &&
	test_must_fail agent-status nobody@example.com 2>err &&
	grep -F "'\''nobody@example.com'\'' is not in workflows/roles.yaml" err
'

test_expect_success 'ringall: offered to every free agent; the first claim wins, the rest are told no' '
	desk ring ringall &&
	id=$(ticket-open -u r "大家来抢") &&
	ticket-route --json "$id" | jq -c "[.agent, .offered, .queued]" >got &&
	echo "[null,[\"a1@example.com\",\"a2@example.com\",\"a3@example.com\"],false]" >expect &&
	test_cmp expect got &&
	for a in a1 a2 a3; do
		(KEFU_USER=$a@example.com ticket-claim "$id" >/dev/null 2>claim-$a; echo $? >rc-$a) &
	done
	wait
	cat rc-a1 rc-a2 rc-a3 | sort >rcs &&
	printf "0\n2\n2\n" >expect && test_cmp expect rcs &&
	winner=$(ticket-show --json "$id" | jq -r .assignee) &&
	cat claim-a1 claim-a2 claim-a3 >claims &&
	test "$(grep -c "ticket-claim: $id is already claimed by $winner" claims)" = 2 &&
	KEFU_USER=$winner ticket-claim "$id"
'

test_expect_success 'a retry that changes nothing leaves no trace in the history' '
	desk quiet linear && route 6 >/dev/null &&
	id=$(ticket-open -u waits "排队的") &&
	test_must_fail --code=1 ticket-route "$id" 2>/dev/null &&
	n=$(ticket-show --json "$id" | jq ".events | length") &&
	test_must_fail --code=1 ticket-route --pending 2>/dev/null &&
	test_must_fail --code=1 ticket-route --pending 2>/dev/null &&
	test "$(ticket-show --json "$id" | jq ".events | length")" = "$n"
'

test_expect_success 'an offer stands as made; only those offered, or a supervisor, may claim' '
	desk offer ringall &&
	id=$(ticket-open -u o "只给三个人") &&
	KEFU_USER=a1@example.com agent-status away &&
	ticket-route "$id" >/dev/null &&
	n=$(ticket-show --json "$id" | jq ".events | length") &&
	ticket-route --pending >/dev/null && ticket-route --pending >/dev/null &&
	test "$(ticket-show --json "$id" | jq ".events | length")" = "$n" &&
	KEFU_USER=a1@example.com test_must_fail ticket-claim "$id" 2>err &&
	grep -F "refused: $id is offered to other agents" err &&
	KEFU_USER=o1@example.com test_must_fail ticket-claim "$id" 2>err &&
	KEFU_USER=$sup ticket-claim "$id"
'

test_expect_success 'a queued ticket is its department'\''s to claim' '
	cd lin &&
	id=$(ticket-open -u q2 "再来一个") &&
	test_must_fail --code=1 ticket-route "$id" 2>/dev/null;
	KEFU_USER=o1@example.com test_must_fail ticket-claim "$id" 2>err &&
	grep -F "refused: $id waits in the queue of 测试部, not 其他部" err
'

test_expect_success 'routing an assigned ticket is refused; tickets may come on stdin' '
	cd ring &&
	id=$(ticket-list -s assigned | cut -f1) &&
	test_must_fail ticket-route "$id" 2>err &&
	grep -F "$id is already assigned to" err &&
	ticket-open -u p1 "一" >ids && ticket-open -u p2 "二" >>ids &&
	ticket-route <ids >out &&
	test "$(wc -l <out)" = 2
'

test_done
