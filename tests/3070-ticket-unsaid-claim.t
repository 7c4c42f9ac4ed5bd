#!/bin/sh
# A writing command prints its result and flushes it before it commits:
# when the result cannot be written, nothing changes. A claim repeated
# by the agent who has the ticket changes nothing either.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
agent=zhang.wei@example.com
sup=zhou.min@example.com
export KEFU_NOW=2026-03-02T10:00:00+08:00
events() { ticket-show --json "$1" | jq -r "[.events[].what] | join(\" \")"; }

test_expect_success 'ticket-open >/dev/full: exit 2, one line, no ticket' '
	test_must_fail ticket-open -u 13900000001 "空调不制冷" >/dev/full 2>err &&
	echo "ticket-open: cannot write output: No space left on device" >expect &&
	test_cmp expect err &&
	test_must_fail --code=1 ticket-list -a &&
	test_must_fail --code=1 ticket-list -a -u 13900000001
'

test_expect_success 'the same request again is a new ticket, not a repeat of a phantom' '
	ticket-open -u 13900000001 "空调不制冷" >id 2>err &&
	test_must_fail --code=1 grep . err &&
	ticket-list -a | cut -f1 >got && test_cmp id got
'

test_expect_success 'the unsaid id is never issued later' '
	echo GD202603020002 >expect && test_cmp expect id
'

test_expect_success 'ticket-route >/dev/full: exit 2, the ticket still new and unrouted' '
	id=$(cat id) &&
	events "$id" >before &&
	test_must_fail ticket-route "$id" >/dev/full 2>err &&
	echo "ticket-route: cannot write output: No space left on device" >expect &&
	test_cmp expect err &&
	ticket-show --json "$id" | jq -c "[.status, .department, .assignee]" >got &&
	echo "[\"new\",null,null]" >expect && test_cmp expect got &&
	events "$id" >after && test_cmp before after
'

test_expect_success 'with several ids, it stops at the first it cannot say' '
	ticket-open -u 13900000003 "洗衣机不排水" >id2 &&
	cat id id2 | test_must_fail ticket-route --json >/dev/full 2>err &&
	test_line_count err = 1 &&
	ticket-list -s new | cut -f1 | sort >got && cat id id2 | sort >expect && test_cmp expect got
'

test_expect_success 'routed for real, it prints what the first try could not' '
	ticket-route "$(cat id)" >out &&
	cut -f1 out >got && test_cmp id got &&
	test "$(ticket-show --json "$(cat id)" | jq -r .status)" != new
'

test_expect_success 'ticket-claim >/dev/full claims nothing' '
	id2=$(cat id2) &&
	KEFU_USER=$sup test_must_fail ticket-claim "$id2" >/dev/full 2>err &&
	echo "ticket-claim: cannot write output: No space left on device" >expect &&
	test_cmp expect err &&
	test "$(ticket-show --json "$id2" | jq -r .assignee)" = null
'

test_expect_success 'a claim repeated by its winner: exit 0, its id, no event' '
	id2=$(cat id2) &&
	KEFU_USER=$agent ticket-claim "$id2" >out && test_cmp id2 out &&
	events "$id2" >before &&
	KEFU_USER=$agent ticket-claim "$id2" >out && test_cmp id2 out &&
	KEFU_USER=$agent ticket-claim "$id2" >out && test_cmp id2 out &&
	events "$id2" >after && test_cmp before after &&
	ticket-show "$id2" >out && test_line_count out -gt 0 &&
	test_must_fail --code=1 grep "  claim *\$" out
'

test_expect_success 'sla-check --escalate >/dev/full escalates nothing' '
	export KEFU_NOW=2026-03-20T10:00:00+08:00 &&
	test_must_fail --code=1 sla-check -s breached >report &&
	test_line_count report -gt 0 &&
	KEFU_USER=$sup test_must_fail sla-check --escalate >/dev/full 2>err &&
	echo "sla-check: cannot write output: No space left on device" >expect &&
	test_cmp expect err &&
	for id in $(cut -f1 report | sort -u); do
		events "$id" | grep -w escalate && return 1
	done;
	KEFU_USER=$sup test_must_fail --code=1 sla-check --escalate >/dev/null 2>err &&
	grep -F "escalated" err
'

test_done
