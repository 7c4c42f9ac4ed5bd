#!/bin/sh
# kb-index: the index follows main by the git diff, in one transaction,
# and rebuilds itself when missing or broken.
. "$(dirname "$0")/lib.sh"

entry() { # category id title [answer]
	write_entry "d/kb/$1/$2.yaml" "$2" "$3" "$1" "" "${4:-请按流程处理。}"
}

test_expect_success 'a plain git commit on main is searchable at once (hook)' '
	empty_desk d &&
	entry 售后服务 trade-in 以旧换新活动说明 &&
	commit_all d "add trade-in" &&
	kb-search -C d 以旧换新 | cut -f1 >out &&
	echo trade-in >expect && test_cmp expect out
'

test_expect_success 'an edit shows its new text' '
	entry 售后服务 trade-in 以旧换新活动说明 "旧机最高折价五百元。" &&
	commit_all d edit &&
	kb-show -C d trade-in >out &&
	echo "旧机最高折价五百元。" >expect && test_cmp expect out
'

test_expect_success 'an entry moved to another category keeps its id' '
	mkdir -p d/kb/会员服务 &&
	git -C d mv kb/售后服务/trade-in.yaml kb/会员服务/trade-in.yaml &&
	sed -i "s/category: 售后服务/category: 会员服务/" d/kb/会员服务/trade-in.yaml &&
	commit_all d move &&
	kb-search -C d --json 以旧换新 | jq -r ".category" >out &&
	echo 会员服务 >expect && test_cmp expect out
'

test_expect_success 'a deleted entry leaves the index' '
	git -C d rm -q kb/会员服务/trade-in.yaml && git -C d commit -q -m delete &&
	test_must_fail kb-show -C d trade-in 2>err &&
	echo "kb-show: no entry '\''trade-in'\''" >expect && test_cmp expect err &&
	test_must_fail --code=1 kb-search -C d 以旧换新
'

test_expect_success 'an invalid entry on main is skipped with a warning, the rest indexed' '
	entry 售后服务 good 好条目 &&
	mkdir -p d/kb/售后服务 && printf "id: bad\ntitle: [\n" >d/kb/售后服务/bad.yaml &&
	git -C d add -A && git -C d -c core.hooksPath=/dev/null commit -q -m "bad entry" &&
	kb-index -C d -v >out 2>err &&
	grep -F "kb-index: warning: skipped kb/售后服务/bad.yaml:3:" err &&
	grep -F "1 added, 0 updated, 0 deleted, 1 skipped" out &&
	kb-show -C d good >/dev/null
'

test_expect_success 'fixing the invalid entry later indexes it' '
	entry 售后服务 bad 修好的条目 &&
	commit_all d fix 2>err &&
	kb-show -C d bad >/dev/null
'

test_expect_success 'a commit made without hooks is caught by the reader' '
	entry 售后服务 nohook 没有钩子的提交 &&
	git -C d add -A && git -C d -c core.hooksPath=/dev/null commit -q -m nohook &&
	kb-search -C d 钩子 | cut -f1 >out &&
	echo nohook >expect && test_cmp expect out
'

test_expect_success 'refs packed by git are read too' '
	git -C d pack-refs --all &&
	entry 售后服务 packed 打包引用 &&
	git -C d add -A && git -C d -c core.hooksPath=/dev/null commit -q -m packed &&
	git -C d pack-refs --all &&
	kb-search -C d 打包引用 | cut -f1 >out &&
	echo packed >expect && test_cmp expect out
'

test_expect_success 'commits on another branch do not publish' '
	git -C d checkout -q -b proposal/1-draft &&
	entry 售后服务 draft 抽奖活动规则 &&
	commit_all d draft &&
	git -C d checkout -q main &&
	test_must_fail --code=1 kb-search -C d 抽奖
'

test_expect_success 'a merge into main publishes, as any git merge does' '
	git -C d merge -q --no-ff -m "merge draft" proposal/1-draft &&
	kb-search -C d 抽奖 | cut -f1 >out &&
	echo draft >expect && test_cmp expect out
'

test_expect_success '--full rebuilds and says so' '
	kb-index -C d --full -v >out &&
	grep -F "rebuilt: 5 added" out &&
	kb-index -C d -v >out && grep -F "up to date" out
'

test_expect_success 'a deleted index is rebuilt on the next search' '
	rm -f d/.kefu/index.db &&
	kb-search -C d 抽奖 | cut -f1 >out &&
	echo draft >expect && test_cmp expect out
'

test_expect_success 'a corrupt index is rebuilt on the next search' '
	echo "not a database" >d/.kefu/index.db &&
	kb-search -C d 抽奖 | cut -f1 >out &&
	echo draft >expect && test_cmp expect out
'

