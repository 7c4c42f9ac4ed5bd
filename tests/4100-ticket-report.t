#!/bin/sh
# ticket-report: the figures of a fixed desk, every one worked out by
# hand from the instants below, exact in TSV and JSON; groups that add
# up; targets; empty periods; what is refused.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
at() { KEFU_NOW=2026-04-0$1+08:00; export KEFU_NOW; }
as() { who=$1; shift; KEFU_USER=$who "$@"; }
zw=zhang.wei@example.com sl=sun.li@example.com wh=wu.hao@example.com hq=huang.qian@example.com

# The sample calendar "business": 09:00-12:00 and 13:30-18:00 on weekdays,
# 2026-04-04..06 (清明) a holiday. Policy default (business): response 10m,
# resolve 48h; complaint (24x7): response 5m, resolve 24h.
#
# t1, Thu 04-02 09:00, default: answered 09:04 (240 s, met); waits on the
#   customer 10:00-11:00; 20m worked; closed 11:30 rated 5: resolution
#   9000 s - 3600 s paused = 5400; first contact.
at 2T09:00:00; t1=$(ticket-open -c phone -u c1 -t 售后服务 -p normal "洗衣机漏水怎么办")
at 2T09:01:00; as $zw ticket-claim $t1 >/dev/null
at 2T09:04:00; as $zw ticket-update --reply "您好，请先关闭水阀" $t1
at 2T09:30:00; as $zw kb-use refund-7day --ticket $t1 >/dev/null
at 2T10:00:00; as $zw ticket-update --status pending $t1
at 2T11:00:00; as $zw ticket-update --status open $t1
at 2T11:20:00; as $zw ticket-update --worked 20m $t1
at 2T11:30:00; as $zw ticket-close --result 已处理 --satisfaction 5 $t1
# t2, Thu 11:50, default: answered after lunch, 13:40: 600 + 600 = 1200 s,
#   its clock missed at 12:00; handed to 技术部 (no first contact), chased
#   once; 15m worked; closed 15:00 rated 4: resolution 600 + 5400 = 6000.
at 2T11:50:00; t2=$(ticket-open -c chat -u c2 -t 售后服务 -p normal "空调不制冷")
at 2T11:51:00; as $sl ticket-claim $t2 >/dev/null
at 2T13:40:00; as $sl ticket-update --reply "请描述一下故障" $t2
at 2T13:45:00; as $sl ticket-update --transfer 技术部 --note "是制冷故障" $t2 >/dev/null
at 2T13:50:00; as $sl ticket-update --urge $t2
at 2T14:00:00; as $wh ticket-claim $t2 >/dev/null
at 2T14:50:00; as $wh ticket-update --worked 15m $t2
at 2T14:55:00; as $wh kb-use aircon-not-cooling --ticket $t2 --note "改成先查滤网" >/dev/null
at 2T15:00:00; as $wh ticket-close --result 已上门 --satisfaction 4 $t2
# t3, Thu 10:00, a complaint (24x7): answered 10:02 (120 s); resolved
#   10:30 (1800 s); reopened 10:40; 10m worked; closed 11:00 rated 2,
#   which escalates it to the supervisor zhou.min and opens it again: two
#   reopenings, one escalation, and a third resolve clock that runs out
#   on Fri 11:00.
at 2T10:00:00; t3=$(ticket-open -c phone -u c3 -t 售后投诉 -p normal "快递员态度很差")
at 2T10:01:00; as $hq ticket-claim $t3 >/dev/null
at 2T10:02:00; as $hq ticket-update --reply "非常抱歉" $t3
at 2T10:30:00; as $hq ticket-close --result 已道歉 $t3
at 2T10:40:00; as $hq ticket-reopen $t3
at 2T11:00:00; as $hq ticket-update --worked 10m $t3
at 2T11:00:00; as $hq ticket-close --result 已赔偿 --satisfaction 2 $t3 2>/dev/null
# t4, Fri 04-03 17:55: answered after hours and the holiday, Tue 04-07
#   09:03: 300 + 180 = 480 s, within its 10 minutes.
at 3T17:55:00; t4=$(ticket-open -c email -u c4 -t 售后服务 -p normal "发票抬头错了")
at 3T17:56:00; as $zw ticket-claim $t4 >/dev/null
at 7T09:03:00; as $zw ticket-update --reply "已重开发票" $t4
# t5, Thu 16:00: never answered; its 10 minutes ran out at 16:10.
at 2T16:00:00; t5=$(ticket-open -c chat -u c5 -t 售后服务 -p normal "退款进度")
at 2T16:01:00; as $sl ticket-claim $t5 >/dev/null
at 8T12:00:00

