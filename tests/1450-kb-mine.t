#!/bin/sh
# kb-mine: an agent's own entries (个人知识库), private, outside the desk,
# searched with the desk's and marked as theirs.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
desk=$(pwd)
base=$HOME/.local/share/kefu/desks/$(printf '%s' "${desk#/}" | sed 's|%|%25|g; s|/|%2F|g')
mode() { stat -c %a "$1"; }

cat >"$TEST_DIR/my.yaml" <<'EOT'
id: my-refund-words
title: 退款到账我这样说
category: 个人
keywords: [退款, 到账]
opening: 亲，别着急～
answer: 退款一般1到3个工作日原路退回，银行卡最长要7天哦。
closing: 还有什么可以帮您？
notes: 语气软一些。
EOT

test_expect_success 'without entries of your own: nothing to list, and a search makes nothing' '
	test_must_fail --code=1 kb-mine >out && test ! -s out &&
	kb-search -n 3 退款 >out &&
	kb-search --no-personal -n 3 退款 >expect && test_cmp expect out &&
	test ! -e "$HOME/.local/share/kefu"
'

test_expect_success 'kb-mine -a: the entry kept in your home, readable by you alone' '
	kb-mine -a "$TEST_DIR/my.yaml" >out &&
	echo "$base/kb/个人/my-refund-words.yaml" >expect && test_cmp expect out &&
	for d in "$HOME/.local/share/kefu" "$HOME/.local/share/kefu/desks" "$base" "$base/kb" "$base/kb/个人"; do
		test "$(mode "$d")" = 700 || { echo "$d: $(mode "$d")"; exit 1; }
	done &&
	test "$(mode "$base/kb/个人/my-refund-words.yaml")" = 600 &&
	kb-mine >out &&
	printf "my-refund-words\t退款到账我这样说\t个人\t%s\t%s\n" "$(date +%F)" \
		"$base/kb/个人/my-refund-words.yaml" >expect && test_cmp expect out
'

test_expect_success 'not in the desk, its git history or its index' '
	git status --porcelain --ignored >st && ! grep -F 个人 st &&
	! git log --all -p | grep -F 退款到账我这样说 &&
	! grep -rF my-refund-words kb .kefu/index.db
'

test_expect_success 'kb-search finds it with the desk entries, marked as yours' '
	kb-search -n 3 退款到账 | cut -f 1 >out &&
	printf "mine:my-refund-words\nrefund-arrival-time\nrefund-7day\n" >expect && test_cmp expect out &&
	kb-search --json -n 2 退款到账 | jq -c "[.id, .personal, .uses]" >out &&
	printf "[\"my-refund-words\",true,0]\n[\"refund-arrival-time\",false,0]\n" >expect &&
	test_cmp expect out &&
	kb-search --no-personal 退款到账 >out && ! grep -F my-refund-words out
'

test_expect_success 'ranked as the desk would rank it: a copy of a desk entry beside its original' '
	kb-show --yaml parcel-damaged | sed "s/^id: .*/id: my-parcel/" >"$TEST_DIR/copy.yaml" &&
	kb-mine -a "$TEST_DIR/copy.yaml" >/dev/null &&
	kb-search --json -n 3 快递包裹破损 | jq -r "[.id, .score] | @tsv" >out &&
	cut -f 1 out >ids && printf "parcel-damaged\nmy-parcel\nlogistics-tracking-slow\n" >expect &&
	test_cmp expect ids &&
	awk -F "\t" "NR == 1 { a = \$2 } NR == 2 { b = \$2 } NR == 3 { c = \$2 }
		END { exit !(b >= 0.85 * a && b > 2 * c) }" out &&
	kb-mine -r my-parcel
'

test_expect_success 'filters and dates apply to your entries too' '
	kb-search -c 个人 退款 | cut -f 1 >out &&
	echo mine:my-refund-words >expect && test_cmp expect out &&
	test_must_fail --code=1 kb-search -c 售后服务 -t 没有这个标签 退款到账
'

