#!/bin/sh
# Business time to the far future: whole weeks and years are counted at
# once, and the answers are those of the day-by-day walk. The expected
# values below were computed by that walk (kefu before the shortcuts,
# which took half a second to a second for each one); the unit test
# tests/unit/calendar.cases checks the two ways against each other.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
cat >>workflows/calendars.yaml <<\EOT

  ny:
    zone: America/New_York
    weekdays: ["09:00-17:00"]
    holidays: [2030-12-25, 2031-01-01]
  sydney:
    zone: Australia/Sydney
    weekdays: ["08:30-12:30", "13:30-17:30"]
EOT
git commit -q -am "calendars in other zones"
agent=zhang.wei@example.com

test_expect_success 'sla-due: due times thousands of years ahead, with holidays and DST' '
	sla-due -c business 2026-03-02T10:00:00+08:00 10000000h >out &&
	sla-due -c ny 2026-03-02T10:00:00-05:00 10000000h >>out &&
	sla-due -c sydney 2026-03-02T10:00:00+11:00 9000000h >>out &&
	sla-due -c workdays 9999-12-20T10:00:00+08:00 3d >>out &&
	cat >expect <<-\EOT &&
	6432-01-14T14:00:00+08:00
	6817-07-05T10:00:00-04:00
	6338-05-16T10:00:00+10:00
	9999-12-23T10:00:00+08:00
	EOT
	test_cmp expect out
'

test_expect_success 'a pause of seventy years moves the due time by as much' '
	sla-due -c ny --pause 2030-01-01T00:00:00Z/2100-01-01T00:00:00Z \
		2026-03-02T10:00:00-05:00 1000000h >out &&
	echo 2575-04-20T10:00:00-04:00 >expect && test_cmp expect out
'

test_expect_success 'more hours than remain before year 10000 is an error' '
	test_must_fail sla-due -c business 2026-03-02T10:00:00+08:00 20000000h 2>err &&
	grep -F "not enough hours before year 10000" err
'

test_expect_success 'sla-due --between: the business time from now to year 9999' '
	sla-due -c business --between 2026-03-02T10:00:00+08:00 9999-12-31T23:59:59+08:00 >out &&
	sla-due -c ny --between 2026-03-02T10:00:00-05:00 9999-12-31T23:59:59Z >>out &&
	sla-due -c sydney --between 1990-01-01T00:00:00Z 9999-12-31T23:59:59Z >>out &&
	sla-due -c 24x7 --between 0001-01-01T00:00:00Z 9999-12-31T23:59:59Z >>out &&
	cat >expect <<-\EOT &&
	18098283h30m
	16642183h
	16717677h30m
	87649408h
	EOT
	test_cmp expect out
'

test_expect_success 'sla-check --at 9999-12-31T23:59:59Z: every clock, as the day walk has it' '
	KEFU_NOW=2026-03-02T10:00:00+08:00 ticket-open -t 售后服务 -u c1 "问题 c1" &&
	KEFU_NOW=2026-03-02T11:00:00+08:00 ticket-open -t 技术支持 -u c2 "问题 c2" &&
	KEFU_NOW=2026-04-03T17:00:00+08:00 ticket-open -t 售后投诉 -u c3 "问题 c3" &&
	KEFU_NOW=2026-09-30T09:00:00+08:00 ticket-open -t 售后服务 -u c4 "问题 c4" &&
	export KEFU_USER=$agent &&
	KEFU_NOW=2026-03-02T12:00:00+08:00 ticket-claim GD202603020001 &&
	KEFU_NOW=2026-03-02T12:00:00+08:00 ticket-update --status pending --note 等 GD202603020001 &&
	KEFU_NOW=2027-01-05T12:00:00+08:00 ticket-update --status open GD202603020001 &&
	test_must_fail --code=1 sla-check --at 9999-12-31T23:59:59Z >out &&
	printf "%s\t%s\t%s\t%s\t%s\n" >expect \
		GD202603020001 response breached 2026-03-02T10:10:00+08:00 -18096463h50m \
		GD202603020001 resolve breached 2027-01-12T16:00:00+08:00 -18096416h \
		GD202603020002 response breached 2026-03-02T14:30:00+08:00 -18098280h30m \
		GD202603020002 resolve breached 2026-03-09T17:00:00+08:00 -18098234h30m \
		GD202604030001 response breached 2026-04-03T17:05:00+08:00 -69896406h55m \
		GD202604030001 resolve breached 2026-04-04T17:00:00+08:00 -69896383h \
		GD202609300001 response breached 2026-09-30T09:10:00+08:00 -18097024h20m \
		GD202609300001 resolve breached 2026-10-14T12:00:00+08:00 -18096976h30m &&
	test_cmp expect out
'

test_done
