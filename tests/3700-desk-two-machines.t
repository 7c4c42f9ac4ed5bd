#!/bin/sh
# Two desks on one PostgreSQL database, as two machines of a team: two
# clones of one knowledge base sharing one queue. Whatever runs on both
# at once, the database keeps one truth: ids unique and in sequence per
# day, one winner of a ringall ticket, each breach escalated once, one
# round-robin place for a department.
#
# The writers run at the issue's full size, 2 desks x 10 processes x 200
# ticket-open (4,000 tickets), when $KEFU_TEST_PG_FULL is set, as make
# check's first PostgreSQL pass sets it; otherwise (the pass under the
# sanitizers, a run by hand) at 2 x 5 x 40, the same race in less time.
. "$(dirname "$0")/lib.sh"

if ! on_postgres; then
	test_skip "two machines share tickets through PostgreSQL: make check's second pass runs this"
	test_done
fi

sup=zhou.min@example.com
export KEFU_NOW=2026-03-02T10:00:00+08:00 KEFU_USER=$sup

test_expect_success 'a clone joins the database: two desks, one queue' '
	empty_desk a && (
		cd a &&
		cat >workflows/roles.yaml <<-EOT &&
		people:
		  - {email: $sup, name: 周敏, roles: [supervisor], department: 测试部}
		  - {email: a1@example.com, roles: [agent], department: 测试部}
		  - {email: a2@example.com, roles: [agent], department: 测试部}
		  - {email: a3@example.com, roles: [agent], department: 测试部}
		  - {email: r0@example.com, roles: [agent], department: 收款部}
		  - {email: r1@example.com, roles: [agent], department: 收款部}
		  - {email: r2@example.com, roles: [agent], department: 收款部}
		  - {email: r3@example.com, roles: [agent], department: 收款部}
		  - {email: r4@example.com, roles: [agent], department: 收款部}
		  - {email: r5@example.com, roles: [agent], department: 收款部}
		  - {email: r6@example.com, roles: [agent], department: 收款部}
		  - {email: r7@example.com, roles: [agent], department: 收款部}
		  - {email: r8@example.com, roles: [agent], department: 收款部}
		  - {email: r9@example.com, roles: [agent], department: 收款部}
		EOT
		cat >workflows/routing.yaml <<-EOT &&
		departments:
		  - {name: 测试部, strategy: roundrobin, supervisor: $sup}
		  - {name: 收款部, strategy: ringall, supervisor: $sup}
		rules:
		  - match: {keywords: [发票]}
		    department: 收款部
		  - department: 测试部
		EOT
		cat >workflows/calendars.yaml <<-EOT &&
		calendars:
		  always: {zone: Asia/Shanghai, daily: ["00:00-24:00"]}
		EOT
		cat >workflows/sla.yaml <<-EOT &&
		policies:
		  - {name: quick, calendar: always, response: 5m, resolve: 1d}
		EOT
		git add -A && git commit -q -m "the team"
	) &&
	git clone -q a b &&
	kb-init --db "$(cat a/.kefu/database)" b &&
	test ! -e b/.kefu/desk.db && test -s b/.kefu/index.db &&
	test -x b/.git/hooks/reference-transaction &&
	id=$(KEFU_USER=a1@example.com ticket-open -C a -u first "第一张") &&
	ticket-list -C b | cut -f1 >got && echo "$id" >expect && test_cmp expect got
'

test_expect_success 'a clone with tickets of its own, or a database already, is refused' '
	git clone -q a c &&
	test_must_fail kb-init --db "$(cat a/.kefu/database)" --sample c 2>err &&
	grep -F "is not empty" err &&
	test_must_fail kb-init --db "$(cat a/.kefu/database)" b 2>err &&
	grep -F "has a database already" err &&
	test_must_fail kb-init --db "host=$KEFU_TEST_PG user=kefu dbname=no_such_db" c 2>err &&
	grep -F "cannot connect to the desk database" err &&
	test ! -e c/.kefu && test ! -e c/.git/hooks/reference-transaction
'

test_expect_success 'roundrobin keeps one place for the department across both desks' '
	for n in 1 2 3 4 5 6; do
		if [ $((n % 2)) = 1 ]; then d=a; else d=b; fi
		id=$(ticket-open -C $d -u rr$n "轮流 $n") &&
		ticket-route -C $d "$id" | cut -f3 || return 1
	done >got &&
	printf "a%s@example.com\n" 1 2 3 1 2 3 >expect && test_cmp expect got
'

test_expect_success 'routing at once from both desks still goes round evenly' '
	for d in a b; do
		for n in 1 2 3; do
			(id=$(ticket-open -C $d -u "rr-$d$n" "同时轮流 $d $n") &&
			 ticket-route -C $d "$id" | cut -f3 >rr-$d$n) &
		done
	done
	wait
	cat rr-* | sort | uniq -c | awk "{ print \$1 }" >got &&
	printf "2\n2\n2\n" >expect && test_cmp expect got
