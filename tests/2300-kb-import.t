#!/bin/sh
# kb-import and kb-export: the team's FAQ spreadsheet (seed 000's
# template: 主题, 知识分类, 适用场景, 核心话术内容, 关联问题关键词, 审核状态,
# 审核人, 生效日期) becomes one proposal, reviewed as any other; the
# knowledge base goes back out with the same columns, and round-trips.
. "$(dirname "$0")/lib.sh"

sheets=$KEFU_SRC/tests/fixtures/sheets
editor=wang.fang@example.com
sup=chen.jing@example.com
export KEFU_NOW=2026-03-02T09:00:00+08:00
KEFU_USER=$editor; export KEFU_USER
sample_desk d
cd d || exit 1
# pending: the names of the pending proposals, one a line
pending() { kb-proposals | awk -F '\t' '$6 == "pending" { print $1 }'; }

test_expect_success 'a FAQ sheet with Chinese headers becomes one proposal; main is untouched' '
	main=$(git rev-parse main) &&
	kb-import "$sheets/faq.csv" >name 2>err &&
	test_line_count name = 1 && p=$(cat name) &&
	test "$(git rev-parse main)" = "$main" &&
	pending >got && test_cmp name got &&
	grep -F "read as UTF-8" err &&
	grep -F "column '\''审核状态'\'' ignored: a proposal'\''s review approves entries" err &&
	grep -F "column '\''审核人'\'' ignored" err &&
	grep -F "3 entries: 3 new, 0 changed, 0 as main has them" err &&
	kb-diff "$p" | grep ": added" | sort >got &&
	cat >expect <<-\EOT &&
	faq-2c723db8: added (kb/财务/faq-2c723db8.yaml)
	faq-dfa03ca2: added (kb/售后服务/faq-dfa03ca2.yaml)
	how-to-reset-my-password: added (kb/账户/how-to-reset-my-password.yaml)
	EOT
	test_cmp expect got &&
	test_must_fail kb-show faq-dfa03ca2 2>/dev/null
'

test_expect_success 'keywords split on 、，,;/ and spaces; dates as people write them; text with quotes, commas and lines' '
	git show "$(cat name)":kb/售后服务/faq-dfa03ca2.yaml >f &&
	grep -Fx "keywords: [退货运费, 运费险, 退货邮费, 谁付运费, 包邮]" f &&
	grep -Fx "effective: 2026-03-01" f &&
	git show "$(cat name)":kb/财务/faq-2c723db8.yaml >g &&
	grep -Fx "effective: 2026-03-02" g &&
	grep -F "scenario: 客户要开发票，\"电子发票\"还是纸质" g &&
	mkdir -p ../lint/kb/售后服务 && cp f ../lint/kb/售后服务/faq-dfa03ca2.yaml &&
	kb-lint ../lint/kb/售后服务/faq-dfa03ca2.yaml &&
	test "$(kb-show --at "$(cat name)" faq-dfa03ca2 | sed -n 1,2p)" = "质量问题退货，运费由我们承担；
非质量问题，运费由您承担。"
'

test_expect_success 'the same sheet with a BOM and in GB18030 proposes the very same files' '
	git ls-tree -r "$(cat name)" -- kb >expect &&
	for f in faq-bom faq-gb18030; do
		kb-import "$sheets/$f.csv" >n2 2>err &&
		git ls-tree -r "$(cat n2)" -- kb >got && test_cmp expect got || exit 1
	done &&
	grep -F "read as GB18030" err &&
	for n in $(pending | sed 1d); do
		KEFU_USER=$sup kb-reject -m "the first one is enough" "$n" || exit 1
	done
'

test_expect_success 'approved, the same sheet again proposes nothing; an edited row proposes that entry only' '
	KEFU_USER=$sup kb-approve "$(cat name)" &&
	kb-show faq-dfa03ca2 >/dev/null &&
	kb-import "$sheets/faq.csv" >out 2>err &&
	test ! -s out &&
	grep -F "3 entries: 0 new, 0 changed, 3 as main has them" err &&
	grep -F "nothing to propose" err &&
	test -z "$(pending)" &&
	sed "s/我们开具电子发票/我们只开具电子发票/" "$sheets/faq.csv" >edited.csv &&
	kb-import edited.csv >name2 2>err &&
	grep -F "3 entries: 0 new, 1 changed, 2 as main has them" err &&
	kb-diff "$(cat name2)" | grep -v "^ " >got &&
	echo "faq-2c723db8: changed (kb/财务/faq-2c723db8.yaml)" >expect &&
	test_cmp expect got
'

