#!/bin/sh
# Many writers at once: distinct ids, nothing lost, no errors; a claim
# race has one winner.
. "$(dirname "$0")/lib.sh"

# Ten each are plenty: with a deferred BEGIN instead of BEGIN IMMEDIATE,
# five each already failed this every time it was tried.
sample_desk d
cd d || exit 1
export KEFU_NOW=2026-03-02T10:00:00+08:00

test_expect_success '8 processes x 10 ticket-open at once: 80 distinct tickets, 0 errors' '
	for p in 0 1 2 3 4 5 6 7; do
		(
			i=0
			while [ $i -lt 10 ]; do
				ticket-open -c chat -u "w$p-$i" "并发测试 $p $i" || echo "failed $p $i" >&2
				i=$((i + 1))
			done >ids-$p 2>errs-$p
		) &
	done
	wait
	cat errs-* >errs && test ! -s errs &&
	cat ids-* >ids && test "$(wc -l <ids)" = 80 &&
	test "$(sort -u ids | wc -l)" = 80 &&
	grep -vc "^GD20260302[0-9]\{4\}$" ids | grep -x 0 &&
	test "$(desk_sql "SELECT count(*), min(seq), max(seq) FROM tickets")" = "80|1|80"
'

test_expect_success 'ten agents claim one ticket at once: one wins, nine are told who' '
	id=$(ticket-open -u race "抢单") &&
	for a in zhang.wei sun.li huang.qian wu.hao zheng.kai ma.chao lin.xiao xu.ting gao.yan li.na; do
		(KEFU_USER=$a@example.com ticket-claim "$id" >/dev/null 2>err-$a; echo $? >rc-$a) &
	done
	wait
	cat rc-* | sort | uniq -c | awk "{print \$1 \" \" \$2}" >got &&
	printf "1 0\n9 2\n" >expect && test_cmp expect got &&
	winner=$(ticket-show --json "$id" | jq -r .assignee) &&
	test "$(cat err-* | grep -c "is already claimed by $winner")" = 9
'

test_done
