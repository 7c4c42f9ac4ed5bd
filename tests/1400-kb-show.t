#!/bin/sh
# kb-show: what the agent reads out, or the entry as data.
. "$(dirname "$0")/lib.sh"

empty_desk d
cd d || exit 1
mkdir -p kb/售后服务
cat >kb/售后服务/refund-7day.yaml <<'EOT'
id: refund-7day
title: 退款流程说明
category: 售后服务
scenario: 客户咨询7天无理由退款
keywords: [退款, 退货, 7天无理由]
tags: [售后]
opening: 您好，很高兴为您服务。
answer: |
  7天无理由退款需满足商品完好、包装齐全。
  请在订单页面申请退款。
closing: 请问还有其他可以帮您的吗？
notes: 核对订单签收时间。
EOT
write_entry kb/售后服务/plain.yaml plain 只有答案 售后服务 "" 只有这一句。
commit_all . entries

test_expect_success 'by default: opening, answer, closing, then the notes marked' '
	kb-show refund-7day >out &&
	cat >expect <<-\EOT &&
	您好，很高兴为您服务。

	7天无理由退款需满足商品完好、包装齐全。
	请在订单页面申请退款。

	请问还有其他可以帮您的吗？

	-- notes (not for the customer) --
	核对订单签收时间。
	EOT
	test_cmp expect out
'

test_expect_success '--say: only what the customer hears, a line apart, ready to paste' '
	kb-show --say refund-7day >out 2>err &&
	cat >expect <<-\EOT &&
	您好，很高兴为您服务。
	7天无理由退款需满足商品完好、包装齐全。
	请在订单页面申请退款。
	请问还有其他可以帮您的吗？
	EOT
	test_cmp expect out && test ! -s err &&
	! grep -F 核对订单 out
'

test_expect_success '--say with several entries: a blank line between them, no headers' '
	kb-show --say plain refund-7day >out &&
	{ echo 只有这一句。; echo; kb-show --say refund-7day; } >expect &&
	test_cmp expect out &&
	printf "plain\trest\n" | kb-show --say >out &&
	echo 只有这一句。 >expect && test_cmp expect out
'

test_expect_success 'an entry with only an answer shows only the answer' '
	kb-show plain >out && echo 只有这一句。 >expect && test_cmp expect out
'

test_expect_success '--yaml is the file as committed' '
	kb-show --yaml refund-7day >out &&
	test_cmp kb/售后服务/refund-7day.yaml out
'

test_expect_success '--json carries every field' '
	kb-show --json refund-7day >out &&
	jq -r "[.id, .title, .category, .scenario, (.keywords | join(\",\")), (.tags | join(\",\")), .notes, .path, (.effective == null), (.updated | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\"))] | @tsv" out >got &&
	printf "refund-7day\t退款流程说明\t售后服务\t客户咨询7天无理由退款\t退款,退货,7天无理由\t售后\t核对订单签收时间。\tkb/售后服务/refund-7day.yaml\ttrue\ttrue\n" >expect &&
	test_cmp expect got
'

test_expect_success '--at REV shows the entry as it was' '
	sed -i "s/请在订单页面申请退款。/请在App订单页面申请退款。/" kb/售后服务/refund-7day.yaml &&
	commit_all . edit &&
	kb-show refund-7day | grep -F "请在App订单页面申请退款。" &&
	kb-show --at HEAD~1 refund-7day | grep -F "请在订单页面申请退款。" &&
	kb-show --at main~1 --yaml refund-7day | grep -F "请在订单页面申请退款。"
'

test_expect_success '--say --at REV says the entry as it was' '
	kb-show --say --at HEAD~1 refund-7day >out &&
	sed -n 3p out >got && echo 请在订单页面申请退款。 >expect && test_cmp expect got &&
	kb-show --say refund-7day | sed -n 3p >got &&
	echo 请在App订单页面申请退款。 >expect && test_cmp expect got
'

test_expect_success '--at with an unknown revision or entry is an error' '
	test_must_fail kb-show --at nosuchrev refund-7day 2>err &&
	echo "kb-show: no such revision '\''nosuchrev'\''" >expect && test_cmp expect err &&
	test_must_fail kb-show --at HEAD~1 nosuch 2>err &&
	echo "kb-show: no entry '\''nosuch'\'' at '\''HEAD~1'\''" >expect && test_cmp expect err
'

test_expect_success 'an unknown id is an error, the others still shown' '
	test_must_fail kb-show nope plain >out 2>err &&
	echo "kb-show: no entry '\''nope'\''" >expect && test_cmp expect err &&
	grep -F "只有这一句。" out
'

test_expect_success 'ids on stdin, as kb-search prints them' '
	kb-search 退款 | kb-show >out &&
	grep -F "== refund-7day: 退款流程说明" out
'

test_expect_success 'an expired entry is shown with a warning' '
	cat >kb/售后服务/old.yaml <<-\EOT &&
	id: old
	title: 旧政策
	category: 售后服务
	answer: 旧的说法。
	expires: 2025-01-01
	EOT
	commit_all . old &&
	kb-show old >out 2>err &&
	echo "kb-show: warning: entry '\''old'\'' expired on 2025-01-01" >expect && test_cmp expect err &&
	echo 旧的说法。 >expect && test_cmp expect out
'

test_expect_success '--say keeps warnings and errors off what is pasted' '
	kb-show --say old >out 2>err &&
	echo 旧的说法。 >expect && test_cmp expect out &&
	echo "kb-show: warning: entry '\''old'\'' expired on 2025-01-01" >expect && test_cmp expect err &&
	test_must_fail kb-show --say nope plain >out 2>err &&
	echo 只有这一句。 >expect && test_cmp expect out &&
	echo "kb-show: no entry '\''nope'\''" >expect && test_cmp expect err
'

test_expect_success '--say, --json and --yaml exclude each other' '
	test_must_fail kb-show --json --yaml plain 2>err &&
	grep -F "kb-show: --say, --json and --yaml exclude each other" err &&
	test_must_fail kb-show --say --json plain 2>err &&
	grep -F "kb-show: --say, --json and --yaml exclude each other" err
'

test_done
