#!/bin/sh
# Follow-up calls (回访): workflows/followups.yaml makes them on a ticket's
# events (opened, resolved, closed, a date of the customer's); ticket-
# followup lists who to call, records how each call went (a satisfaction
# then is the ticket's), moves them, and tells a hook once a call. An
# unsatisfied customer or an unresolved problem is escalated, once.
# And ticket-update --worked, the handling time.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
tech=wu.hao@example.com       # 技术部
techsup=wang.qiang@example.com
agent=zhang.wei@example.com   # 售后部
sup=zhou.min@example.com
at() { KEFU_NOW=2026-03-$1+08:00; export KEFU_NOW; }
as() { who=$1; shift; KEFU_USER=$who "$@"; }
field() { ticket-show --json "$1" | jq -r ".$2"; }
# calls [ARGS]: ticket-followup's list as "id name state due", one a line
calls() { ticket-followup "$@" | cut -f1-4; }
at 02T10:00:00

test_expect_success 'the sample desk has follow-up rules, and kb-lint finds them clean' '
	test -f workflows/followups.yaml && kb-lint workflows/followups.yaml &&
	grep -F "name: callback" workflows/followups.yaml
'

test_expect_success 'kb-lint: every problem of followups.yaml, with its line and key' '
	mkdir ../lint && cp -r workflows ../lint/ && f=../lint/workflows/followups.yaml &&
	cat >$f <<-\EOT &&
	followups:
	  - name: callback
	    on: resolved
	    after: 3d
	    calendar: weekly
	    colour: red
	  - name: callback
	    on: Fixed
	    after: soon
	    match: {satisfaction: "<=9", department: 火星部, type: 八卦}
	  - name: Bad_Name
	    on: resolved
	EOT
	test_must_fail kb-lint $f >/dev/null 2>err &&
	grep -F "workflows/followups.yaml:6: colour: unknown key in a follow-up" err &&
	grep -F "workflows/followups.yaml:7: name: follow-up '\''callback'\'' is named twice" err &&
	grep -F "workflows/followups.yaml:8: on: '\''Fixed'\'' is neither opened, resolved nor closed" err &&
	grep -F "workflows/followups.yaml:9: after: bad duration '\''soon'\''" err &&
	grep -F "workflows/followups.yaml:10: satisfaction: '\''<=9'\'' is not a score" err &&
	grep -F "workflows/followups.yaml:11: name: '\''Bad_Name'\'' is not a name" err &&
	grep -F "workflows/followups.yaml:11: after: required key is missing" err &&
	printf "followups:\n  - {name: a, on: resolved, after: 1d, calendar: weekly, match: {department: 火星部, type: 八卦}}\n" >$f &&
	test_must_fail kb-lint $f >/dev/null 2>err &&
	grep -F "workflows/followups.yaml:2: calendar: '\''weekly'\'' (of follow-up a) is not a calendar of calendars.yaml" err &&
	grep -F "workflows/followups.yaml:2: department: '\''火星部'\'' (of follow-up a) is not a department of routing.yaml" err &&
	grep -F "workflows/followups.yaml:2: type: '\''八卦'\'' (of follow-up a) is not a type of classify.yaml" err &&
	printf "followups:\n" >$f && kb-lint $f
'

test_expect_success 'on resolved: a call-back three working days later (seed 001: 3个工作日内回访)' '
	id=$(ticket-open -t 技术支持 -c phone -u 13800000001 "空调不制冷") && echo "$id" >../fault &&
	ticket-route "$id" >/dev/null &&
	test_must_fail --code=0 ticket-followup "$id" >out && test ! -s out &&
	at 06T15:00:00 && as $tech ticket-update --reply "已更换电容" --status resolved "$id" &&
	calls >got &&
	printf "%s\tcallback\tscheduled\t2026-03-11T15:00:00+08:00\n" "$id" >expect && test_cmp expect got
'

test_expect_success 'on closed, as the rule matches: 3DC for a repair; a VIP courtesy call' '
	id=$(ticket-open -t 售后服务 -c phone -u 13900000002 --tag VIP "洗衣机换货") && echo "$id" >../exchange &&
	as $agent ticket-claim "$id" >/dev/null &&
	at 06T16:00:00 && as $agent ticket-close -r "已换新机" -s 5 "$id" &&
	calls "$id" >got &&
	printf "%s\tvisit-3dc\tscheduled\t2026-03-08T16:00:00+08:00\n%s\tvip-7day\tscheduled\t2026-03-13T16:00:00+08:00\n" "$id" "$id" >expect &&
	test_cmp expect got
'

