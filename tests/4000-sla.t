#!/bin/sh
# SLA clocks in business time: sla-due, sla-check from cron, escalation.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
sup=chen.jing@example.com   # supervisor of 客服中心
at() { KEFU_NOW=2026-03-$1+08:00; export KEFU_NOW; }
field() { ticket-show --json "$1" | jq -r ".$2"; }

test_expect_success 'sla-due: the due instant in business time' '
	cat >cases <<-\EOT &&
	2026-03-02T17:00:00+08:00 60m                2026-03-02T18:00:00+08:00
	2026-03-02T11:30:00+08:00 1h                 2026-03-02T14:00:00+08:00
	2026-03-02T07:00:00+08:00 10m                2026-03-02T09:10:00+08:00
	2026-03-06T17:30:00+08:00 2h                 2026-03-07T11:30:00+08:00
	2026-03-07T15:00:00+08:00 2h                 2026-03-09T10:00:00+08:00
	2026-02-13T17:00:00+08:00 2h                 2026-02-14T10:00:00+08:00
	2026-02-14T17:00:00+08:00 2h                 2026-02-24T10:00:00+08:00
	2026-03-02T01:30:00Z      30m                2026-03-02T10:00:00+08:00
	2026-03-02T09:00:00       7h30m              2026-03-02T18:00:00+08:00
	EOT
	while read -r from dur want; do
		got=$(sla-due "$from" "$dur") || exit 1
		test "$got" = "$want" || { echo "$from + $dur: got $got, want $want" >&2; exit 1; }
	done <cases
'

test_expect_success 'sla-due: other calendars, pauses, UTC, and between' '
	test "$(sla-due -c 24x7 2026-03-02T23:30:00+08:00 1h)" = 2026-03-03T00:30:00+08:00 &&
	test "$(sla-due -c evening 2026-03-02T10:00:00+08:00 1h)" = 2026-03-02T19:00:00+08:00 &&
	test "$(sla-due -c 24x7 --pause 2026-03-02T10:00/2026-03-02T11:00 2026-03-02T09:30 1h)" = 2026-03-02T11:30:00+08:00 &&
	test "$(sla-due -u 2026-03-02T17:00 30m)" = 2026-03-02T09:30:00Z &&
	test "$(sla-due -c workdays 2026-02-12T15:00 3d)" = 2026-02-24T15:00:00+08:00 &&
	test "$(sla-due --between 2026-03-02T09:00 2026-03-03T09:00)" = 7h30m &&
	test "$(sla-due --between 2026-03-06T12:00 2026-03-09T10:00)" = 11h30m &&
	test "$(sla-due --between 2026-03-03T09:00 2026-03-02T09:00)" = 0s
'

test_expect_success 'a wall time skipped by a spring-forward is read as the end of the gap' '
	empty_desk ../ny && (
		cd ../ny &&
		printf "calendars:\n  business:\n    zone: America/New_York\n    daily: [\"00:00-24:00\"]\n" >workflows/calendars.yaml &&
		git commit -q -am "New York" &&
		test "$(sla-due 2026-03-08T02:30 0s)" = 2026-03-08T03:00:00-04:00 &&
		test "$(sla-due 2026-03-08T01:30 1h)" = 2026-03-08T03:30:00-04:00 &&
		test "$(sla-due 2026-11-01T01:30 30m)" = 2026-11-01T01:00:00-05:00 &&
		test "$(sla-due --between 2026-03-08T02:30 2026-03-08T04:00)" = 1h
	)
'

test_expect_success 'sla-due: bad input is one clear line' '
	test_must_fail sla-due -c nope 2026-03-02 1h 2>err &&
	echo "sla-due: no calendar '\''nope'\'' in workflows/calendars.yaml" >expect && test_cmp expect err &&
	test_must_fail sla-due 2026-03-02 1x 2>err && grep -F "1x" err &&
	test_must_fail sla-due yesterday 1h 2>err && grep -F "invalid time '\''yesterday'\''" err &&
	test_must_fail sla-due --pause 2026-03-02T11:00 2026-03-02 1h 2>err &&
	grep -F "a pause is FROM/TO" err &&
	test_must_fail sla-due 2026-03-02 2>err && grep -F "wants FROM and DURATION" err
'

test_expect_success 'a calendar with no hours at all is refused where it is written' '
	empty_desk ../nohours && cd ../nohours &&
	printf "calendars:\n  never:\n    zone: Asia/Shanghai\n    weekdays: []\n" >workflows/calendars.yaml &&
	git commit -q -am "no hours" &&
	test_must_fail sla-due -c never 2026-03-02 1h 2>err &&
	grep -F "workflows/calendars.yaml:2:" err
'