test_expect_success 'kb-show: mine:ID, or an id the desk does not have' '
	kb-show --say mine:my-refund-words >out &&
	printf "亲，别着急～\n退款一般1到3个工作日原路退回，银行卡最长要7天哦。\n还有什么可以帮您？\n" >expect &&
	test_cmp expect out &&
	kb-show --say my-refund-words >out2 && test_cmp expect out2 &&
	kb-show --json my-refund-words | jq -c "[.personal, .path]" >out &&
	echo "[true,\"$base/kb/个人/my-refund-words.yaml\"]" >expect && test_cmp expect out &&
	kb-search -n 3 退款到账 | kb-show --say >all && grep -F 亲，别着急～ all &&
	test_must_fail kb-show --at main mine:my-refund-words 2>err &&
	grep -F "personal entry '"'"'my-refund-words'"'"' has no history: it is not in git" err &&
	test_must_fail kb-show mine:refund-7day 2>err &&
	grep -F "kb-show: no personal entry '"'"'refund-7day'"'"'" err
'

test_expect_success 'your own version of a desk entry: same id, both found, each its own' '
	EDITOR="sed -i \"s/^title: .*/title: 七天无理由，我的说法/\"" kb-mine -e refund-7day >out &&
	echo "$base/kb/售后服务/refund-7day.yaml" >expect && test_cmp expect out &&
	kb-search -n 2 七天无理由 | cut -f 1,2 >out &&
	printf "refund-7day\t七天无理由退货退款流程\nmine:refund-7day\t七天无理由，我的说法\n" >expect &&
	test_cmp expect out &&
	kb-show --json refund-7day | jq -r .title >out && echo 七天无理由退货退款流程 >expect &&
	test_cmp expect out &&
	kb-show --json mine:refund-7day | jq -r .title >out && echo 七天无理由，我的说法 >expect &&
	test_cmp expect out
'

test_expect_success 'invisible to another user: their own home, and no way into yours' '
	mkdir other &&
	HOME=$TEST_DIR/other kb-search 退款到账 >out &&
	! grep -F mine: out &&
	test_must_fail --code=1 env HOME=$TEST_DIR/other kb-mine
'

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	test_expect_success 'another Unix account cannot read them' '
		chmod 0755 "$TEST_DIR" "$HOME/.local" "$HOME/.local/share" &&
		test_must_fail --code=2 setpriv --reuid=nobody --regid=nogroup --clear-groups \
			ls "$base/kb/个人" 2>err &&
		grep -F "Permission denied" err &&
		test_must_fail --code=1 setpriv --reuid=nobody --regid=nogroup --clear-groups \
			cat "$base/kb/个人/my-refund-words.yaml" 2>err
	'
else
	test_skip "not root: no second account to try them as"
fi

test_expect_success 'kb-mine -e: a new one from a template; unchanged is not saved' '
	test_must_fail --code=1 env EDITOR=true kb-mine -e brand-new 2>err &&
	grep -F "brand-new: unchanged, nothing saved" err &&
	test_must_fail kb-mine -p brand-new &&
	cat >fill.sh <<-\EOT &&
	#!/bin/sh
	sed -i -e "s/^title:.*/title: 开场白/" -e "s/^  \$/  您好，我是您的专属客服。/" "$1"
	EOT
	chmod +x fill.sh &&
	EDITOR=./fill.sh kb-mine -e brand-new -c 开场 >out &&
	echo "$base/kb/开场/brand-new.yaml" >expect && test_cmp expect out &&
	kb-show --say brand-new >out && echo 您好，我是您的专属客服。 >expect && test_cmp expect out
'

test_expect_success 'an invalid edit saves nothing and keeps your text' '
	cp "$base/kb/个人/my-refund-words.yaml" before &&
	test_must_fail env EDITOR="sed -i /^answer:/d" kb-mine -e my-refund-words 2>err &&
	grep -F ":1: answer: required key is missing" err &&
	kept=$(sed -n "s/.*your text is in '"'"'\(.*\)'"'"' (kb-mine -a it once fixed)$/\1/p" err) &&
	test -f "$kept" && ! grep "^answer:" "$kept" &&
	test_cmp before "$base/kb/个人/my-refund-words.yaml" &&
	rm "$kept"
'

test_expect_success 'an edit that changes the category moves the file' '
	EDITOR="sed -i s/^category:.*/category:\ 话术/" kb-mine -e my-refund-words >out &&
	echo "$base/kb/话术/my-refund-words.yaml" >expect && test_cmp expect out &&
	test ! -e "$base/kb/个人/my-refund-words.yaml" &&
	kb-search -c 话术 退款 | cut -f 1 >out && echo mine:my-refund-words >expect && test_cmp expect out
'

