#!/bin/sh
# Intake that keeps what it cannot show: attachments named, typed, sized
# and kept; an unlabelled GBK body; flowed text; numeric customers and
# JSON Lines for ticket-open --json.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
mail=$KEFU_SRC/tests/fixtures/mail
export KEFU_NOW=2026-03-02T10:00:00+08:00
field() { ticket-show --json "$1" | jq -r ".$2"; }
events() { ticket-show --json "$1" | jq -r ".events[] | select(.what == \"$2\") | .note"; }

# The bytes of a fixture's part, base64 between the line after "$2" and the next boundary.
part_bytes() {
	awk -v after="$2" 'found && /^--/ { exit } found && body { print } found && /^$/ { body = 1 }
		index($0, after) { found = 1 }' "$1" | base64 -d
}

test_expect_success 'attachments are listed in the description, each an event, kept as files' '
	ticket-open --email <"$mail/attachments.eml" >id &&
	id=$(cat id) &&
	field "$id" description >got &&
	cat >expect <<-\EOT &&
	订单 A1024 的付款截图和发票见附件。

	[attachment: screenshot.png (image/png, 45 bytes)]
	[attachment: 订单凭证.pdf (application/pdf, 35 bytes)]
	[attachment: 发票.xlsx (application/vnd.ms-excel, 10 bytes)]
	[attachment: 说明.txt (text/plain, 12 bytes)]
	EOT
	test_cmp expect got &&
	events "$id" attachment >got &&
	cat >expect <<-EOT &&
	screenshot.png (image/png, 45 bytes): .kefu/attachments/$id/1/1-screenshot.png
	订单凭证.pdf (application/pdf, 35 bytes): .kefu/attachments/$id/1/2-订单凭证.pdf
	发票.xlsx (application/vnd.ms-excel, 10 bytes): .kefu/attachments/$id/1/3-发票.xlsx
	说明.txt (text/plain, 12 bytes): .kefu/attachments/$id/1/4-说明.txt
	EOT
	test_cmp expect got &&
	part_bytes "$mail/attachments.eml" "name=\"screenshot.png\"" >png &&
	cmp png ".kefu/attachments/$id/1/1-screenshot.png" &&
	printf "说明文字" >txt && cmp txt ".kefu/attachments/$id/1/4-说明.txt"
'

test_expect_success 'a picture alone, even without a subject, is a ticket that says so' '
	ticket-open --email <"$mail/image-only.eml" >id &&
	test "$(field "$(cat id)" description)" = "[attachment: IMG_0042.JPG (image/jpeg, 269 bytes)]" &&
	part_bytes "$mail/image-only.eml" "IMG_0042.JPG\"" >jpg &&
	cmp jpg ".kefu/attachments/$(cat id)/1/1-IMG_0042.JPG" &&
	sed "/^Subject:/d; s/img-only@/img-nosubject@/" "$mail/image-only.eml" >nosubj.eml &&
	ticket-open --email <nosubj.eml >id2 &&
	field "$(cat id2)" subject | grep "^\[attachment: IMG_0042.JPG"
'

test_expect_success 'the same e-mail twice keeps its attachments once' '
	id=$(cat id) &&
	ticket-open --email <"$mail/image-only.eml" >again 2>/dev/null &&
	test "$(cat again)" = "$id" &&
	test "$(events "$id" attachment | wc -l)" = 1 &&
	ls ".kefu/attachments/$id" >dirs && echo 1 >expect && test_cmp expect dirs &&
	! ls -a .kefu/attachments | grep -F .new.
'