test_expect_success 'ticket-open sets the due times by the first fitting policy' '
	at 02T10:00:00 &&
	ticket-open -u c1 -c chat "请问有什么推荐" >id1 && id=$(cat id1) &&
	ticket-show --json "$id" | jq -r "[.sla_policy, .response_due, .resolve_due] | @tsv" >got &&
	printf "default\t2026-03-02T10:10:00+08:00\t2026-03-09T16:00:00+08:00\n" >expect && test_cmp expect got &&
	ticket-open -u c2 -t 售后投诉 "态度差" >id2 &&
	ticket-show --json "$(cat id2)" | jq -r "[.sla_policy, .response_due, .resolve_due] | @tsv" >got &&
	printf "complaint\t2026-03-02T10:05:00+08:00\t2026-03-03T10:00:00+08:00\n" >expect && test_cmp expect got
'

test_expect_success 'sla-check: ok, soon past the warn share, breached; exit 1 on a breach' '
	id=$(cat id1) &&
	at 02T10:05:00 && sla-check >out && grep -F "$id	response	ok	2026-03-02T10:10:00+08:00	5m" out &&
	grep -F "$(cat id2)	response	soon	2026-03-02T10:05:00+08:00	0s" out &&
	at 02T10:08:00 && test_must_fail --code=1 sla-check >out &&
	grep -F "$id	response	soon	2026-03-02T10:10:00+08:00	2m" out &&
	grep -F "$(cat id2)	response	breached	2026-03-02T10:05:00+08:00	-3m" out &&
	at 02T10:30:00 && test_must_fail --code=1 sla-check >out &&
	grep -F "$id	response	breached	2026-03-02T10:10:00+08:00	-20m" out &&
	grep -F "$id	resolve	ok	2026-03-09T16:00:00+08:00	47h30m" out
'

test_expect_success '--at, --state and --json' '
	id=$(cat id1) &&
	sla-check --at 2026-03-02T10:01:00+08:00 >out && grep -F "$id	response	ok" out &&
	test_must_fail --code=1 sla-check -s breached >out &&
	! grep -v "	breached	" out &&
	test_must_fail --code=1 sla-check --json -s breached | jq -c "keys_unsorted" | sort -u >keys &&
	echo "[\"id\",\"clock\",\"state\",\"due\",\"left\"]" >expect && test_cmp expect keys
'

test_expect_success 'the first reply stops the response clock' '
	id=$(cat id1) &&
	KEFU_USER=$sup ticket-update --reply "您好" "$id" &&
	{ sla-check >out; test $? = 1; } && ! grep -F "$id	response" out && grep -F "$id	resolve" out
'

test_expect_success 'pending pauses the clock, which reads paused; every pause counts nothing' '
	id=$(cat id1) &&
	at 02T11:00:00 && KEFU_USER=$sup ticket-update --status pending "$id" &&
	at 03T11:00:00 && sla-check --json | jq -r "select(.id == \"$id\") | .left" >left1 &&
	at 04T11:00:00 && sla-check --json | jq -r "select(.id == \"$id\") | .left" >left2 &&
	test_cmp left1 left2 &&
	sla-check -s paused | cut -f1-3 >got && printf "%s\tresolve\tpaused\n" "$id" >expect &&
	test_cmp expect got &&
	! sla-check -s ok -s soon | grep -F "$id" &&
	at 04T11:00:00 && KEFU_USER=$sup ticket-update --status open "$id" &&
	test "$(field "$id" resolve_due)" = 2026-03-11T16:00:00+08:00
'

test_expect_success 'a type change re-evaluates the policy without losing the paused time' '
	id=$(cat id1) &&
	KEFU_USER=$sup ticket-update --type 售后投诉 "$id" &&
	test "$(field "$id" sla_policy)" = complaint &&
	test "$(field "$id" resolve_due)" = 2026-03-05T10:00:00+08:00
'

test_expect_success 'reopening restarts the resolve clock by the policy' '
	id=$(cat id2) &&
	KEFU_USER=zhou.min@example.com ticket-claim "$id" >/dev/null &&
	at 02T12:00:00 && KEFU_USER=zhou.min@example.com ticket-close -r 已道歉 "$id" &&
	sla-check >out && ! grep -F "$id" out &&
	at 05T09:00:00 && KEFU_USER=zhou.min@example.com ticket-reopen "$id" &&
	test "$(field "$id" resolve_due)" = 2026-03-06T09:00:00+08:00
'