test_expect_success 'on a date of the customer'\''s (a sale): 7DC and the first-service reminder' '
	id=$(ticket-open -t 售前咨询 -c phone -u 13900000003 "想买一台变频空调") && echo "$id" >../sale &&
	as li.na@example.com ticket-update --date sale=2026-03-05 "$id" &&
	calls "$id" >got &&
	printf "%s\tsale-7dc\tscheduled\t2026-03-07T00:00:00+08:00\n%s\tfirst-service\tscheduled\t2026-06-05T00:00:00+08:00\n" "$id" "$id" >expect &&
	test_cmp expect got &&
	ticket-show "$id" | grep -F "li.na@example.com  date  sale: - -> 2026-03-05T00:00:00+08:00" &&
	test_must_fail ticket-update --date closed=2026-03-05 "$id" 2>err &&
	grep -F "'\''closed'\'' is not a date'\''s name" err &&
	test_must_fail ticket-update --date sale "$id" 2>err && grep -F "takes NAME=TIME" err
'

test_expect_success 'on opened: a rule of the desk'\''s own, with a plain delay' '
	cp workflows/followups.yaml keep &&
	printf "  - {name: a-card, on: opened, after: 2d, purpose: A卡回访, match: {type: 售前咨询, channel: shop}}\n" >>workflows/followups.yaml &&
	git commit -q -am "A-card calls" &&
	id=$(ticket-open -t 售前咨询 -c shop -u 13900000004 "看了看样机") &&
	calls "$id" >got && printf "%s\ta-card\tscheduled\t2026-03-04T10:00:00+08:00\n" "$id" >expect && test_cmp expect got &&
	ticket-followup --done --note "电话未接通，不再回访" "$id" &&
	other=$(ticket-open -t 售前咨询 -c phone -u 13900000005 "问问价格") &&
	test_must_fail --code=0 ticket-followup "$other" >out && test ! -s out &&
	cp keep workflows/followups.yaml && git commit -q -am "no A-card calls"
'

test_expect_success 'who to call: by day, most overdue first; exit 1 while one is overdue' '
	fault=$(cat ../fault) exchange=$(cat ../exchange) sale=$(cat ../sale) &&
	at 07T09:00:00 && calls --due >got &&
	printf "%s\tsale-7dc\tdue\t2026-03-07T00:00:00+08:00\n" "$sale" >expect && test_cmp expect got &&
	at 09T09:00:00 && test_must_fail --code=1 ticket-followup --due >out &&
	cut -f1-3 out >got &&
	printf "%s\tsale-7dc\toverdue\n%s\tvisit-3dc\toverdue\n" "$sale" "$exchange" >expect && test_cmp expect got &&
	test_must_fail --code=1 ticket-followup --due --at 2026-03-11T10:00 >out &&
	cut -f1-3 out >got &&
	printf "%s\tsale-7dc\toverdue\n%s\tvisit-3dc\toverdue\n%s\tcallback\tdue\n" "$sale" "$exchange" "$fault" >expect &&
	test_cmp expect got &&
	test_must_fail --code=1 ticket-followup >out && test "$(wc -l <out)" = 5
'

test_expect_success 'the list: assignee, customer and purpose; --json has more' '
	fault=$(cat ../fault) &&
	ticket-followup --at 2026-03-11T09:00 "$fault" >got &&
	printf "%s\tcallback\tdue\t2026-03-11T15:00:00+08:00\t%s\t13800000001\t回访满意度：问题是否已彻底解决，对处理结果是否满意\n" "$fault" $tech >expect &&
	test_cmp expect got &&
	ticket-followup --json --at 2026-03-11T09:00 "$fault" | jq -r "keys_unsorted | join(\" \")" >got &&
	echo "id name state due assignee customer department purpose event scheduled notified done who note satisfaction" >expect &&
	test_cmp expect got &&
	test_must_fail ticket-followup GD000 2>err && grep -F "no ticket '\''GD000'\''" err
'

