#!/bin/sh
# kb-search: Chinese and English, words never syntax, ranked, filtered.
. "$(dirname "$0")/lib.sh"

sample_desk s
cd s || exit 1

first() { kb-search -n 1 "$@" | cut -f1; }

test_expect_success 'two-character Chinese words: 退款 finds the refund scripts first' '
	kb-search -n 2 退款 | cut -f1 | sort >out &&
	printf "refund-7day\nrefund-arrival-time\n" >expect && test_cmp expect out
'

test_expect_success 'a question as typed: 保修期多久' '
	test "$(first 保修期多久)" = warranty-period
'

test_expect_success 'a complaint as typed: 物流信息更新慢' '
	test "$(first 物流信息更新慢)" = logistics-tracking-slow
'

test_expect_success 'English: case folded and stemmed' '
	printf "refund-7day\nrefund-arrival-time\n" >expect &&
	kb-search refund | cut -f1 | sort >out && test_cmp expect out &&
	kb-search REFUNDS | cut -f1 | sort >out && test_cmp expect out &&
	test "$(first passwords)" = login-password-reset
'

test_expect_success 'a word still being typed matches as a prefix' '
	test "$(first passw)" = login-password-reset
'

test_expect_success 'quotes, stars, dashes, parentheses and OR are only words' '
	for q in "\"*-()OR" "退款\"" "退款*" "(退款" "NEAR(退款 发票)" "退款 AND OR NOT" \
		"title:退款" "^退款" "{退款}" "\\" "'\''"; do
		kb-search "$q" >out 2>err; rc=$?
		test $rc -le 1 || { echo "query $q exited $rc" >&2; cat err >&2; exit 1; }
		test ! -s err || { echo "query $q wrote to stderr" >&2; cat err >&2; exit 1; }
	done &&
	test "$(first "\"退款\" OR -(发票)")" != "" &&
	kb-search -- -退款 >out && test -s out
'

test_expect_success 'a word starting with - before -- is explained' '
	test_must_fail kb-search -退款 2>err &&
	grep -F "kb-search: unknown option '\''-退款'\'' (words starting with '\''-'\'' go after '\''--'\'')" err
'

test_expect_success 'nothing found: exit 1, no output, no error' '
	test_must_fail --code=1 kb-search zzqqxx >out 2>err &&
	test ! -s out && test ! -s err &&
	test_must_fail --code=1 kb-search "、。！？" >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success 'TSV: id, title, scenario, updated, uses' '
	kb-search -n 1 保修期多久 >out &&
	printf "warranty-period\t家电产品保修期多久\t客户询问所购家电的保修期限和保修范围\t%s\t0\n" \
		"$(date +%Y-%m-%d)" >expect &&
	test_cmp expect out
'

test_expect_success '--json: one object a line with stable keys' '
	kb-search --json -n 3 退款 >out &&
	test_line_count out = 3 &&
	jq -c "keys_unsorted" out | sort -u >keys &&
	echo "[\"id\",\"title\",\"category\",\"scenario\",\"tags\",\"keywords\",\"updated\",\"uses\",\"score\",\"personal\"]" >expect &&
	test_cmp expect keys &&
	jq -e "(.tags | type) == \"array\" and (.score | type) == \"number\" and .personal == false" out >/dev/null
'

test_expect_success '-n limits, -c and -t filter' '
	kb-search -n 3 退款 >out && test_line_count out = 3 &&
	kb-search --json -c 支付发票 退款 | jq -r .category | sort -u >out &&
	echo 支付发票 >expect && test_cmp expect out &&
	kb-search --json -t 高频 -n 50 退款 | jq -e "(.tags | index(\"高频\")) != null" >/dev/null &&
	test_must_fail --code=1 kb-search -t 高频 -t 没有这个标签 退款
'