# Thursday 04-02, by who holds each ticket at its end:
#   opened t1 t2 t3 t5; resolved t1 t2 t3; backlog t3 t5;
#   first response 240 1200 120: mean 520, median 240, p90 1200;
#   resolution 5400 6000 1800: mean 4400, median 5400, p90 6000;
#   response clocks t1 met, t2 missed, t3 met, t5 missed: 0.5;
#   resolve clocks t1, t2, t3 twice, all met: 1; first contact t1 of 3;
#   ratings 5 4 2: 3.67, 2 of 3 satisfied; worked 1200 900 600: 900;
#   reopened 2, escalated 1, urged 1, scripts 2. Targets (the sample's
#   targets.yaml): 30 s, 85%, 4.5, 10m.
test_expect_success 'a day by agent: the figures worked out by hand, in TSV' '
	cat >expect <<-\EOT &&
	agent	sun.li@example.com	2026-04-02	2026-04-02	1	0	1							0.0000				0			0	0	0	0	30				0.8500		4.50		600	
	agent	wu.hao@example.com	2026-04-02	2026-04-02	1	1	0	1200	1200	1200	6000	6000	6000	0.0000	1.0000	0.0000	4.00	1	1.0000	900	0	0	1	1	30	false			0.8500	false	4.50	false	600	false
	agent	zhang.wei@example.com	2026-04-02	2026-04-02	1	1	0	240	240	240	5400	5400	5400	1.0000	1.0000	1.0000	5.00	1	1.0000	1200	0	0	0	1	30	false			0.8500	true	4.50	true	600	false
	agent	zhou.min@example.com	2026-04-02	2026-04-02	1	1	1	120	120	120	1800	1800	1800	1.0000	1.0000	0.0000	2.00	1	0.0000	600	2	1	0	0	30	false			0.8500	false	4.50	false	600	true
	agent	*	2026-04-02	2026-04-02	4	3	2	520	240	1200	4400	5400	6000	0.5000	1.0000	0.3333	3.67	3	0.6667	900	2	1	1	2	30	false			0.8500	false	4.50	false	600	false
	EOT
	ticket-report --day 2026-04-02 --by agent >out &&
	test_cmp expect out
'

# Thursday to Tuesday by department: t4 joins 售后部 (answered in 480 s,
# its clock met), and t3's third resolve clock, due Fri 11:00, is missed;
# 售后部 is held to a resolution mean of 8h, 技术部 to 30m handled.
test_expect_success 'the days to a Tuesday by department, in JSON' '
	cat >expect <<-\EOT &&
	{"by":"department","group":"售后部","from":"2026-04-02","to":"2026-04-07","opened":4,"resolved":2,"backlog":3,"first_response_mean":280,"first_response_median":240,"first_response_p90":480,"resolution_mean":3600,"resolution_median":1800,"resolution_p90":5400,"response_met":0.7500,"resolve_met":0.7500,"fcr":0.5000,"csat":3.50,"rated":2,"satisfied":0.5000,"handle_mean":900,"reopened":2,"escalated":1,"urged":0,"kb_uses":1,"first_response_mean_target":30,"first_response_mean_met":false,"resolution_mean_target":28800,"resolution_mean_met":true,"fcr_target":0.8500,"fcr_met":false,"csat_target":4.50,"csat_met":false,"handle_mean_target":600,"handle_mean_met":false}
	{"by":"department","group":"技术部","from":"2026-04-02","to":"2026-04-07","opened":1,"resolved":1,"backlog":0,"first_response_mean":1200,"first_response_median":1200,"first_response_p90":1200,"resolution_mean":6000,"resolution_median":6000,"resolution_p90":6000,"response_met":0.0000,"resolve_met":1.0000,"fcr":0.0000,"csat":4.00,"rated":1,"satisfied":1.0000,"handle_mean":900,"reopened":0,"escalated":0,"urged":1,"kb_uses":1,"first_response_mean_target":30,"first_response_mean_met":false,"resolution_mean_target":null,"resolution_mean_met":null,"fcr_target":0.8500,"fcr_met":false,"csat_target":4.50,"csat_met":false,"handle_mean_target":1800,"handle_mean_met":true}
	{"by":"department","group":null,"from":"2026-04-02","to":"2026-04-07","opened":5,"resolved":3,"backlog":3,"first_response_mean":510,"first_response_median":240,"first_response_p90":1200,"resolution_mean":4400,"resolution_median":5400,"resolution_p90":6000,"response_met":0.6000,"resolve_met":0.8000,"fcr":0.3333,"csat":3.67,"rated":3,"satisfied":0.6667,"handle_mean":900,"reopened":2,"escalated":1,"urged":1,"kb_uses":2,"first_response_mean_target":30,"first_response_mean_met":false,"resolution_mean_target":null,"resolution_mean_met":null,"fcr_target":0.8500,"fcr_met":false,"csat_target":4.50,"csat_met":false,"handle_mean_target":600,"handle_mean_met":false}
	EOT
	ticket-report --from 2026-04-02 --to 2026-04-07 --by department --json >out &&
	test_cmp expect out
