#!/bin/sh
# ticket-open --email: the mail gateway of a procmail or fetchmail pipeline.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
mail=$KEFU_SRC/tests/fixtures/mail
export KEFU_NOW=2026-03-02T10:00:00+08:00
field() { ticket-show --json "$1" | jq -r ".$2"; }

test_expect_success 'a GB2312 e-mail: the sender is the customer, the text UTF-8' '
	ticket-open --email <"$mail/gb2312.eml" >id &&
	ticket-show --json "$(cat id)" | jq -c "[.customer, .channel, .subject, .type]" >got &&
	echo "[\"li.na@example.cn\",\"email\",\"退款申请\",\"售后服务\"]" >expect && test_cmp expect got &&
	field "$(cat id)" description >got &&
	printf "客服你好，我想申请七天无理由退款。\n订单号：A1024\n" >expect && test_cmp expect got
'

test_expect_success 'base64 GBK, Big5 and quoted-printable UTF-8 bodies' '
	ticket-open --email <"$mail/base64-gbk.eml" >id &&
	test "$(field "$(cat id)" type)" = 支付发票 &&
	ticket-open --email <"$mail/big5.eml" >id &&
	test "$(field "$(cat id)" subject)" = 發票問題 &&
	ticket-open --email <"$mail/qp-utf8.eml" >id &&
	field "$(cat id)" description | head -1 | grep -F "包装破损"
'

test_expect_success 'the same e-mail delivered twice is one ticket' '
	ticket-open --email <"$mail/ids.eml" >first &&
	ticket-open --email <"$mail/ids.eml" >again 2>err &&
	test_cmp first again &&
	test "$(field "$(cat first)" channel)" = email
'

test_expect_success 'a reply to a ticket is added to it; a pending ticket is open again' '
	id=$(cat first) &&
	KEFU_USER=zhang.wei@example.com ticket-claim "$id" >/dev/null &&
	KEFU_USER=zhang.wei@example.com ticket-update --status pending "$id" &&
	cat >reply.eml <<-\EOT &&
	From: ids@example.com
	Subject: Re: ids
	Message-ID: <second@mail.example.com>
	In-Reply-To: <CAF=abc+123@mail.example.com>
	Content-Type: text/plain; charset=utf-8

	订单号是 A2048，请查一下。
	EOT
	ticket-open --email <reply.eml >got 2>err && test_cmp first got &&
	grep -F "added to the ticket this e-mail answers" err &&
	test "$(field "$id" status)" = open &&
	ticket-show "$id" | grep -F "customer  status: pending -> open  \"订单号是 A2048，请查一下。\""
'

test_expect_success 'a reply delivered twice is added once; a reply to the reply finds it too' '
	id=$(cat first) &&
	n=$(ticket-show --json "$id" | jq "[.events[] | select(.what == \"customer\")] | length") &&
	ticket-open --email <reply.eml >got 2>/dev/null && test_cmp first got &&
	test "$(ticket-show --json "$id" | jq "[.events[] | select(.what == \"customer\")] | length")" = "$n" &&
	printf "From: ids@example.com\nSubject: Re: Re: ids\nMessage-ID: <third@mail.example.com>\nIn-Reply-To: <second@mail.example.com>\n\n第三封。\n" >third.eml &&
	ticket-open --email <third.eml >got 2>/dev/null && test_cmp first got
'

test_expect_success 'a reply to a closed ticket opens it again' '
	id=$(cat first) &&
	KEFU_USER=zhang.wei@example.com ticket-close -r 已处理 -s 3 "$id" &&
	printf "From: ids@example.com\nSubject: Re: [%s] 还是不行\n\n问题没有解决。\n" "$id" >again.eml &&
	ticket-open --email <again.eml >got 2>/dev/null && test_cmp first got &&
	ticket-show --json "$id" | jq -c "[.status, .result, .satisfaction, .closed]" >st &&
	echo "[\"open\",null,null,null]" >expect && test_cmp expect st
'

test_expect_success 'a reply naming the ticket in its subject, from the same customer' '
	id=$(cat first) &&
	printf "From: ids@example.com\nSubject: Re: [%s] 还没好\n\n请尽快。\n" "$id" >subj.eml &&
	ticket-open --email <subj.eml >got && echo "$id" >expect && test_cmp expect got &&
	printf "From: stranger@example.com\nSubject: Re: [%s] 我也有问题\n\n另一个人。\n" "$id" >other.eml &&
	ticket-open --email <other.eml >got && ! test_cmp expect got
'

test_expect_success 'an e-mail that cannot be read is one clear error, nothing written' '
	n=$(ticket-list -a | wc -l) &&
	test_must_fail ticket-open --email <"$mail/missing-from.eml" 2>err &&
	grep "^ticket-open: cannot read the e-mail: " err && test_line_count err = 1 &&
	test_must_fail ticket-open --email <"$mail/unknown-charset.eml" 2>err &&
	grep "^ticket-open: cannot read the e-mail: .*x-klingon" err &&
	test_must_fail ticket-open --email -u x 退款 2>err &&
	grep -F "with --email, the input comes on stdin only" err &&
	test_must_fail ticket-open --email -u x <"$mail/gb2312.eml" 2>err &&
	grep -F "with --email, the customer and subject come from the message" err &&
	echo "{}" | test_must_fail ticket-open --json -p high 2>err &&
	grep -F "with --json, the fields come in the object" err &&
	test "$(ticket-list -a | wc -l)" = "$n"
'

test_done