test_expect_success 'a tag no entry has leaves nothing, with a category too' '
	test_must_fail --code=1 kb-search -t 没有这个标签 退款 &&
	test_must_fail --code=1 kb-search -c 售后服务 -t 没有这个标签 退款 &&
	test_must_fail --code=1 kb-search --scan -c 售后服务 -t 没有这个标签 退款
'

test_expect_success 'bad options are usage errors' '
	test_must_fail kb-search -n 0 退款 2>err &&
	grep -F "kb-search: option '\''-n'\'' wants a number from 1 to 10000, not '\''0'\''" err &&
	test_must_fail kb-search -n 3x 退款 &&
	test_must_fail kb-search --bogus 退款 2>err &&
	grep -F "kb-search: unknown option '\''--bogus'\''" err
'

test_expect_success 'expired and future entries are hidden, -a shows them' '
	! kb-search -n 50 双十一价保 | cut -f1 | grep -x price-protect-double11-2024 &&
	kb-search -a 双十一价保 | cut -f1 | grep -x price-protect-double11-2024 &&
	KEFU_NOW=2024-11-11T10:00:00+08:00 kb-search 双十一价保 | cut -f1 |
		grep -x price-protect-double11-2024 &&
	! kb-search -n 50 退货地址 | cut -f1 | grep -x return-address-2027 &&
	KEFU_NOW=2027-03-01T09:00:00+08:00 kb-search -n 50 退货地址 | cut -f1 |
		grep -x return-address-2027
'

test_expect_success 'the query may come on stdin, a customer message say' '
	printf "你好，我想问一下\n保修期多久？\n谢谢\n" | kb-search -n 1 | cut -f1 >out &&
	echo warranty-period >expect && test_cmp expect out
'

test_expect_success 'a query over 64 KiB on stdin is refused' '
	head -c 70000 /dev/zero | tr "\0" "a" | test_must_fail kb-search 2>err &&
	grep -F "kb-search: query on stdin too long" err
'

test_expect_success 'invalid UTF-8 in a query is only separators' '
	kb-search "$(printf "\377退款\200")" >out && test -s out
'

# What an agent types, and the entry that must come first (an extended
# regular expression for its id): one wrong character, an English typo,
# an id, contractions and splits, a message pasted whole.
cat >table <<'EOF'
推款	refund-(7day|arrival-time)
退歀	refund-(7day|arrival-time)
保休期	warranty-period
保修期多酒	warranty-period
物流信息更新忙	logistics-tracking-slow
refnud	refund-(7day|arrival-time)
warrenty	warranty-period
warrenty period	warranty-period
parcel	parcel-damaged
cant log in	login-(password-reset|locked-attempts)
log in	login-(password-reset|locked-attempts)
I can't login	login-(password-reset|locked-attempts)
你好，我上周买的空调，开了两个小时房间还是很热，出风口吹出来的不是冷风，怎么办？谢谢	aircon-not-cooling
Hi, please help, my parcel arrived damaged and the box is crushed, thanks	parcel-damaged
EOF

test_expect_success 'typos, wrong characters, ids and pasted messages find their entry first' '
	tab=$(printf "\t") &&
	while IFS="$tab" read -r q want; do
		got=$(kb-search -n 1 -- "$q" | cut -f1)
		echo "$got" | grep -Eqx "$want" ||
			{ echo "$q: first is '\''$got'\'', wanted $want" >&2; exit 1; }
		# The lists and the scan agree, score for score.
		kb-search --json -- "$q" >lists && kb-search --json --scan -- "$q" >scan &&
			test_cmp lists scan || exit 1
	done <table
'

test_expect_success 'a typo is found only when no entry holds the word, and weighs less' '
	kb-search --json -n 1 warranty | jq .score >exact &&
	kb-search --json -n 1 warrenty | jq .score >typo &&
	awk -v e="$(cat exact)" -v t="$(cat typo)" "BEGIN { exit !(t < e) }"
'