test_expect_success '--escalate: once per breach, however often cron runs it' '
	empty_desk ../e && cd ../e && cp -r ../d/workflows . && git add -A && git commit -q -m sample &&
	mkdir -p workflows/hooks && printf "#!/bin/sh\ncat >>\"%s/escalated\"\n" "$TEST_DIR" >workflows/hooks/escalated &&
	chmod +x workflows/hooks/escalated &&
	at 02T10:00:00 && id=$(ticket-open -u x -c chat "请问在吗") && ticket-route "$id" >/dev/null &&
	test "$(field "$id" priority)" = normal &&
	at 02T10:20:00 && test_must_fail env KEFU_USER=li.na@example.com sla-check --escalate 2>err &&
	grep -F "is not a supervisor" err &&
	test_must_fail --code=1 env KEFU_USER=$sup sla-check --escalate >out 2>err &&
	echo "sla-check: escalated 1 breach" >expect && test_cmp expect err &&
	ticket-show --json "$id" | jq -r "[.priority, .assignee, (.escalated | join(\",\"))] | @tsv" >got &&
	printf "high\t%s\tresponse\n" $sup >expect && test_cmp expect got &&
	ticket-show "$id" | grep -F "escalate  priority: normal -> high  \"response clock breached (due 2026-03-02T10:10:00+08:00)\"" &&
	jq -r "[.event, .ticket.id, .reason, .clock, .supervisor, .ticket.assignee] | @tsv" "$TEST_DIR/escalated" >got &&
	printf "escalated\t%s\tresponse\tresponse\t%s\t%s\n" "$id" $sup $sup >expect && test_cmp expect got &&
	n=$(ticket-show --json "$id" | jq "[.events[] | select(.what == \"escalate\")] | length") &&
	at 02T10:40:00 && test_must_fail --code=1 env KEFU_USER=$sup sla-check --escalate >out 2>err &&
	test ! -s err && test "$(wc -l <"$TEST_DIR/escalated")" = 1 &&
	test "$(ticket-show --json "$id" | jq "[.events[] | select(.what == \"escalate\")] | length")" = "$n"
'

test_expect_success 'many tickets in one run: no cap' '
	cd ../e &&
	at 02T10:00:00 && i=0 && while [ $i -lt 60 ]; do
		ticket-open -u "m$i" -c chat "问题 $i" >/dev/null || exit 1
		i=$((i + 1))
	done &&
	at 02T12:00:00 && test_must_fail --code=1 env KEFU_USER=$sup sla-check --escalate -s breached >out 2>err &&
	grep -F "escalated 60 breaches" err &&
	test "$(ticket-list -p high | wc -l)" = 61
'

test_expect_success 'an escalation keeps the policy the promise was made under' '
	cd ../e &&
	awk "/^policies:/ { print; print \"  - name: hot\"; print \"    match: {priority: high}\";
		print \"    calendar: 24x7\"; print \"    response: 1m\"; print \"    resolve: 1h\"; next } 1" \
		workflows/sla.yaml >sla.new && mv sla.new workflows/sla.yaml &&
	git commit -q -am "a policy for high priority" &&
	at 02T10:00:00 && id=$(ticket-open -u k -c chat "请问在吗") &&
	test "$(field "$id" sla_policy)" = default &&
	at 02T10:20:00 && test_must_fail --code=1 env KEFU_USER=$sup sla-check --escalate >out 2>err &&
	ticket-show --json "$id" | jq -r "[.priority, .sla_policy, .response_due] | @tsv" >got &&
	printf "high\tdefault\t2026-03-02T10:10:00+08:00\n" >expect && test_cmp expect got &&
	ticket-show "$id" | grep -F "escalated: none -> response" &&
	KEFU_USER=$sup ticket-update --reply "您好" "$id" &&
	test "$(field "$id" sla_policy)" = default &&
	KEFU_USER=$sup ticket-update --priority normal "$id" &&
	KEFU_USER=$sup ticket-update --priority high "$id" &&
	test "$(field "$id" sla_policy)" = hot
'

test_expect_success 'a policy renamed in sla.yaml still checks its open tickets' '
	cd ../e &&
	at 02T10:00:00 && id=$(ticket-open -u r -c chat "改名前的工单") &&
	sed "s/- name: default/- name: standard/" workflows/sla.yaml >sla.new &&
	mv sla.new workflows/sla.yaml && git commit -q -am "rename default" &&
	at 02T10:01:00 && sla-check >out; grep -F "$id	response	ok" out
'

test_expect_success 'two policies of one name are refused where the second is' '
	cd ../e &&
	printf "policies:\n  - name: a\n    calendar: 24x7\n    response: 1h\n    resolve: 2h\n  - name: a\n    calendar: 24x7\n    response: 2h\n    resolve: 4h\n" >workflows/sla.yaml &&
	test_must_fail kb-lint 2>err >/dev/null; grep -F "workflows/sla.yaml:6: name: policy '\''a'\'' is named twice" err &&
	git checkout -q workflows/sla.yaml
'

test_expect_success 'escalation only acts on breaches that have happened; -u wants a due instant' '
	cd ../e &&
	at 02T10:00:00 &&
	test_must_fail env KEFU_USER=$sup sla-check --escalate --at 2026-03-02T11:00:00+08:00 2>err &&
	grep -F "is later than now" err &&
	test_must_fail sla-due -u --between 2026-03-02T09:00 2026-03-03T09:00 2>err &&
	grep -F -- "--between prints a duration" err
'

test_done
