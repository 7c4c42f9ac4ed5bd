#!/bin/sh
# ticket-export and ticket-import between the two stores: a desk dumped
# from desk.db and restored into PostgreSQL dumps again byte for byte the
# same, and the other way round; the same history dumps the same from
# either; a day's highest number ever issued goes across both ways; and a
# sheet imported into PostgreSQL goes in whole or not at all.
. "$(dirname "$0")/lib.sh"

if ! on_postgres; then
	test_skip "export and import between desk.db and PostgreSQL: make check's second pass runs this"
	test_done
fi

sheets=$KEFU_SRC/tests/fixtures/sheets
mail=$KEFU_SRC/tests/fixtures/mail
tech=wu.hao@example.com
KEFU_USER=chen.jing@example.com; export KEFU_USER
at() { KEFU_NOW=2026-03-$1+08:00; export KEFU_NOW; }
as() { _who=$1; shift; KEFU_USER=$_who "$@"; }

# history: every kind of row a store keeps, in the desk here: events,
# pauses, offers, e-mails, uses on tickets and on none, follow-ups, an
# agent away, routing's memory, two days of tickets.
history() {
	at 02T09:00:00 &&
	a=$(ticket-open -t 技术支持 -c phone -u 13800000001 -s "空调不制冷" --tag VIP "客户说空调不制冷") &&
	ticket-route "$a" >/dev/null &&
	at 02T09:30:00 && as $tech ticket-update --reply "请检查电源" --status pending "$a" &&
	at 02T11:00:00 && as $tech ticket-update --status open --note "客户回电" --worked 25m "$a" &&
	as song.jia@example.com ticket-update --flag "话术不规范" "$a" &&
	as $tech ticket-update --transfer 售后部 --note 换机 "$a" >/dev/null &&
	b=$(ticket-open -c phone -u 13700000003 "发票开错了，需要重开发票") &&
	ticket-route "$b" >/dev/null &&
	c=$(ticket-open --email <"$mail/plain-utf8.eml") && ticket-route "$c" >/dev/null &&
	ticket-update --urge "$c" && ticket-update --date sale=2026-02-20 "$c" &&
	as zhao.lei@example.com agent-status zhao.lei@example.com away &&
	at 02T15:00:00 && { sla-check --escalate >/dev/null; test $? -le 1; } &&
	as $tech kb-use --ticket "$a" --note 有用 refund-arrival-time && kb-use points-rules &&
	at 03T10:00:00 && as zhou.min@example.com ticket-close -r "已换新机" -s 4 "$a" &&
	ticket-followup --done --note "满意" -s 5 "$a" &&
	ticket-reopen "$a" &&
	ticket-open -c chat -u wx-9 "第二天的问题" >/dev/null
}

test_expect_success 'the same history on desk.db and on PostgreSQL dumps the same' '
	kb-init --sample lite >/dev/null && sample_desk pg &&
	(cd lite && history) && (cd pg && history) &&
	test -f lite/.kefu/desk.db && test -s pg/.kefu/database && test ! -e pg/.kefu/desk.db &&
	ticket-export -C lite --unmask >lite.jsonl &&
	ticket-export -C pg --unmask >pg.jsonl &&
	test_line_count lite.jsonl -ge 8 &&
	for r in agent route use sequence; do
		grep -q "^{\"record\":\"$r\"" lite.jsonl || { echo "no record $r"; exit 1; }
	done &&
	test_cmp lite.jsonl pg.jsonl
'

test_expect_success 'from desk.db into PostgreSQL, exported again: byte for byte the same' '
	sample_desk pg2 &&
	test -s pg2/.kefu/database &&
	ticket-import -C pg2 "$PWD/lite.jsonl" >ids &&
	test_line_count ids = 4 &&
	ticket-export -C pg2 --unmask >again.jsonl &&
	cmp lite.jsonl again.jsonl &&
	ticket-export -C lite --csv --unmask >a.csv && ticket-export -C pg2 --csv --unmask >b.csv &&
	cmp a.csv b.csv &&
	for id in $(cat ids); do
		ticket-show -C lite "$id" >a && ticket-show -C pg2 "$id" >b && test_cmp a b || exit 1
	done
'

test_expect_success 'from PostgreSQL into desk.db, exported again: byte for byte the same' '
	kb-init --sample lite2 >/dev/null &&
	ticket-import -C lite2 "$PWD/pg.jsonl" >ids2 &&
	test_cmp ids ids2 &&
	ticket-export -C lite2 --unmask | cmp - pg.jsonl
'

test_expect_success 'uses restored into PostgreSQL rank as they did' '
	kb-search -C lite -n 3 退款 >expect &&
	kb-search -C pg2 -n 3 退款 >got &&
	test_cmp expect got &&
	grep -q "^refund-arrival-time	.*	1\$" got
'

test_expect_success 'a day'\''s highest number ever issued goes across, both ways' '
	sed "s/^{\"record\":\"sequence\",\"day\":\"20260303\",\"highest\":1}\$/{\"record\":\"sequence\",\"day\":\"20260303\",\"highest\":9}/" \
		lite.jsonl >gap.jsonl &&
	grep -F "\"day\":\"20260303\",\"highest\":9}" gap.jsonl &&
	sample_desk pg3 && kb-init --sample lite3 >/dev/null &&
	ticket-import -C pg3 "$PWD/gap.jsonl" >/dev/null &&
	ticket-export -C pg3 --unmask | cmp - gap.jsonl &&
	ticket-export -C pg3 --unmask >pg3.jsonl &&
	ticket-import -C lite3 "$PWD/pg3.jsonl" >/dev/null &&
	ticket-export -C lite3 --unmask | cmp - gap.jsonl &&
	at 03T12:00:00 &&
	test "$(ticket-open -C pg3 -u x1 "新问题")" = GD202603030010 &&
	test "$(ticket-open -C lite3 -u x1 "新问题")" = GD202603030010
'

test_expect_success 'a sheet into PostgreSQL: all of it, or with one row wrong nothing' '
	sample_desk sheet && cd sheet &&
	at 05T10:00:00 &&
	ticket-import --csv "$sheets/outage.csv" >out 2>/dev/null &&
	test_line_count out = 3 &&
	ticket-export --unmask >before &&
	printf "id,created,description\n,2026-03-04 09:00,新的一行\nGD202603030007,2026-03-03 09:15,重复的一行\n" >again.csv &&
	test_must_fail ticket-import --csv again.csv >out 2>err &&
	test ! -s out &&
	grep -F "again.csv:3: id: GD202603030007 is in the desk already: never overwritten" err &&
	ticket-export --unmask >after && cmp before after &&
	test_must_fail ticket-import --csv "$sheets/bad.csv" >out 2>err &&
	test ! -s out && grep -F "ticket-import: nothing imported: 8 problems" err &&
	ticket-export --unmask >after && cmp before after &&
	sed 3d again.csv >fixed.csv &&
	ticket-import --csv fixed.csv >out 2>/dev/null &&
	test "$(cut -f1 out)" = GD202603040001
'

test_done