test_expect_success 'kb-mine -a checks every file first: one invalid, none added' '
	printf "id: ok-one\ntitle: 好的\ncategory: 个人\nanswer: 好。\n" >ok.yaml &&
	printf "id: bad-one\ntitle: 坏的\ncategory: 个人\n" >bad.yaml &&
	test_must_fail kb-mine -a ok.yaml bad.yaml 2>err &&
	grep -F "bad.yaml:" err && grep -F "kb-mine: nothing added" err &&
	test_must_fail kb-mine -p ok-one
'

test_expect_success 'files edited by hand are searched as they are now' '
	f=$base/kb/话术/my-refund-words.yaml &&
	sed -i "s/^title: .*/title: 钱什么时候回来/" "$f" &&
	kb-search -n 1 钱什么时候回来 | cut -f 1 >out &&
	echo mine:my-refund-words >expect && test_cmp expect out
'

test_expect_success 'a file that is no entry is said once, as kb-lint says it, and left out' '
	printf "id: wrong-name\ntitle: 错\ncategory: 个人\nanswer: 错。\n" >"$base/kb/个人/broken.yaml" &&
	kb-search 错 >out 2>err &&
	grep -F "$base/kb/个人/broken.yaml:1: id: " err &&
	! grep -F wrong-name out &&
	kb-search 错 >out 2>err && test ! -s err &&
	kb-lint "$base/kb/个人/broken.yaml" 2>lint; test $? = 2 &&
	rm "$base/kb/个人/broken.yaml"
'

test_expect_success 'the index is derived: deleted or damaged, it is made again' '
	rm "$base/index.db" &&
	kb-search -n 1 钱什么时候回来 | cut -f 1 >out &&
	echo mine:my-refund-words >expect && test_cmp expect out &&
	echo garbage >"$base/index.db" &&
	kb-search -n 1 钱什么时候回来 | cut -f 1 >out && test_cmp expect out
'

test_expect_success 'one of them offered to the desk: kb-propose of its file, with the usual review' '
	KEFU_USER=wang.fang@example.com kb-propose -m "到账这样说更安心" "$(kb-mine -p my-refund-words)" >name &&
	echo proposal/1-my-refund-words >expect && test_cmp expect name &&
	kb-diff 1 | head -n 1 >out &&
	echo "my-refund-words: added (kb/话术/my-refund-words.yaml)" >expect && test_cmp expect out &&
	KEFU_USER=zhou.min@example.com kb-approve 1 >/dev/null &&
	kb-search -n 2 钱什么时候回来 | cut -f 1 | sort >out &&
	printf "mine:my-refund-words\nmy-refund-words\n" >expect && test_cmp expect out
'

test_expect_success 'kb-mine -r removes; an unknown id is an error' '
	kb-mine -r my-refund-words refund-7day &&
	test_must_fail kb-mine -r no-such 2>err &&
	grep -F "kb-mine: no personal entry '"'"'no-such'"'"'" err &&
	kb-mine | cut -f 1 >out && echo brand-new >expect && test_cmp expect out
'

test_expect_success 'a base opened to others is said' '
	chmod 755 "$base" &&
	kb-mine >/dev/null 2>err &&
	grep -F "is open to others (mode 0755): chmod 700 it" err &&
	chmod 700 "$base"
'

test_expect_success 'XDG_DATA_HOME, when absolute, is where they live; a relative one is ignored' '
	mkdir xdg &&
	XDG_DATA_HOME=$TEST_DIR/xdg kb-mine -a "$TEST_DIR/my.yaml" >out &&
	echo "$TEST_DIR/xdg/kefu/desks/${base##*/}/kb/个人/my-refund-words.yaml" >expect &&
	test_cmp expect out &&
	XDG_DATA_HOME=$TEST_DIR/xdg kb-search -n 1 退款到账 | cut -f 1 >out &&
	echo mine:my-refund-words >expect && test_cmp expect out &&
	kb-search 退款到账 | cut -f 1 >out && ! grep -F mine:my-refund-words out &&
	XDG_DATA_HOME=xdg kb-mine -p >out && echo "$base" >expect && test_cmp expect out
'

test_expect_success 'bad usage' '
	test_must_fail kb-mine -a 2>err && grep -F "kb-mine: -a needs files" err &&
	test_must_fail kb-mine -r -p x 2>err && grep -F "exclude each other" err &&
	test_must_fail kb-mine -c 个人 2>err && grep -F "kb-mine: -c goes with -e" err &&
	test_must_fail kb-mine -e "Not An Id" 2>err && grep -F "not an entry id" err
'

test_done
