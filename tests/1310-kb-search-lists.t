#!/bin/sh
# kb-search ranks from the term lists exactly as a scan of every match
# ranks, on a generated desk where common words fill thousands of
# entries and scores tie by the hundred, before and after edits.
. "$(dirname "$0")/lib.sh"

# The bench's query mix (Chinese and English, FTS5 syntax, nothing found)
# and its pasted messages, and more: single characters, several common
# terms at once, typos.
{
	cat "$KEFU_SRC/bench/queries.txt" "$KEFU_SRC/bench/messages.txt"
	printf '%s\n' 退 款 '退款 发票 会员' 'refund invoice warranty points' \
		refnud warrenty 物流信息更新忙 'passwrod reset' 'log in'
} >queries
# Every other query of the mix: short ones, messages and typos alike.
awk 'NR % 2' queries >some

# Each query of FILE at several limits, both ways, must print the same
# and exit the same: same_both_ways FILE [OPTION]... Each way's outputs
# go one after another into a file of its own, each followed by a line
# with its exit status and what was asked, and the two files are
# compared once at the end, not each pair with a cmp(1) of its own:
# thousands of processes fewer.
#
# The whole mix runs on the desk as generated, after edits and after a
# rebuild; the passes with a category, tags or dates run every other
# query. Of the ranking mutants tried (deliberate slips in listrank.c
# and terms.c), none was caught by those passes alone; at some 240
# searches a pass, and tens of milliseconds a search under the
# sanitizers, they were most of this test's time.
same_both_ways() {
	_mix=$1 && shift &&
	: >lists && : >scan &&
	while IFS= read -r q; do
		for n in 1 10 50; do
			kb-search -C d -n $n --json "$@" "$q" >>lists 2>/dev/null
			printf '^ exit %s: %s -n %s %s\n' $? "'$q'" $n "$*" >>lists
			kb-search -C d -n $n --json --scan "$@" "$q" >>scan 2>/dev/null
			printf '^ exit %s: %s -n %s %s\n' $? "'$q'" $n "$*" >>scan
		done
	done <"$_mix" || return 1
	ran=$(grep -c "^^ exit " lists)
	[ "$ran" = $(($(wc -l <"$_mix") * 3)) ] ||
		{ echo "$ran searches ran, not 3 for each query"; return 1; }
	cmp -s lists scan || {
		at=$(cmp lists scan 2>&1 | sed -n "s/.* line \([0-9]*\).*/\1/p")
		echo "lists and scan differ for $(sed -n "${at:-1},\$p" lists | grep -m 1 "^^ exit")"
		diff lists scan | head -8
		return 1
	}
}

test_expect_success 'a generated desk of 2,000 entries' '
	KEFU_USER=bench@example.com sh "$KEFU_SRC/bench/gendesk.sh" 2000 d >/dev/null &&
	kb-index -C d -q &&
	test "$(sqlite3 d/.kefu/index.db "SELECT count(*) FROM terms WHERE bw > 0")" -gt 100
'

# On the generated desk, the entry (an extended regular expression for its
# id) that must come first: typos, a wrong character, an id, and the
# bench's pasted messages in order.
cat >table <<'EOF'
refnud	returns-[0-9]+
warrenty	warranty-en-[0-9]+
passwrod reset	account-[0-9]+
物流信息更新忙	logistics-[0-9]+
保修期多酒	warranty-[0-9]+
会员积份	member-[0-9]+
account-000238	account-000238
EOF
# A message touches several topics (the parcel and the refund, the price
# and the installation); any of them may come first, none other.
printf '%s\n' '(logistics|order|product)' '(logistics|refund)' account '(price|install|refund)' \
	payment '(warranty|complaint|install)' '(promo|member)' '(shipping|orders)' billing \
	account '(warranty-en|technical)' | sed 's/$/-[0-9]+/' >wants
