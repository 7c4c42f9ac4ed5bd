#!/bin/sh
# kefu-backup(7): the knowledge base mirrored with git, the desk dumped
# with ticket-export; restored into a fresh desk, it is the same desk.
. "$(dirname "$0")/lib.sh"

sup=chen.jing@example.com
KEFU_USER=$sup; export KEFU_USER
export KEFU_NOW=2026-03-02T09:00:00+08:00
sample_desk desk
cd desk || exit 1

test_expect_success 'the .gitignore of a new desk says how to back it up' '
	grep -F "ticket-export --json --unmask" .gitignore &&
	grep -F "git clone --mirror" .gitignore &&
	grep -F "kefu-backup(7)" .gitignore &&
	grep -x ".kefu/" .gitignore
'

test_expect_success 'a desk at work: tickets, a proposal pending, an approved change' '
	a=$(ticket-open -t 技术支持 -c phone -u 13800000001 "空调不制冷") &&
	ticket-route "$a" >/dev/null &&
	KEFU_USER=wu.hao@example.com ticket-update --reply 已处理 --status resolved "$a" &&
	b=$(ticket-open -c chat -u wx-3003 "会员积分怎么查") && ticket-route "$b" >/dev/null &&
	kb-use --ticket "$b" points-rules &&
	printf "主题,知识分类,核心话术内容\n积分抵现规则,会员服务,100积分抵1元。\n" >faq.csv &&
	KEFU_USER=wang.fang@example.com kb-import faq.csv >proposal 2>/dev/null &&
	test -s proposal
'

test_expect_success 'backed up: git clone --mirror, and the dump (kefu-backup(7))' '
	git clone -q --mirror . ../kb.git &&
	ticket-export --json --unmask >../desk.jsonl &&
	test_line_count ../desk.jsonl -gt 2
'

test_expect_success 'restored into a fresh desk: the same tickets, records, branches and proposals' '
	desk_init ../desk2 && cd ../desk2 &&
	git fetch -q --update-head-ok ../kb.git "+refs/*:refs/*" &&
	git reset -q --hard main &&
	ticket-import <../desk.jsonl >ids &&
	test_line_count ids = 2 &&
	ticket-export --json --unmask | cmp - ../desk.jsonl &&
	git -C ../desk for-each-ref >expect && git for-each-ref >got && test_cmp expect got &&
	kb-proposals | cut -f1 >got && cmp ../desk/proposal got &&
	kb-search -n 1 退款 >out && test -s out &&
	kb-search -C ../desk -n 5 积分 >expect && kb-search -n 5 积分 >got && test_cmp expect got &&
	grep -q "^points-rules	.*	1\$" got &&
	id=$(ticket-open -u 13900000009 "新问题") &&
	test "$id" = GD202603020003 &&
	test -x .git/hooks/reference-transaction
'

test_expect_success 'a masked dump is no backup: it restores masked contacts' '
	ticket-export --json >../masked.jsonl -C ../desk &&
	grep -F "138****0001" ../masked.jsonl
'

test_expect_success 'killed at any instant, ticket-import leaves the desk empty or whole' '
	# 3,000 tickets like the second: ids of another day, follow-ups renumbered.
	jq -c "select(.id == \"GD202603020002\") | .followups = []" ../desk.jsonl >one &&
	test_line_count one = 1 &&
	awk "{ for (i = 1; i <= 3000; i++) { l = \$0; gsub(/GD202603020002/, sprintf(\"GD20260301%04d\", i), l); print l } }" one >big.jsonl &&
	test_line_count big.jsonl = 3000 &&
	desk_init --sample ../k &&
	ticket-export -C ../k --json --unmask >empty.jsonl &&
	t0=$(date +%s%N) && ticket-import -C ../k "$PWD/big.jsonl" >/dev/null &&
	ms=$(( ($(date +%s%N) - t0) / 1000000 + 1 )) &&
	ticket-export -C ../k --json --unmask >whole.jsonl &&
	test_line_count whole.jsonl -ge 3000 &&
	for d in $(awk -v max="$ms" "BEGIN { srand(15); for (i = 0; i < 8; i++) printf \"%.3f\\n\", rand() * max / 1000 }"); do
		rm -rf ../k && desk_init --sample ../k &&
		{ ticket-import -C ../k "$PWD/big.jsonl" >/dev/null 2>&1 & } &&
		pid=$! && sleep "$d" && kill -9 "$pid" 2>/dev/null; wait "$pid"
		ticket-export -C ../k --json --unmask >now.jsonl &&
		{ cmp -s now.jsonl empty.jsonl || cmp -s now.jsonl whole.jsonl; } ||
			{ echo "killed after ${d}s: neither empty nor whole"; exit 1; }
	done
'

test_done