test_expect_success 'a reply with a picture: the ticket gets it, in the next directory' '
	id=$(cat id) &&
	sed "s/^Message-ID: .*/Message-ID: <img-reply@example.com>/; s/^Subject: .*/Subject: Re: [$id] 又拍了一张/" \
		"$mail/image-only.eml" >reply.eml &&
	ticket-open --email <reply.eml >got 2>err && test "$(cat got)" = "$id" &&
	test -f ".kefu/attachments/$id/2/1-IMG_0042.JPG" &&
	events "$id" attachment | tail -1 | grep -F ".kefu/attachments/$id/2/1-IMG_0042.JPG" &&
	ticket-show --json "$id" | jq -r ".events[] | select(.what == \"customer\") | .note" >got &&
	echo "[attachment: IMG_0042.JPG (image/jpeg, 269 bytes)]" >expect && test_cmp expect got
'

test_expect_success 'an attachment over 5 MiB is recorded, not kept' '
	{
		printf "From: big@example.com\nSubject: video\nContent-Type: multipart/mixed; boundary=B\n\n"
		printf -- "--B\nContent-Type: text/plain\n\n录了一段视频。\n--B\n"
		printf "Content-Type: video/mp4; name=clip.mp4\nContent-Transfer-Encoding: base64\n\n"
		head -c 5242881 /dev/zero | base64
		printf -- "--B\nContent-Type: image/png; name=a.png\nContent-Transfer-Encoding: base64\n\niVBORw==\n--B--\n"
	} >big.eml &&
	ticket-open --email <big.eml >id &&
	events "$(cat id)" attachment >got &&
	cat >expect <<-EOT &&
	clip.mp4 (video/mp4, 5242881 bytes): not kept, over 5 MiB
	a.png (image/png, 4 bytes): .kefu/attachments/$(cat id)/1/2-a.png
	EOT
	test_cmp expect got &&
	! test -e ".kefu/attachments/$(cat id)/1/1-clip.mp4"
'

test_expect_success 'attachments that cannot be kept: no ticket, one clear error' '
	n=$(ticket-list --json -a | wc -l) &&
	mv .kefu/attachments keep && echo x >.kefu/attachments &&
	sed "s/img-only@/img-blocked@/" "$mail/image-only.eml" >blocked.eml &&
	test_must_fail ticket-open --email <blocked.eml >out 2>err &&
	grep -F "ticket-open: cannot create" err && test_line_count err = 1 &&
	test ! -s out &&
	test "$(ticket-list --json -a | wc -l)" = "$n" &&
	rm .kefu/attachments && mv keep .kefu/attachments
'

test_expect_success 'a ticket whose id cannot be said is not opened, and its files go too' '
	n=$(ticket-list --json -a | wc -l) &&
	ls .kefu/attachments >before &&
	sed "s/img-only@/img-unsaid@/" "$mail/image-only.eml" >unsaid.eml &&
	test_must_fail ticket-open --email <unsaid.eml >&- 2>err &&
	test "$(ticket-list --json -a | wc -l)" = "$n" &&
	ls .kefu/attachments >after && test_cmp before after &&
	! ls -a .kefu/attachments | grep -F .new.
'

test_expect_success 'an unlabelled GBK e-mail reads as Chinese, subject and body' '
	ticket-open --email <"$mail/unlabelled-gbk.eml" >id &&
	test "$(field "$(cat id)" subject)" = 电饭煲不加热 &&
	field "$(cat id)" description >got &&
	printf "您好，我买的电饭煲不加热了，\n订单号 B2048，请帮忙处理。\n" >expect && test_cmp expect got
'

test_expect_success 'unlabelled GB18030 proper: its four-byte sequences (an emoji) read too' '
	{
		printf "From: qian.ba@example.cn\nSubject: order\nMessage-ID: <gb18030-4@example.cn>\n\n"
		# 笑脸😀，欧元€ in GB18030: 😀 is four bytes, which GBK has not
		printf "\320\246\301\263\224\071\374\066\243\254\305\267\324\252\242\343\n"
	} >gb4.eml &&
	ticket-open --email <gb4.eml >id &&
	test "$(field "$(cat id)" description)" = "笑脸😀，欧元€"
'

