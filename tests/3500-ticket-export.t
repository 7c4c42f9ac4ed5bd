#!/bin/sh
# ticket-export and ticket-import: the desk's dump (JSON Lines) and its
# exact restore; tickets to a spreadsheet for the boss, and the sheet a
# team kept while the desk was down (系统崩溃时临时切换至Excel工单记录)
# brought back in, all of it or nothing.
. "$(dirname "$0")/lib.sh"

sheets=$KEFU_SRC/tests/fixtures/sheets
mail=$KEFU_SRC/tests/fixtures/mail
sup=chen.jing@example.com
tech=wu.hao@example.com
agent=zhang.wei@example.com
at() { KEFU_NOW=2026-03-$1+08:00; export KEFU_NOW; }
as() { who=$1; shift; KEFU_USER=$who "$@"; }
KEFU_USER=$sup; export KEFU_USER
sample_desk d
cd d || exit 1
at 02T09:00:00

test_expect_success 'a desk with every kind of record: events, pauses, offers, e-mails, uses, follow-ups' '
	a=$(ticket-open -t 技术支持 -c phone -u 13800000001 -s "空调不制冷 回电 13800000001" \
		--tag VIP --complexity 6 "客户 wang.fang@example.cn 说空调不制冷，电话 0571-88889999") &&
	ticket-route "$a" >/dev/null &&
	at 02T09:30:00 && as $tech ticket-update --reply "请检查电源" --status pending "$a" &&
	at 02T11:00:00 && as $tech ticket-update --status open --note "客户回电 13900000002" --worked 25m "$a" &&
	as song.jia@example.com ticket-update --flag "话术不规范" "$a" &&
	as $tech ticket-update --transfer 售后部 --note 换机 "$a" >/dev/null &&
	b=$(ticket-open -c phone -u 13700000003 "发票开错了，需要重开发票") &&
	ticket-route "$b" >/dev/null &&
	c=$(ticket-open --email <"$mail/plain-utf8.eml") && ticket-route "$c" >/dev/null &&
	ticket-update --urge "$c" && ticket-update --date sale=2026-02-20 "$c" &&
	at 02T15:00:00 && sla-check --escalate >/dev/null; test $? -le 1 &&
	e=$(ls kb/*/*.yaml | sed -n 1p | sed "s,.*/,,;s,\.yaml,,") &&
	as $tech kb-use --ticket "$a" --note 有用 "$e" && kb-use "$e" &&
	at 03T10:00:00 && as zhou.min@example.com ticket-close -r "已换新机" -s 4 "$a" &&
	ticket-followup --done --note "满意" -s 5 "$a" &&
	ticket-reopen "$a" &&
	ticket-export --unmask >../dump &&
	test_line_count ../dump -ge 5 &&
	for k in events pauses offers messages uses followups; do
		jq -se "map(select(.id) | .$k | length) | add > 0" ../dump >/dev/null ||
			{ echo "no $k"; exit 1; }
	done &&
	for w in status reply note escalate transfer reopen followup flag urge; do
		grep -q "\"what\":\"$w\"" ../dump || { echo "no event $w"; exit 1; }
	done &&
	for r in agent route use sequence; do
		grep -q "^{\"record\":\"$r\"" ../dump || { echo "no record $r"; exit 1; }
	done
'

test_expect_success 'export, import into an empty desk, export again: byte for byte the same' '
	desk_init --sample ../restored &&
	ticket-import -C ../restored ../dump >ids &&
	test_line_count ids = 3 &&
	ticket-export -C ../restored --unmask >../dump2 &&
	cmp ../dump ../dump2 &&
	ticket-export --csv --unmask >a.csv && ticket-export -C ../restored --csv --unmask >b.csv &&
	cmp a.csv b.csv &&
	ticket-show "$(sed -n 1p ids)" >a && ticket-show -C ../restored "$(sed -n 1p ids)" >b &&
	test_cmp a b
'

test_expect_success 'a restored desk issues the next number, never one it issued before' '
	id=$(ticket-open -C ../restored -u 13800000009 "新问题") &&
	test "$id" = GD202603020004 || { echo "got $id"; false; }
'

test_expect_success 'an id the desk has is never overwritten: every problem, exit 2, nothing imported' '
	ticket-export -C ../restored --unmask >../dump3 &&
	test_must_fail ticket-import -C ../restored ../dump >out 2>err &&
	test ! -s out &&
	grep -F "../dump:1: id: GD202603020001 is in the desk already" err &&
	grep -F "../dump:3: id: GD202603020003 is in the desk already" err &&
	grep -F "the desk'\''s own records restore only into an empty desk" err &&
	tail -n1 err | grep -F "ticket-import: nothing imported:" &&
	ticket-export -C ../restored --unmask >../dump4 && cmp ../dump3 ../dump4
'

test_expect_success 'a damaged dump: its line and key are named, nothing is restored' '
	desk_init --sample ../empty &&
	sed "2s/\"priority\":\"[a-z]*\"/\"priority\":\"very\"/" ../dump >bad.jsonl &&
	echo "not json" >>bad.jsonl &&
	test_must_fail ticket-import -C ../empty "$PWD/bad.jsonl" >out 2>err &&
	grep -F "bad.jsonl:2: priority: '\''very'\'' is not urgent, high, normal or low" err &&
	grep "bad.jsonl:$(wc -l <bad.jsonl): invalid JSON" err &&
	ticket-export -C ../empty >out && test ! -s out
'

test_expect_success 'contacts are masked by default, wherever they stand' '
	ticket-export >masked && ticket-export --csv >masked.csv &&
	! grep -e 13800000001 -e wang.fang@example.cn -e 88889999 -e 13900000002 masked masked.csv &&
	grep -F "\"customer\":\"138****0001\"" masked &&
	grep -F "空调不制冷 回电 138****0001" masked.csv &&
	grep -F "客户 w***@example.cn 说空调不制冷，电话 057*-****9999" masked &&
	grep -F "客户回电 139****0002" masked &&
	grep -F "$tech" masked
'

test_expect_success '--unmask is for supervisors only' '
	test_must_fail as li.na@example.com ticket-export --unmask >out 2>err &&
	test ! -s out &&
	grep -F "ticket-export: --unmask: refused: '\''li.na@example.com'\'' is not a supervisor" err &&
	as li.na@example.com ticket-export >out && test -s out
'

test_expect_success '--csv: a header of SPEC'\''s fields, RFC 4180 with CRLF; --bom for Excel' '
	ticket-export --csv >x.csv &&
	head -n1 x.csv | tr -d "\r" >got &&
	echo "id,status,type,priority,channel,customer,subject,description,department,assignee,created,first_response,resolved,closed,response_due,resolve_due,sla_policy,satisfaction,result" >expect &&
	test_cmp expect got &&
	test "$(head -n1 x.csv | od -An -c | tr -d " \n" | tail -c 4)" = "\r\n" &&
	ticket-export --csv --bom >bom.csv &&
	test "$(head -c 3 bom.csv | od -An -tx1 | tr -d " \n")" = efbbbf &&
	tail -c +4 bom.csv | cmp - x.csv &&
	test_must_fail ticket-export --bom 2>err && grep -F "with --csv" err
'

test_expect_success '--from and --to: the tickets created in the range, none of the desk'\''s records' '
	ticket-export --from 2026-03-02 --to 2026-03-02 --unmask >range &&
	test_line_count range = 3 && ! grep "^{\"record\"" range &&
	ticket-export --from 2026-03-03 >range && test ! -s range &&
	test_must_fail ticket-export --from yesterday 2>err && grep -F "bad --from" err
'

desk_init --sample ../outage && cd ../outage || exit 1
at 05T10:00:00

test_expect_success 'a sheet kept during an outage: Chinese headers, people'\''s values, quotes, commas, newlines' '
	ticket-import --csv "$sheets/outage.csv" >out 2>err &&
	printf "GD202603030007\t2\t\nGD202603030008\t3\t\nGD202603030009\t4\tGD2026030399\n" >expect &&
	test_cmp expect out &&
	grep -F "read as UTF-8" err &&
	grep -F "column '\''审核人'\'' is not a ticket field: ignored" err &&
	ticket-show --json GD202603030007 >t &&
	test "$(jq -r ".priority, .channel, .assignee, .created, .resolved, .result, .description" t)" = "urgent
phone
zhang.wei@example.com
2026-03-03T09:15:00+08:00
2026-03-03T15:00:00+08:00
已上门处理
洗衣机漏水,\"很急\"
地板湿了" &&
	test "$(jq -r ".response_due, .resolve_due" t)" = "2026-03-03T09:20:00+08:00
2026-03-03T13:15:00+08:00" &&
	test "$(ticket-show --json GD202603030008 | jq -r ".channel, .assignee, .department, .status")" = "chat
wu.hao@example.com
技术部
assigned" &&
	test "$(ticket-show --json GD202603030009 | jq -r ".channel, .priority")" = "email
low"
'

test_expect_success 'the same sheet in UTF-8 with BOM and in GB18030 (Excel in China) imports the same' '
	ticket-export --csv --unmask >../utf8.csv &&
	for f in outage-bom outage-gb18030; do
		rm -rf ../$f && desk_init --sample ../$f &&
		ticket-import -C ../$f --csv "$sheets/$f.csv" >/dev/null 2>err &&
		ticket-export -C ../$f --csv --unmask >../$f.out &&
		cmp ../utf8.csv ../$f.out || exit 1
	done &&
	grep -F "read as GB18030" err
'

test_expect_success 'cells a spreadsheet would run are quoted; a CSV export imports back to the same sheet' '
	ticket-open -u 13800000005 -s "=HYPERLINK(\"http://x\")" "+1 @公式 -2" >/dev/null &&
	ticket-export --csv >f.csv &&
	grep -F ",\"'\''=HYPERLINK(\"\"http://x\"\")\",'\''+1 @公式 -2," f.csv &&
	ticket-export --csv --unmask >../sheet.csv &&
	desk_init --sample ../from-sheet &&
	ticket-import -C ../from-sheet --csv "$PWD/../sheet.csv" >/dev/null 2>&1 &&
	ticket-export -C ../from-sheet --csv --unmask | cmp - ../sheet.csv
'

ticket-export --unmask >before

test_expect_success 'importing the same sheet again: never overwritten, exit 2, nothing imported' '
	test_must_fail ticket-import --csv "$sheets/outage.csv" >out 2>err &&
	test ! -s out &&
	grep -F "outage.csv:2: 工单编号: GD202603030007 is in the desk already: never overwritten" err &&
	ticket-export --unmask >after && cmp before after
'

test_expect_success 'bad rows: FILE:ROW: column: problem, every one at once, exit 2, nothing imported' '
	test_must_fail ticket-import --csv "$sheets/bad.csv" >out 2>err &&
	test ! -s out &&
	grep -F "bad.csv:2: created: not a time '\''2026-13-01 09:00'\''" err &&
	grep -F "bad.csv:2: priority: '\''极急'\'' is not urgent, high, normal or low" err &&
	grep -F "bad.csv:2: assignee: '\''nobody@example.com'\'' is nobody in workflows/roles.yaml" err &&
	grep -F "bad.csv:3: created: not a time '\''昨天'\''" err &&
	grep -F "bad.csv:3: description: empty" err &&
	grep -F "bad.csv:3: type: unknown type '\''八卦'\''" err &&
	grep -F "bad.csv:5: id: GD202603040003 is on row 4 too" err &&
	grep -F "bad.csv:6: id: GD202603030008 is in the desk already: never overwritten" err &&
	grep -F "ticket-import: nothing imported: 8 problems" err &&
	test "$(sed -n "s/.*bad.csv:\([0-9]*\):.*/\1/p" err | tr "\n" " ")" = "2 2 2 3 3 3 5 6 " &&
	ticket-export --unmask >after && cmp before after
'

test_expect_success 'a missing column, and a quote left undoubled, are problems too' '
	test_must_fail ticket-import --csv "$sheets/nocreated.csv" 2>err &&
	grep -F "nocreated.csv:1: no column for when a ticket was created (created, 创建时间)" err &&
	printf "created,description\n2026-03-04 09:00,\"a\"b\n" >q.csv &&
	test_must_fail ticket-import --csv q.csv 2>err &&
	grep -F "q.csv:2:" err && grep -F "text after a closing quote" err &&
	ticket-export --unmask >after && cmp before after
'

test_expect_success 'a big sheet: a bad row among 3,000 is named, nothing imported; fixed, all 3,000 in' '
	awk "BEGIN {
		print \"创建时间,客户信息,描述详情\"
		for (i = 1; i <= 3000; i++)
			printf \"2026-03-04 %02d:%02d,139%08d,\\\"第%d张\\n两行\\\"\\n\", i / 60 % 24, i % 60, i, i
	}" >big.csv &&
	sed "3000s/^2026-03-04/2026-02-30/" big.csv >bigbad.csv &&
	test_must_fail ticket-import --csv bigbad.csv >out 2>err &&
	test ! -s out &&
	grep -F "bigbad.csv:1501: 创建时间: not a time '\''2026-02-30 " err &&
	grep -F "nothing imported: 1 problem" err &&
	ticket-import --csv big.csv >out 2>/dev/null &&
	test_line_count out = 3000 &&
	test "$(ticket-list -a -n 5000 --since 2026-03-04 --until 2026-03-05 | wc -l)" -eq 3000
'

test_expect_success 'a sheet given without --csv is said to be one, once; nothing imported' '
	test_must_fail ticket-import "$sheets/outage.csv" >out 2>err &&
	test ! -s out && test_line_count err = 1 &&
	grep -F "outage.csv'\'' is not a dump (JSON Lines, one object a line): for a spreadsheet, ticket-import --csv" err &&
	test_must_fail ticket-import --json "$sheets/outage.csv" 2>err &&
	grep -F "outage.csv:1: " err
'

test_expect_success 'ticket-import is for supervisors; an unknown file is an error' '
	test_must_fail as li.na@example.com ticket-import --csv "$sheets/outage.csv" 2>err &&
	grep -F "not a supervisor" err &&
	test_must_fail ticket-import --csv nosuch.csv 2>err &&
	grep -F "ticket-import: cannot open '\''nosuch.csv'\''" err
'

test_done