'

# The backlog of a day is the tickets open at its end: those of the days
# of a week do not add up, the week's is its last day's.
test_expect_success 'each count of the groups adds up to the whole, whatever the grouping' '
	for by in agent department channel type priority day week month; do
		ticket-report --from 2026-03-30 --to 2026-04-08 --by $by --json >out &&
		jq -s "[.[:-1][] | [.opened, .resolved, .rated, .reopened, .escalated, .urged, .kb_uses]]
			| transpose | map(add)" out >sum &&
		jq -s "[.[-1] | .opened, .resolved, .rated, .reopened, .escalated, .urged, .kb_uses]" out >whole &&
		test_cmp whole sum || return 1
		case $by in
		day|week|month) jq -s "[.[-2].backlog] == [.[-1].backlog]" out | grep true ;;
		*) jq -s "([.[:-1][].backlog] | add) == .[-1].backlog" out | grep true ;;
		esac || return 1
	done &&
	jq -r "[.opened, .resolved, .backlog] | @tsv" <out >got &&
	printf "0\t0\t0\n5\t3\t3\n5\t3\t3\n" >expect && test_cmp expect got
'

test_expect_success 'a week by day: every day shown, the backlog at each day end' '
	ticket-report --week 2026-04-02 --by day | cut -f1-7 >out &&
	cat >expect <<-\EOT &&
	day	2026-03-30	2026-03-30	2026-04-05	0	0	0
	day	2026-03-31	2026-03-30	2026-04-05	0	0	0
	day	2026-04-01	2026-03-30	2026-04-05	0	0	0
	day	2026-04-02	2026-03-30	2026-04-05	4	3	2
	day	2026-04-03	2026-03-30	2026-04-05	1	0	3
	day	2026-04-04	2026-03-30	2026-04-05	0	0	3
	day	2026-04-05	2026-03-30	2026-04-05	0	0	3
	day	*	2026-03-30	2026-04-05	5	3	3
	EOT
	test_cmp expect out
'

test_expect_success 'without a date: yesterday, last week, last month ($KEFU_NOW a Wednesday)' '
	ticket-report | cut -f3,4 >out &&
	ticket-report --day | cut -f3,4 >>out &&
	ticket-report --week | cut -f3,4 >>out &&
	ticket-report --month | cut -f3,4 >>out &&
	ticket-report --month 2026-02 | cut -f3,4 >>out &&
	ticket-report --day=2026-04-02 --json | jq -r "[.from, .to] | @tsv" >>out &&
	printf "2026-04-07\t2026-04-07\n2026-04-07\t2026-04-07\n2026-03-30\t2026-04-05\n2026-03-01\t2026-03-31\n2026-02-01\t2026-02-28\n2026-04-02\t2026-04-02\n" >expect &&
	test_cmp expect out
'

test_expect_success 'an empty period: zeros, and null where nothing was measured' '
	ticket-report --month 2026-03 --json >out &&
	jq -c "[.group, .opened, .resolved, .backlog, .first_response_median, .resolution_p90, .response_met, .fcr, .csat, .rated, .handle_mean, .kb_uses, .fcr_target, .fcr_met]" out >got &&
	echo "[null,0,0,0,null,null,null,null,null,0,null,0,0.85,null]" >expect &&
	test_cmp expect got &&
	ticket-report --day 2026-03-02 --by agent >out &&
	printf "agent\t*\t2026-03-02\t2026-03-02\t0\t0\t0\n" >expect &&
	cut -f1-7 out >got && test_cmp expect got
'

