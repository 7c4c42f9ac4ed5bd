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

# Each query of FILE at limits 1, 10 and 50, ranked from the lists and
# by a scan, must give the same entries in the same order with the same
# scores and uses: same_both_ways FILE [-1a] [-c CATEGORY] [-t TAG]...
# (-1: at limit 10 only).
# The comparison runs in one process (tests/unit/bothways.c), on the
# index kb-index brings to main first; through kb-search it would take
# some 240 processes a pass. The last test below runs kb-search itself
# both ways, to show the command takes the same path.
#
# The whole mix runs at the three limits on the desk as generated, after
# edits and after a rebuild; the passes with a category, tags or dates
# run every other query at limit 10. Of the ranking mutants tried
# (deliberate slips in listrank.c and terms.c), none was caught by those
# passes alone; they show the filters reach both ways alike.
same_both_ways() {
	_mix=$1 && shift &&
	kb-index -C d -q &&
	"$KEFU_BUILD/tests/bothways" d "$_mix" "$@" >both || { cat both; return 1; }
	case " $* " in *" -1 "*) _l=1 ;; *) _l=3 ;; esac &&
	echo "$(($(wc -l <"$_mix") * _l)) searches, 0 differ" >expect &&
	test_cmp expect both
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
	same_both_ways some -1 -c 退款退货 && same_both_ways some -1 -c returns &&
	same_both_ways some -1 -c 无此类别 && same_both_ways some -1 -t 新人必读 &&
	same_both_ways some -1 -c 退款退货 -t 新人必读 && same_both_ways some -1 -t 新人必读 -t 夜班
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
	same_both_ways some -1 && same_both_ways some -1 -a
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

test_expect_success 'kb-search itself prints the same both ways, with filters too' '
	for opts in "" "-c 退款退货 -t 新人必读"; do
		while IFS= read -r q; do
			for n in 1 50; do
				kb-search -C d -n $n --json $opts "$q" >lists 2>&1
				echo "exit $?" >>lists
				kb-search -C d -n $n --json --scan $opts "$q" >scan 2>&1
				echo "exit $?" >>scan
				cmp -s lists scan ||
					{ echo "$q -n $n $opts:"; diff lists scan | head -5; exit 1; }
			done
		done <some
	done
'

test_done