test_expect_success '--notify: followup-due once a call, for cron; a moved call told again' '
	mkdir -p workflows/hooks &&
	printf "#!/bin/sh\ncat >>\"%s/due\"\n" "$TEST_DIR" >workflows/hooks/followup-due && chmod +x workflows/hooks/followup-due &&
	sale=$(cat ../sale) exchange=$(cat ../exchange) &&
	at 09T08:30:00 && test_must_fail --code=1 ticket-followup --due --notify >/dev/null 2>err &&
	echo "ticket-followup: told of 2 follow-ups" >expect && test_cmp expect err &&
	jq -r "[.event, .ticket.id, .followup.name, .followup.state, .followup.due] | @tsv" "$TEST_DIR/due" >got &&
	printf "followup-due\t%s\tsale-7dc\toverdue\t2026-03-07T00:00:00+08:00\nfollowup-due\t%s\tvisit-3dc\toverdue\t2026-03-08T16:00:00+08:00\n" "$sale" "$exchange" >expect &&
	test_cmp expect got &&
	at 09T12:00:00 && test_must_fail --code=1 ticket-followup --due --notify >/dev/null 2>err &&
	test ! -s err && test "$(wc -l <"$TEST_DIR/due")" = 2 &&
	ticket-followup --reschedule 2026-03-10T10:00 --note "客户出差" "$sale" &&
	at 10T08:30:00 && test_must_fail --code=1 ticket-followup --due --notify >/dev/null 2>err &&
	echo "ticket-followup: told of 1 follow-up" >expect && test_cmp expect err &&
	test_must_fail ticket-followup --notify --at 2026-03-20 2>err && grep -F "later than now" err
'

test_expect_success '--reschedule moves the next call, or the one named; an event says so' '
	sale=$(cat ../sale) &&
	calls --at 2026-03-10T09:00 "$sale" | head -1 >got &&
	printf "%s\tsale-7dc\tdue\t2026-03-10T10:00:00+08:00\n" "$sale" >expect && test_cmp expect got &&
	ticket-show "$sale" | grep -F "followup  \"sale-7dc moved to 2026-03-10T10:00:00+08:00: 客户出差\"" &&
	ticket-followup --reschedule 2026-06-06T10:00 --name first-service "$sale" &&
	test_must_fail ticket-followup --reschedule 2026-06-06T10:00 --name nothing "$sale" 2>err &&
	echo "ticket-followup: no follow-up '\''nothing'\'' pending for $sale" >expect && test_cmp expect err
'

test_expect_success '--done: the call recorded; its satisfaction is the ticket'\''s' '
	sale=$(cat ../sale) &&
	at 10T11:00:00 && as li.na@example.com ticket-followup --done -s 4 --note "安装满意" "$sale" &&
	test "$(field "$sale" satisfaction)" = 4 &&
	ticket-followup --json "$sale" | jq -r "select(.name == \"sale-7dc\") | [.state, .who, .note, .satisfaction] | @tsv" >got &&
	printf "done\tli.na@example.com\t安装满意\t4\n" >expect && test_cmp expect got &&
	ticket-show "$sale" | grep -F "followup  satisfaction: - -> 4  \"sale-7dc done: 安装满意\"" &&
	calls "$sale" >got && printf "%s\tsale-7dc\tdone\n%s\tfirst-service\tscheduled\n" "$sale" "$sale" | cut -f1-3 >expect &&
	cut -f1-3 got >got3 && test_cmp expect got3
'

test_expect_success '--done, unsatisfied (不满意): escalated to the supervisor, open again, once' '
	exchange=$(cat ../exchange) &&
	at 10T14:00:00 && ticket-followup --done -s 2 --note "新机有异响" "$exchange" 2>err &&
	echo "ticket-followup: $exchange: the customer is unsatisfied: escalated to $sup" >expect &&
	test_cmp expect err &&
	ticket-show --json "$exchange" | jq -c "[.status, .assignee, .priority, .satisfaction, (.escalated | join(\",\"))]" >got &&
	echo "[\"open\",\"$sup\",\"high\",2,\"customer\"]" >expect && test_cmp expect got &&
	ticket-show "$exchange" | grep -F "escalate  status: closed -> open  \"the customer is unsatisfied (satisfaction 2)\"" &&
	ticket-followup "$exchange" | cut -f2,3 >got && printf "visit-3dc\tdone\nvip-7day\tcancelled\n" >expect && test_cmp expect got
'