test_expect_success 'bad dates, periods and groupings are refused with exit 2' '
	test_must_fail ticket-report --day 2026-02-30 2>err &&
	echo "ticket-report: '\''2026-02-30'\'' is not a date (YYYY-MM-DD)" >expect && test_cmp expect err &&
	test_must_fail ticket-report --month 2026-3 &&
	test_must_fail ticket-report --from 04/02/2026 &&
	test_must_fail ticket-report --from 2026-04-05 --to 2026-04-01 2>err &&
	echo "ticket-report: the period ends (2026-04-01) before it begins (2026-04-05)" >expect &&
	test_cmp expect err &&
	test_must_fail ticket-report --to 2026-04-01 &&
	test_must_fail ticket-report --day 2026-04-01 --week 2026-04-01 &&
	test_must_fail ticket-report --by team 2>err &&
	grep "^ticket-report: unknown --by '\''team'\''" err &&
	test_must_fail ticket-report --json --html &&
	test_must_fail ticket-report --kb --by agent &&
	test_must_fail ticket-report 2026-04-01
'

test_expect_success 'without targets.yaml, no targets: the figures alone' '
	git rm -q workflows/targets.yaml && git commit -qm "no targets" &&
	ticket-report --day 2026-04-02 --json | jq -c "[.fcr, .fcr_target, .fcr_met, .handle_mean_target]" >got &&
	echo "[0.3333,null,null,null]" >expect && test_cmp expect got &&
	git revert --no-edit HEAD >/dev/null
'

test_expect_success 'kb-lint checks targets.yaml: keys, values, departments' '
	cp workflows/targets.yaml targets.good &&
	printf "targets:\n  fcr: 185%%\n  csat: 7\n  handle_mean: soon\n  speed: 1\n" >workflows/targets.yaml &&
	test_must_fail kb-lint >out 2>&1 &&
	grep "^workflows/targets.yaml:2: fcr: " out &&
	grep "^workflows/targets.yaml:3: csat: " out &&
	grep "^workflows/targets.yaml:4: handle_mean: " out &&
	grep "^workflows/targets.yaml:5: speed: unknown key" out &&
	printf "departments:\n  无此部:\n    handle_mean: 5m\n" >workflows/targets.yaml &&
	test_must_fail kb-lint >out 2>&1 &&
	grep "^workflows/targets.yaml:2: departments: .无此部. is not a department" out &&
	cp targets.good workflows/targets.yaml && kb-lint
'

test_expect_success '--kb: the scripts used on Thursday, the rest unused' '
	ticket-report --day 2026-04-02 --kb >out &&
	grep -v "^unused	" out >used &&
	cat >expect <<-\EOT &&
	used	aircon-not-cooling	空调制冷效果差或不制冷	1	1	1	2026-04-02T14:55:00+08:00
	used	refund-7day	七天无理由退货退款流程	1	0	1	2026-04-02T09:30:00+08:00
	EOT
	test_cmp expect used &&
	grep "^unused	warranty-period	家电产品保修期多久	0	0	0	\$" out &&
	# every other entry in effect that day: not one expired or to come
	ls kb/*/*.yaml | sed "s|.*/||; s|\.yaml\$||" |
		grep -vx -e aircon-not-cooling -e refund-7day \
			-e price-protect-double11-2024 -e return-address-2027 | LC_ALL=C sort >expect &&
	sed -n "s/^unused	\([^	]*\)	.*/\1/p" out >got && test_cmp expect got &&
	ticket-report --day 2026-04-02 --kb --json | head -1 >out &&
	echo "{\"kind\":\"used\",\"id\":\"aircon-not-cooling\",\"title\":\"空调制冷效果差或不制冷\",\"uses\":1,\"adjusted\":1,\"tickets\":1,\"last_used\":\"2026-04-02T14:55:00+08:00\"}" >expect &&
	test_cmp expect out
'

# Friday: three questions solved without a script; a search finds
# nothing for two of them (猫砂 asked twice), and something for the third.
test_expect_success '--kb: the knowledge gaps, the questions no script answers' '
	at 3T09:00:00 && g1=$(ticket-open -c chat -u c6 猫砂) &&
	at 3T09:10:00 && g2=$(ticket-open -c chat -u c7 猫砂) &&
	at 3T09:20:00 && g3=$(ticket-open -c chat -u c8 狗粮) &&
	at 3T09:30:00 && g4=$(ticket-open -c chat -u c9 快递员态度很差) &&
	for t in $g1 $g2 $g3 $g4; do
		as $zw ticket-claim $t >/dev/null &&
		as $zw ticket-close --result 已答复 $t || return 1
	done &&
	at 8T12:00:00 &&
	ticket-report --day 2026-04-03 --kb | grep -v "^unused	" >out &&
	printf "gap\t\t猫砂\t0\t0\t2\t\ngap\t\t狗粮\t0\t0\t1\t\n" >expect &&
	test_cmp expect out
'

test_done