tab=$(printf '\t')
while IFS= read -r m && IFS= read -r w <&3; do
	printf '%s\t%s\n' "$m" "$w"
done <"$KEFU_SRC/bench/messages.txt" 3<wants >>table

test_expect_success 'typos, a wrong character, ids and messages find their entries' '
	while IFS="$tab" read -r q want; do
		got=$(kb-search -C d -n 1 -- "$q" | cut -f1)
		echo "$got" | grep -Eqx "$want" ||
			{ echo "$q: first is '\''$got'\'', wanted $want" >&2; exit 1; }
	done <table
'

test_expect_success 'a pasted message is ranked from the lists' '
	while IFS= read -r m; do
		kb-search -C d -v -- "$m" 2>&1 >/dev/null
	done <"$KEFU_SRC/bench/messages.txt" >how &&
	{ test "$(grep -c "ranked from the term lists" how)" = "$(wc -l <"$KEFU_SRC/bench/messages.txt")" || { cat how; false; }; }
'

test_expect_success 'the lists rank as a scan does' '
	same_both_ways queries
'

test_expect_success 'most of the mix is ranked from the lists' '
	while IFS= read -r q; do
		kb-search -C d -v "$q" 2>&1 >/dev/null
	done <queries >how &&
	grep -c "ranked from the term lists" how >n &&
	test "$(cat n)" -ge 15
'

test_expect_success 'within a category or tags, the lists rank as a scan does' '
	same_both_ways some -c 退款退货 && same_both_ways some -c returns &&
	same_both_ways some -c 无此类别 && same_both_ways some -t 新人必读 &&
	same_both_ways some -c 退款退货 -t 新人必读 && same_both_ways some -t 新人必读 -t 夜班
'

test_expect_success '-v says how: from the lists, or a scan with --scan' '
	kb-search -C d -v 退款 2>err >/dev/null &&
	grep "^kb-search: ranked from the term lists (entries read whole: [0-9]*, scored together: [0-9]*, lists completed: [0-9]*)$" err &&
	kb-search -C d -v -c 退款退货 -t 新人必读 退款 2>err >/dev/null &&
	grep "^kb-search: ranked from the term lists" err &&
	kb-search -C d -v --scan 退款 2>err >/dev/null &&
	echo "kb-search: ranked by a scan of every match" >expect && test_cmp expect err
'

test_expect_success 'entries out of their dates are left out both ways' '
	for f in $(find d/kb -name "*.yaml" | sort | sed -n "1~7p"); do
		echo "expires: 2020-01-01" >>"$f"
	done &&
	git -C d commit -q -am "expire a seventh" &&
	kb-search -C d -n 50 --json 退款 >out &&
	! grep -q "\"id\":\"$(basename "$(find d/kb -name "*.yaml" | sort | head -1)" .yaml)\"" out &&
	same_both_ways some && same_both_ways some -a
'

test_expect_success 'after edits, deletions and additions the lists still agree' '
	for f in $(find d/kb -name "*.yaml" | sort | sed -n "3~11p"); do
		sed -i "s/^title: \"/title: \"退款发票 /" "$f"
	done &&
	(cd d && git rm -q -f $(find kb -name "*.yaml" | sort | sed -n "5~13p")) &&
	mkdir -p d/kb/退款退货 &&
	for i in 1 2 3 4 5 6 7 8; do
		write_entry d/kb/退款退货/new-$i.yaml new-$i "退款到账查询 $i" 退款退货 "" "退款会员积分发票"
	done &&
	git -C d add -A && git -C d commit -q -m edits &&
	same_both_ways queries
'

test_expect_success 'the lists kept by commits match a full rebuild' '
	sqlite3 d/.kefu/index.db "SELECT term, df FROM terms ORDER BY term" >before &&
	kb-index -C d -q --full &&
	sqlite3 d/.kefu/index.db "SELECT term, df FROM terms ORDER BY term" >after &&
	test_cmp before after &&
	same_both_ways queries
'

test_done