test_expect_success 'once however recorded: a second low score escalates nothing more' '
	exchange=$(cat ../exchange) &&
	n=$(ticket-show --json "$exchange" | jq "[.events[] | select(.what == \"escalate\")] | length") &&
	as $sup ticket-close -r "已上门处理异响" -s 1 "$exchange" 2>err && test ! -s err &&
	test "$(field "$exchange" status)" = closed &&
	test "$(ticket-show --json "$exchange" | jq "[.events[] | select(.what == \"escalate\")] | length")" = "$n"
'

test_expect_success 'satisfaction 1 or 2 at the close escalates too; 3 does not' '
	id=$(ticket-open -t 售后服务 -u 13900000006 "退款慢") &&
	as $agent ticket-claim "$id" >/dev/null &&
	as $agent ticket-close -r 已退款 -s 1 "$id" 2>err &&
	grep -F "ticket-close: $id: the customer is unsatisfied: escalated to $sup, open again" err &&
	test "$(field "$id" status)/$(field "$id" assignee)" = "open/$sup" &&
	ok=$(ticket-open -t 售后服务 -u 13900000007 "退款慢了点") &&
	as $agent ticket-claim "$ok" >/dev/null &&
	as $agent ticket-close -r 已退款 -s 3 "$ok" 2>err && test ! -s err &&
	test "$(field "$ok" status)" = closed &&
	ticket-followup "$ok" | cut -f2 | sort >got && printf "lukewarm-callback\nvisit-3dc\n" >expect && test_cmp expect got
'

test_expect_success 'only the verdict given now escalates, not a low score recorded before' '
	id=$(ticket-open -t 售后服务 -u 13900000009 "换货进度") &&
	as $agent ticket-claim "$id" >/dev/null &&
	as $agent ticket-close -r "已换货" "$id" &&
	desk_sql "UPDATE tickets SET satisfaction = 2 WHERE id = '\''$id'\''" &&
	as $agent ticket-followup --done --note "已收到新机" "$id" 2>err && test ! -s err &&
	ticket-show --json "$id" | jq -c "[.status, .escalated]" >got &&
	echo "[\"closed\",[]]" >expect && test_cmp expect got
'

test_expect_success '--unresolved: escalated whatever the score; the call stays recorded' '
	fault=$(cat ../fault) &&
	at 11T15:30:00 && as li.na@example.com ticket-followup --done --unresolved -s 4 --note "又不制冷了" "$fault" 2>err &&
	grep -F "the problem is unresolved: escalated" err &&
	ticket-show --json "$fault" | jq -c "[.status, .assignee, .satisfaction]" >got &&
	echo "[\"open\",\"$techsup\",4]" >expect && test_cmp expect got &&
	ticket-followup "$fault" | cut -f2,3 >got && printf "callback\tunresolved\n" >expect && test_cmp expect got &&
	test_must_fail ticket-followup --done "$fault" 2>err &&
	echo "ticket-followup: no follow-up pending for $fault" >expect && test_cmp expect err
'

test_expect_success 'reopened, the pending calls are cancelled; resolved again, made again' '
	id=$(ticket-open -t 技术支持 -u 13900000008 "热水器报错E1") &&
	ticket-route "$id" >/dev/null && who=$(field "$id" assignee) &&
	as $who ticket-update --status resolved "$id" &&
	as $who ticket-reopen --note "又报错了" "$id" &&
	ticket-followup "$id" | cut -f2,3 >got && printf "callback\tcancelled\n" >expect && test_cmp expect got &&
	at 12T10:00:00 && as $who ticket-update --status resolved "$id" &&
	ticket-followup "$id" | cut -f2,3,4 >got &&
	printf "callback\tcancelled\t2026-03-05T10:00:00+08:00\ncallback\tscheduled\t2026-03-17T10:00:00+08:00\n" >expect &&
	test_cmp expect got
'

test_expect_success 'what is refused: options that do not go together, a bad score, nobody' '
	test_must_fail ticket-followup --done --reschedule 2026-03-12 GD1 2>err && grep -F "exclude each other" err &&
	test_must_fail ticket-followup --done --due GD1 2>err && grep -F "list; --done and --reschedule act" err &&
	test_must_fail ticket-followup --note x 2>err && grep -F "go with --done or --reschedule" err &&
	test_must_fail ticket-followup --done -s 6 GD1 2>err && grep -F "from 1 to 5" err &&
	test_must_fail ticket-followup --done 2>err && grep -F "one ticket, please" err &&
	test_must_fail env KEFU_USER=nobody@example.com ticket-followup --done "$(cat ../sale)" 2>err &&
	grep -F "nobody@example.com" err
'

test_expect_success 'ticket-update --worked adds up handling time: seconds in JSON' '
	id=$(cat ../sale) &&
	ticket-update --worked 25m "$id" && as $agent ticket-update --worked 1h5m "$id" &&
	test "$(field "$id" worked)" = 5400 &&
	ticket-show "$id" | grep -x "worked          1h30m" &&
	ticket-show "$id" | grep -F "$agent  worked  worked: 25m -> 1h30m" &&
	ticket-show --json "$id" | jq -r "[.events[] | select(.what == \"worked\") | .after] | join(\" \")" >got &&
	echo "1500 5400" >expect && test_cmp expect got &&
	test_must_fail ticket-update --worked soon "$id" 2>err && grep -F "takes a duration such as 25m" err &&
	test_must_fail ticket-update --worked 0s "$id" 2>err
'

test_done