'

test_expect_success 'ten claims of one ringall ticket from both desks: exactly one wins' '
	id=$(ticket-open -C a -u ring "要开发票") &&
	ticket-route -C a "$id" | cut -f2,3 >got &&
	printf "收款部\t\n" >expect && test_cmp expect got &&
	for n in 0 1 2 3 4 5 6 7 8 9; do
		if [ $((n % 2)) = 0 ]; then d=a; else d=b; fi
		(KEFU_USER=r$n@example.com ticket-claim -C $d "$id" >/dev/null 2>err-$n; echo $? >rc-$n) &
	done
	wait
	cat rc-* | sort | uniq -c | awk "{ print \$1 \" \" \$2 }" >got &&
	printf "1 0\n9 2\n" >expect && test_cmp expect got &&
	winner=$(ticket-show -C b --json "$id" | jq -r .assignee) &&
	test "$(cat err-* | grep -c "is already claimed by $winner")" = 9
'

test_expect_success 'sla-check --escalate on both at the same instant: each breach escalated once' '
	for n in 1 2 3 4 5; do ticket-open -C b -u late$n "等了很久 $n" >/dev/null || return 1; done &&
	breaches=$(KEFU_NOW=2026-03-02T11:00:00+08:00 sla-check -C a | grep -c breached) &&
	test "$breaches" -gt 5 &&
	for d in a b; do
		(KEFU_NOW=2026-03-02T11:00:00+08:00 KEFU_USER=$sup sla-check -C $d --escalate \
			>/dev/null 2>said-$d; echo $? >rc-$d) &
	done
	wait
	cat rc-a rc-b >got && printf "1\n1\n" >expect && test_cmp expect got &&
	cat said-a said-b | sed -n "s/^sla-check: escalated \([0-9]*\) breach.*/\1/p" >counts &&
	test "$(awk "{ n += \$1 } END { print n }" counts)" = "$breaches" &&
	{ KEFU_NOW=2026-03-02T11:00:00+08:00 KEFU_USER=$sup sla-check -C b --escalate >/dev/null 2>again
	  test $? = 1; } &&
	! grep -F "escalated" again &&
	desk_sql_a() { (cd a && desk_sql "$1"); } &&
	test "$(desk_sql_a "SELECT count(*) FROM events WHERE what = '\''escalate'\'' AND field = '\''priority'\''")" = "$breaches"
'

test_expect_success 'a script used on one machine ranks on the other once kb-index has run' '
	mkdir -p a/kb/售后服务 && cp "$KEFU_SRC/kb/售后服务/refund-7day.yaml" a/kb/售后服务/ &&
	git -C a add -A && git -C a commit -q -m "a script" &&
	git -C b pull -q ../a main &&
	KEFU_USER=a1@example.com kb-use -C a refund-7day &&
	KEFU_USER=a1@example.com kb-use -C a refund-7day &&
	kb-search -C a -n 1 退款 | cut -f1,5 >got &&
	printf "refund-7day\t2\n" >expect && test_cmp expect got &&
	kb-search -C b -n 1 退款 | cut -f1,5 >got &&
	printf "refund-7day\t0\n" >stale && test_cmp stale got &&
	kb-index -C b &&
	kb-search -C b -n 1 退款 | cut -f1,5 >got && test_cmp expect got
'

if [ -n "${KEFU_TEST_PG_FULL:-}" ]; then procs="1 2 3 4 5 6 7 8 9 10" each=200; else procs="1 2 3 4 5" each=40; fi
nprocs=$(echo $procs | wc -w)
total=$((2 * nprocs * each))
test_expect_success "2 desks x $nprocs processes x $each ticket-open at once: $total unique, in sequence, no error" '
	before=$(cd a && desk_sql "SELECT count(*) FROM tickets") &&
	for d in a b; do
		for p in $procs; do
			(
				i=0
				while [ $i -lt $each ]; do
					ticket-open -C $d -c chat -u "$d$p-$i" "并发 $d $p $i" || echo "failed $d $p $i" >&2
					i=$((i + 1))
				done >ids-$d$p 2>errs-$d$p
			) &
		done
	done
	wait
	cat errs-* >errs && test ! -s errs &&
	cat ids-* >ids && test_line_count ids = $total &&
	test "$(sort -u ids | wc -l)" = $total &&
	grep -vc "^GD20260302[0-9]\{4\}$" ids | grep -x 0 &&
	all=$((before + total)) &&
	test "$(cd a && desk_sql "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM tickets")" = "$all|$all|1|$all" &&
	test "$(ticket-list -C a -a | wc -l)" = "$(ticket-list -C b -a | wc -l)"
'

test_done