test_expect_success 'an index of another version is rebuilt' '
	sqlite3 d/.kefu/index.db "PRAGMA user_version=99" &&
	kb-search -C d 抽奖 | cut -f1 >out && test_cmp expect out &&
	test "$(sqlite3 d/.kefu/index.db "PRAGMA user_version")" != 99
'

test_expect_success 'a damaged index behind a good header is rebuilt too' '
	sz=$(wc -c <d/.kefu/index.db) &&
	dd if=/dev/urandom of=d/.kefu/index.db bs=1 seek=4096 count=$((sz - 4096)) \
		conv=notrunc 2>/dev/null &&
	kb-search -C d 抽奖 | cut -f1 >out && test_cmp expect out
'

test_expect_success 'a full rebuild leaves later updates merging as usual' '
	kb-index -C d --full &&
	sqlite3 d/.kefu/index.db "SELECT v FROM fts_config WHERE k = '\''automerge'\''" >out &&
	echo 4 >expect && test_cmp expect out
'

test_expect_success 'updated is the date of the last commit that changed the entry' '
	empty_desk dates &&
	write_entry dates/kb/a/old.yaml old 旧条目 a &&
	git -C dates add -A &&
	GIT_COMMITTER_DATE="2024-05-01T10:00:00+08:00" git -C dates commit -q -m old &&
	write_entry dates/kb/a/new.yaml new 新条目 a &&
	git -C dates add -A &&
	GIT_COMMITTER_DATE="2026-02-03T10:00:00+08:00" git -C dates commit -q -m new &&
	kb-search -C dates --json 条目 | jq -r "[.id, .updated] | @tsv" | sort >out &&
	printf "new\t2026-02-03\nold\t2024-05-01\n" >expect && test_cmp expect out &&
	kb-index -C dates --full &&
	kb-search -C dates --json 条目 | jq -r "[.id, .updated] | @tsv" | sort >out &&
	test_cmp expect out
'

test_expect_success 'updated follows one commit (hook) and several at once (walk)' '
	write_entry dates/kb/a/old.yaml old 旧条目改 a &&
	git -C dates add -A &&
	GIT_COMMITTER_DATE="2026-03-04T10:00:00+08:00" git -C dates commit -q -m edit &&
	kb-search -C dates --json 条目 | jq -r "[.id, .updated] | @tsv" | sort >out &&
	printf "new	2026-02-03
old	2026-03-04
" >expect && test_cmp expect out &&
	write_entry dates/kb/a/new.yaml new 新条目改 a &&
	git -C dates add -A &&
	GIT_COMMITTER_DATE="2026-04-01T10:00:00+08:00" \
		git -C dates -c core.hooksPath=/dev/null commit -q -m edit2 &&
	write_entry dates/kb/a/third.yaml third 第三条目 a &&
	git -C dates add -A &&
	GIT_COMMITTER_DATE="2026-04-02T10:00:00+08:00" \
		git -C dates -c core.hooksPath=/dev/null commit -q -m add3 &&
	kb-search -C dates --json 条目 | jq -r "[.id, .updated] | @tsv" | sort >out &&
	printf "new	2026-04-01
old	2026-03-04
third	2026-04-02
" >expect &&
	test_cmp expect out
'

test_expect_success 'five kb-index at once all succeed and agree' '
	kb-index -C d --full &
	kb-index -C d --full &
	kb-index -C d &
	kb-index -C d --full &
	kb-index -C d
	wait &&
	kb-index -C d -v >out && grep -F "up to date" out && grep -F " 5 entries" out
'

# Killed once its transaction has begun (its journal is there): on any
# machine, however loaded, the kill falls inside the rebuild.
test_expect_success 'kill -9 during a rebuild leaves an index that works' '
	empty_desk big &&
	for c in 0 1 2 3 4 5 6 7 8 9; do mkdir big/kb/c$c || exit 1; done &&
	i=0 && while [ $i -lt 1500 ]; do
		printf "id: e%d\ntitle: 条目%d 退款说明\ncategory: c%d\nanswer: 第%d条的答案，关于物流和发票。\n" \
			$i $i $((i % 10)) $i >big/kb/c$((i % 10))/e$i.yaml
		i=$((i + 1))
	done &&
	commit_all big many || exit 1
	# Started on its own line: "a && b &" would background a and b too.
	kb-index -C big --full &
	pid=$!
	while kill -0 $pid 2>/dev/null && ! [ -e big/.kefu/index.db-journal ]; do :; done
	kill -9 $pid; wait $pid
	ls big/.kefu &&
	kb-search -C big -n 1 条目1499 | cut -f1 >out &&
	echo e1499 >expect && test_cmp expect out &&
	kb-index -C big -v >out && grep -F "1500 entries" out
'

test_expect_success 'outside a desk kb-index says so' '
	mkdir -p nowhere && cd nowhere &&
	test_must_fail kb-index 2>err &&
	grep "^kb-index: not in a desk" err
'

test_done