test_expect_success 'format=flowed is rejoined: soft breaks go, quotes and signature stay' '
	ticket-open --email <"$mail/flowed.eml" >id &&
	field "$(cat id)" description | head -2 >got &&
	cat >expect <<-\EOT &&
	您好，我上周买的空调安装后一直不制冷，师傅来看过也没有解决，请尽快安排更换。
	From the start it was like this.
	EOT
	test_cmp expect got &&
	field "$(cat id)" description | grep -x "> 您的工单已受理，我们会尽快联系您。"
'

test_expect_success 'ticket-open --json takes a numeric customer id' '
	echo "{\"customer\": 13800000001, \"subject\": \"积分怎么兑换\"}" | ticket-open --json >id &&
	test "$(field "$(cat id)" customer)" = 13800000001 &&
	echo "{\"customer\": -5, \"subject\": \"x\"}" | test_must_fail ticket-open --json 2>err &&
	echo "ticket-open: '\''customer'\'' must be a string or a whole number, not -5" >expect &&
	test_cmp expect err
'

test_expect_success 'JSON Lines: a ticket a line; a bad line is reported by number, the rest open' '
	n=$(ticket-list --json -a | wc -l) &&
	cat >batch.jsonl <<-\EOT &&
	{"customer": 1001, "subject": "发票抬头写错了"}
	{"customer": "wx-2", "subject": "快递三天没动", "priority": "soon"}

	{"customer": "wx-3", "subject": "会员积分"
	{"customer": "wx-4", "subject": "怎么开发票"}
	EOT
	test_must_fail ticket-open --json <batch.jsonl >ids 2>err &&
	test_line_count ids = 2 &&
	test "$(field "$(sed -n 1p ids)" customer)" = 1001 &&
	test "$(field "$(sed -n 2p ids)" customer)" = wx-4 &&
	cat >expect <<-\EOT &&
	ticket-open: line 2: unknown priority '"'"'soon'"'"' (urgent, high, normal or low)
	ticket-open: line 4: invalid JSON at column 39: expected '"'"','"'"' or '"'"'}'"'"'
	EOT
	test_cmp expect err &&
	test "$(ticket-list --json -a | wc -l)" = $((n + 2))
'

test_expect_success 'JSON Lines all good: exit 0, ids in order, repeats said by line' '
	printf "{\"customer\": \"wx-5\", \"subject\": \"退货地址\"}\n{\"customer\": \"wx-5\", \"subject\": \"退货地址\"}\n" |
		ticket-open --json >ids 2>err &&
	test_line_count ids = 2 && test "$(sed -n 1p ids)" = "$(sed -n 2p ids)" &&
	grep -F "ticket-open: warning: line 2: $(sed -n 1p ids): the same request from this customer is already open" err
'

test_expect_success 'JSON Lines: a failure not of the line stops the batch, said once' '
	n=$(ticket-list --json -a | wc -l) &&
	printf "{\"customer\": \"wx-6\", \"subject\": \"换货\"}\n{\"customer\": \"wx-7\", \"subject\": \"补发\"}\n" >two.jsonl &&
	test_must_fail ticket-open --json <two.jsonl >/dev/full 2>err &&
	cat >expect <<-\EOT &&
	ticket-open: line 1: cannot write output: No space left on device
	ticket-open: the lines after line 1 were not read
	EOT
	test_cmp expect err &&
	test "$(ticket-list --json -a | wc -l)" = "$n"
'

test_expect_success 'one object over several lines is still one ticket; a broken one one error' '
	printf "{\n  \"customer\": 7,\n  \"subject\": \"多行对象\"\n}\n" | ticket-open --json >id &&
	test "$(field "$(cat id)" subject)" = 多行对象 &&
	printf "{\n  \"customer\": 7,\n  \"subject\": \"多行对象\"\n" | test_must_fail ticket-open --json 2>err &&
	test_line_count err = 1 && grep -F "ticket-open: invalid JSON at line 4" err
'

test_done
