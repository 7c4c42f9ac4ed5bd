#!/bin/sh
# The epoch is an instant like any other: a ticket opened, answered and
# closed at 1970-01-01T00:00:00Z keeps those times; nothing reads 0 as
# "no time".
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
agent=zhang.wei@example.com
export KEFU_NOW=1970-01-01T00:00:00Z
field() { ticket-show --json "$1" | jq -r ".$2"; }

test_expect_success 'a ticket opened at the epoch has that day and that time' '
	ticket-open -c phone -u 13900000001 -t 售后服务 "退款没到" >id &&
	echo GD197001010001 >expect && test_cmp expect id &&
	test "$(field GD197001010001 created)" = 1970-01-01T08:00:00+08:00
'

test_expect_success 'a reply at the epoch is a first response, and stops that clock' '
	KEFU_USER=$agent ticket-claim GD197001010001 &&
	KEFU_USER=$agent ticket-update --reply "正在核实" GD197001010001 &&
	test "$(field GD197001010001 first_response)" = 1970-01-01T08:00:00+08:00 &&
	sla-check | cut -f1,2 >got &&
	printf "GD197001010001\tresolve\n" >expect && test_cmp expect got &&
	ticket-show GD197001010001 >out &&
	grep -F "first_response  1970-01-01T08:00:00+08:00" out
'

test_expect_success 'closed at the epoch: resolved and closed are set' '
	KEFU_USER=$agent ticket-close --result 已退款 GD197001010001 &&
	ticket-show --json GD197001010001 | jq -c "[.resolved, .closed]" >got &&
	echo "[\"1970-01-01T08:00:00+08:00\",\"1970-01-01T08:00:00+08:00\"]" >expect &&
	test_cmp expect got
'

# Opened 07:00 in Shanghai, pending until 08:00 (the epoch), hours from 09:00:
# at 11:00 two hours of each clock are used.
test_expect_success 'a pause ending at the epoch is over, not still running' '
	KEFU_NOW=1969-12-31T23:00:00Z ticket-open -u 13900000002 "洗衣机漏水" >id &&
	KEFU_NOW=1969-12-31T23:00:00Z KEFU_USER=$agent ticket-claim "$(cat id)" &&
	KEFU_NOW=1969-12-31T23:00:00Z KEFU_USER=$agent ticket-update --status pending "$(cat id)" &&
	KEFU_USER=$agent ticket-update --status open "$(cat id)" &&
	desk_sql "SELECT \"end\" FROM pauses" >got && echo 0 >expect && test_cmp expect got &&
	sla-check --json --at 1970-01-01T03:00:00Z | jq -r "select(.id == \"$(cat id)\") | .clock + \" \" + .left" >got &&
	printf "response 0s\nresolve 46h\n" >expect && test_cmp expect got
'

test_done