test_expect_success 'bad rows: FILE:ROW: column: problem, every one at once, exit 2, nothing proposed' '
	git for-each-ref refs/heads/proposal >before &&
	test_must_fail kb-import "$sheets/faq-bad.csv" >out 2>err &&
	test ! -s out &&
	grep -F "faq-bad.csv:2: 生效日期: '\''2026-02-30'\'' is not a date" err &&
	grep -F "faq-bad.csv:3: 编号: '\''Refund Time'\'' is not an id" err &&
	grep -F "faq-bad.csv:4: 编号: '\''refund-time'\'' is on row 2 too" err &&
	grep -F "faq-bad.csv:5: 主题: empty: an entry needs its title" err &&
	grep -F "faq-bad.csv:6: 知识分类: '\''../x'\'' is not a category" err &&
	grep -F "kb-import: nothing imported: 5 problems" err &&
	test "$(sed -n "s/.*faq-bad.csv:\([0-9]*\):.*/\1/p" err | tr "\n" " ")" = "2 3 4 5 6 " &&
	printf "编号,主题,知识分类,核心话术内容\nBad Id,标题,../y,\n" >b2.csv &&
	test_must_fail kb-import b2.csv 2>err &&
	grep -F "b2.csv:2: 编号: '\''Bad Id'\'' is not an id" err &&
	grep -F "b2.csv:2: 核心话术内容: empty: an entry needs its answer" err &&
	grep -F "b2.csv:2: 知识分类: '\''../y'\'' is not a category" err &&
	test_must_fail kb-import "$sheets/faq-nocols.csv" 2>err &&
	grep -F "faq-nocols.csv:1: no column for an entry'\''s category (category, 知识分类)" err &&
	grep -F "faq-nocols.csv:1: no column for an entry'\''s answer (answer, 核心话术内容)" err &&
	git for-each-ref refs/heads/proposal >after && test_cmp before after
'

test_expect_success 'an agent who is no editor may not import' '
	test_must_fail env KEFU_USER=li.na@example.com kb-import "$sheets/faq.csv" >out 2>err &&
	test ! -s out && grep -F "li.na@example.com" err
'

test_expect_success 'kb-export --csv: the seed'\''s columns, 编号 first; --bom for Excel' '
	kb-export --csv >all.csv &&
	head -n1 all.csv | tr -d "\r" >got &&
	echo "编号,主题,知识分类,适用场景,核心话术内容,关联问题关键词,标签,开场白,结束语,备注,生效日期,失效日期" >expect &&
	test_cmp expect got &&
	grep -F "faq-dfa03ca2,退货运费谁承担,售后服务,客户问退货运费," all.csv &&
	grep -F ",退货运费、运费险、退货邮费、谁付运费、包邮," all.csv &&
	kb-export --bom >bom.csv &&
	test "$(head -c 3 bom.csv | od -An -tx1 | tr -d " \n")" = efbbbf &&
	tail -c +4 bom.csv | cmp - all.csv
'

test_expect_success 'kb-export, then kb-import of it: main has every entry as it is' '
	kb-import all.csv >out 2>err && test ! -s out &&
	grep -F "nothing to propose" err
'

test_expect_success 'the sheet round-trips byte for byte through a new desk' '
	kb-init ../fresh >/dev/null &&
	cp workflows/roles.yaml workflows/routing.yaml ../fresh/workflows/ &&
	commit_all ../fresh "the team" &&
	kb-import -C ../fresh "$PWD/all.csv" >name3 &&
	KEFU_USER=$sup kb-approve -C ../fresh "$(cat name3)" &&
	kb-export -C ../fresh >again.csv &&
	cmp all.csv again.csv
'

test_expect_success 'a big sheet: 2,000 rows, one proposal of 2,000 entries; a cell over 1 MiB is a problem' '
	awk "BEGIN {
		print \"主题,知识分类,核心话术内容,关联问题关键词\"
		for (i = 1; i <= 2000; i++)
			printf \"问题%d怎么处理,分类%d,\\\"第%d号：\\n先核实，再办理。\\\",问题%d、处理\\n\", i, i % 7, i, i
	}" >big.csv &&
	test_line_count big.csv = 4001 &&
	kb-import big.csv >name4 2>err &&
	grep -F "2000 entries: 2000 new, 0 changed, 0 as main has them" err &&
	test "$(git diff --name-only main "$(cat name4)" | wc -l)" -eq 2000 &&
	awk "BEGIN { printf \"title,category,answer\\nhuge,x,\"; for (i = 0; i < 70000; i++) printf \"0123456789abcdef\"; print \"\" }" >huge.csv &&
	test_must_fail kb-import huge.csv >out 2>err &&
	test ! -s out && grep -F "huge.csv:2: the entry is too large: 1120042 bytes as a file, at most 1048576" err
'

test_done
