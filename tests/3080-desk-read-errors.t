#!/bin/sh
# A desk.db that cannot be read half-way is an error, exit 2, with one
# line saying why: never a shorter answer taken for the whole one. No
# breach is escalated that a pause would have held, no ticket claimed
# past an offer that could not be read, no agent given work whose status
# could not be read, no history shown cut short.
#
# A read error is made by replacing a table with a view that fails when
# read (abs() of the smallest integer overflows), and undone afterwards.
. "$(dirname "$0")/lib.sh"

sup=li.na@example.com
export KEFU_NOW=2026-03-02T10:00:00+08:00

empty_desk d && cd d || exit 1
cat >workflows/roles.yaml <<EOT
people:
  - {email: $sup, roles: [supervisor, agent], department: 甲部}
  - {email: a1@example.com, roles: [agent], department: 甲部}
  - {email: a2@example.com, roles: [agent], department: 甲部}
  - {email: a3@example.com, roles: [agent], department: 甲部}
EOT
cat >workflows/routing.yaml <<EOT
departments:
  - {name: 甲部, strategy: ringall, supervisor: $sup}
rules:
  - department: 甲部
EOT
cat >workflows/calendars.yaml <<EOT
calendars:
  24x7: {zone: Asia/Shanghai, daily: ["00:00-24:00"]}
EOT
cat >workflows/sla.yaml <<EOT
policies:
  - {name: default, calendar: 24x7, response: 10m, resolve: 1h}
EOT
git add -A && git commit -q -m "a desk for read errors" || exit 1

# unreadable TABLE: reading TABLE fails from now on; readable TABLE undoes it.
unreadable() {
	sqlite3 .kefu/desk.db "ALTER TABLE $1 RENAME TO $1_kept;
		CREATE VIEW $1 AS SELECT * FROM $1_kept WHERE abs(-9223372036854775807 - 1) > 0"
}
readable() {
	sqlite3 .kefu/desk.db "DROP VIEW $1; ALTER TABLE $1_kept RENAME TO $1"
}

# fails_on_read OUT CMD...: CMD exits 2 with one line naming the read error.
fails_on_read() {
	_out=$1 && shift &&
	test_must_fail "$@" >"$_out" 2>err &&
	test_line_count err = 1 &&
	grep -F "desk database: integer overflow" err
}

test_expect_success 'sla-check: a pause that cannot be read escalates nothing' '
	id=$(ticket-open -u c1 "请问在吗") &&
	echo "$id" >paused &&
	KEFU_NOW=2026-03-02T10:05:00+08:00 ticket-update --reply "请稍等" --status pending "$id" &&
	KEFU_NOW=2026-03-03T10:00:00+08:00 sla-check >out &&
	printf "%s\tresolve\tpaused\n" "$id" >expect && cut -f1-3 out >got && test_cmp expect got &&
	unreadable pauses &&
	KEFU_NOW=2026-03-03T10:00:00+08:00 fails_on_read out sla-check &&
	test_must_fail --code=1 grep . out &&
	KEFU_USER=$sup KEFU_NOW=2026-03-03T10:00:00+08:00 fails_on_read out sla-check --escalate &&
	test_must_fail --code=1 grep . out &&
	readable pauses &&
	test "$(ticket-show --json "$id" | jq -c "[.escalated, .priority, ([.events[] | select(.what == \"escalate\")] | length)]")" = "[[],\"normal\",0]"
'

test_expect_success 'ticket-list --overdue: a pause that cannot be read is an error' '
	unreadable pauses &&
	fails_on_read out ticket-list --overdue &&
	test_must_fail --code=1 grep . out &&
	readable pauses
'

test_expect_success 'ticket-show: a history that cannot be read shows nothing of the ticket' '
	id=$(cat paused) &&
	unreadable events &&
	fails_on_read out ticket-show "$id" &&
	test_must_fail --code=1 grep . out &&
	fails_on_read out ticket-show --json "$id" &&
	test_must_fail --code=1 grep . out &&
	readable events &&
	ticket-show --json "$id" | jq -e ".events | length > 1"
'

test_expect_success 'ticket-route: agents whose status cannot be read are offered nothing' '
	KEFU_USER=a3@example.com agent-status away &&
	id=$(ticket-open -u c2 "空调不制冷") && echo "$id" >offered &&
	unreadable agents &&
	fails_on_read out ticket-route "$id" &&
	test_must_fail --code=1 grep . out &&
	readable agents &&
	ticket-show --json "$id" | jq -r "[.status, .department // \"-\"] | @tsv" >got &&
	printf "new\t-\n" >expect && test_cmp expect got &&
	ticket-route --json "$id" | jq -c .offered >got &&
	echo "[\"li.na@example.com\",\"a1@example.com\",\"a2@example.com\"]" >expect && test_cmp expect got
'

test_expect_success 'agent-status: a status that cannot be read is an error' '
	unreadable agents &&
	fails_on_read out agent-status &&
	test_must_fail --code=1 grep . out &&
	readable agents &&
	agent-status a3@example.com | cut -f4 >got && echo away >expect && test_cmp expect got
'

test_expect_success 'ticket-claim: an offer that cannot be read lets no claim through' '
	id=$(cat offered) &&
	KEFU_USER=a3@example.com agent-status available &&
	KEFU_USER=a3@example.com test_must_fail ticket-claim "$id" 2>err &&
	grep -F "refused: $id is offered to other agents" err &&
	unreadable offers &&
	KEFU_USER=a3@example.com fails_on_read out ticket-claim "$id" &&
	test_must_fail --code=1 grep . out &&
	readable offers &&
	ticket-show --json "$id" | jq -r ".assignee // \"nobody\"" >got &&
	echo nobody >expect && test_cmp expect got &&
	KEFU_USER=a1@example.com ticket-claim "$id"
'

test_expect_success 'kb-search: uses that cannot be read are said, the results still shown' '
	write_entry kb/a/twin.yaml twin 发票抬头修改 a && commit_all . entry &&
	kb-use twin &&
	unreadable kb_usage &&
	kb-search 发票抬头 >out 2>err &&
	cut -f1 out >got && echo twin >expect && test_cmp expect got &&
	test_line_count err = 1 && grep -F "integer overflow (uses not counted)" err &&
	readable kb_usage &&
	kb-search 发票抬头 | cut -f1,5 >got && printf "twin\t1\n" >expect && test_cmp expect got
'

test_done