test_expect_success 'a short word or a Chinese word is never taken for a typo' '
	test_must_fail --code=1 kb-search refu1 &&
	test_must_fail --code=1 kb-search zzqqxx
'

test_expect_success 'title and keywords weigh more than the answer' '
	cd .. && empty_desk r && cd r &&
	write_entry kb/a/in-answer.yaml in-answer 普通说明 a "" "这里顺便提到以旧换新。" &&
	write_entry kb/a/in-title.yaml in-title 以旧换新说明 a &&
	write_entry kb/a/in-keywords.yaml in-keywords 活动说明 a "以旧换新" &&
	commit_all . three &&
	kb-search 以旧换新 | cut -f1 >out &&
	test_line_count out = 3 && test "$(sed -n 3p out)" = in-answer
'

test_expect_success 'the shorter field holding the same terms ranks higher' '
	cd .. && empty_desk l && cd l &&
	write_entry kb/a/a-long.yaml a-long 退款到账时间以及银行处理周期的详细说明 a &&
	write_entry kb/a/z-short.yaml z-short 退款到账说明 a &&
	commit_all . lengths &&
	kb-search 退款到账 | cut -f1 >out &&
	printf "z-short\na-long\n" >expect && test_cmp expect out
'

test_expect_success 'of equal scores, the shorter title comes first, not the smaller id' '
	cd .. && empty_desk e && cd e &&
	write_entry kb/a/a-wordy.yaml a-wordy 关于报销材料填写的说明文字 a "发票抬头" &&
	write_entry kb/a/z-terse.yaml z-terse 报销须知 a "发票抬头" &&
	commit_all . ties &&
	kb-search --json 发票抬头 >out &&
	test "$(jq -r .score out | sort -u | wc -l)" = 1 &&
	jq -r .id out >got && printf "z-terse\na-wordy\n" >expect && test_cmp expect got
'

test_expect_success 'of two equal entries, the fresher ranks first' '
	cd .. && empty_desk f && cd f &&
	write_entry kb/a/twin-old.yaml twin-old 发票抬头修改 a &&
	git add -A && GIT_COMMITTER_DATE=2024-01-01T10:00:00+08:00 git commit -q -m old &&
	write_entry kb/a/twin-new.yaml twin-new 发票抬头修改 a &&
	git add -A && GIT_COMMITTER_DATE=2026-11-01T10:00:00+08:00 git commit -q -m new &&
	KEFU_NOW=2026-11-20T10:00:00+08:00 kb-search 发票抬头 | cut -f1 >out &&
	printf "twin-new\ntwin-old\n" >expect && test_cmp expect out
'

test_expect_success 'of two equal entries, the one agents used ranks first' '
	cd .. && empty_desk u && cd u &&
	write_entry kb/a/twin-a.yaml twin-a 发票抬头修改 a &&
	write_entry kb/a/twin-b.yaml twin-b 发票抬头修改 a &&
	commit_all . twins &&
	kb-search 发票抬头 | cut -f1 >out &&
	printf "twin-a\ntwin-b\n" >expect && test_cmp expect out &&
	kb-use twin-b &&
	sqlite3 .kefu/desk.db "UPDATE kb_usage SET uses = 12 WHERE entry = \"twin-b\"" &&
	kb-search 发票抬头 >out &&
	cut -f1,5 out >got && printf "twin-b\t12\ntwin-a\t0\n" >expect && test_cmp expect got
'

test_expect_success 'a field holding a tab or newline stays one TSV line' '
	cd .. && empty_desk t && cd t &&
	mkdir -p kb/a &&
	printf "id: tabbed\ntitle: \"制表\\\\t符\"\ncategory: a\nscenario: \"a\\\\tb\"\nanswer: x\n" >kb/a/tabbed.yaml &&
	commit_all . tab &&
	kb-search 制表 >out && test_line_count out = 1 &&
	cut -f2,3 out >got && printf "制表\\\\t符\ta\\\\tb\n" >expect && test_cmp expect got
'

test_done
