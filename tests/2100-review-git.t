#!/bin/sh
# Review in git terms: history, plain git merges, notification hooks,
# concurrent approvals, a killed approval, and the server's hook.
. "$(dirname "$0")/lib.sh"

editor=wang.fang@example.com
sup=zhou.min@example.com
sup2=chen.jing@example.com
export KEFU_NOW=2026-03-02T09:00:00+08:00

sample_desk d
cd d || exit 1
mkdir ../drafts
as() { who=$1; shift; KEFU_USER=$who "$@"; }
# draft ID SED: an edited copy of entry ID as main has it, in ../drafts
draft() {
	kb-show --yaml --at main "$1" >"../drafts/$1.yaml" && sed -i "$2" "../drafts/$1.yaml"
}
at() { KEFU_NOW=$1; export KEFU_NOW; }

test_expect_success 'kb-log of an entry: proposed, rejected, amended, approved, newest first' '
	draft refund-7day "s/^title: .*/title: 退货退款（七天无理由）/" &&
	at 2026-03-02T09:10:00+08:00 && as $editor kb-propose -m "更醒目" ../drafts/refund-7day.yaml &&
	at 2026-03-02T09:20:00+08:00 && as $sup kb-reject -m "括号不要" 1 &&
	draft refund-7day "s/^title: .*/title: 七天无理由退货退款/" &&
	at 2026-03-02T09:30:00+08:00 && as $editor kb-propose --amend 1 -m "去掉括号" ../drafts/refund-7day.yaml &&
	at 2026-03-02T09:40:00+08:00 && as $sup kb-approve -m "好" 1 >/dev/null &&
	kb-log refund-7day | cut -f1-4 >out &&
	cat >expect <<-EOT &&
	2026-03-02T09:40:00+08:00	approved	$sup	好
	2026-03-02T09:30:00+08:00	amended	$editor	去掉括号
	2026-03-02T09:20:00+08:00	rejected	$sup	括号不要
	2026-03-02T09:10:00+08:00	proposed	$editor	更醒目
	$(git log -1 --format=%ad --date=iso-strict "$(git rev-list --max-parents=0 main)")	edited directly	li.na@example.com	kb-init: sample desk
	EOT
	test_cmp expect out &&
	kb-log refund-7day | cut -f5 | head -1 >got && git rev-parse main >expect && test_cmp expect got
'

test_expect_success 'kb-log --json carries the proposal and the ids' '
	kb-log --json -n 1 refund-7day >out &&
	jq -c "[.action, .proposal, .ids]" out >got &&
	echo "[\"approved\",\"proposal/1-refund-7day\",[\"refund-7day\"]]" >expect && test_cmp expect got &&
	jq -c "keys_unsorted" out >got &&
	echo "[\"date\",\"action\",\"who\",\"why\",\"commit\",\"proposal\",\"ids\"]" >expect && test_cmp expect got
'

test_expect_success 'a supervisor'\''s plain git merge of a proposal is an approval by the committer' '
	draft warranty-period "s/^title: .*/title: 家电保修期限说明/" &&
	at 2026-03-02T10:00:00+08:00 && as $editor kb-propose -m 改标题 ../drafts/warranty-period.yaml >name &&
	GIT_COMMITTER_EMAIL=$sup2 GIT_COMMITTER_NAME=陈静 GIT_COMMITTER_DATE=2026-03-02T10:05:00+08:00 \
		git merge -q --no-ff -m "merge by hand" "$(cat name)" &&
	kb-search -n 1 家电保修期限 | cut -f1 >got && echo warranty-period >expect && test_cmp expect got &&
	kb-log -n 1 warranty-period | cut -f2,3 >got &&
	printf "approved\t%s\n" $sup2 >expect && test_cmp expect got &&
	kb-proposals -a | grep -F "$(cat name)" | cut -f6 >got && echo approved >expect && test_cmp expect got
'

test_expect_success 'merges of other branches and commits on main are direct' '
	git checkout -q -b fix main &&
	sed -i "s/^title: .*/title: 查询维修进度的方法/" kb/保修维修/repair-progress-query.yaml &&
	git commit -q -am "fix title" &&
	git checkout -q main &&
	git merge -q --no-ff -m "merge fix" fix &&
	sed -i "s/^title: .*/title: 维修进度查询/" kb/保修维修/repair-progress-query.yaml &&
	git commit -q -am "direct edit" &&
	kb-log repair-progress-query | cut -f2 | head -2 >got &&
	printf "edited directly\nmerged directly\n" >expect && test_cmp expect got
'

test_expect_success 'kb-log without an id is the whole desk; commits outside kb/ are not in it' '
	echo "# note" >>workflows/sla.yaml && git commit -q -am "sla note" &&
	kb-log >out &&
	! grep -F "$(git rev-parse HEAD)" out &&
	grep -c . out >n && test "$(cat n)" -ge 8 &&
	test_must_fail --code=1 kb-log no-such-entry
'

test_expect_success 'notification hooks get one JSON object; a failing one only warns' '
	mkdir -p workflows/hooks &&
	for e in proposed approved rejected; do
		printf "#!/bin/sh\ncat >>\"%s/events\"\n" "$TEST_DIR" >workflows/hooks/$e &&
		chmod +x workflows/hooks/$e || exit 1
	done &&
	draft shipping-time "s/^title: .*/title: 发货与送达时间/" &&
	at 2026-03-02T11:00:00+08:00 && as $editor kb-propose -m 新标题 ../drafts/shipping-time.yaml >name &&
	as $sup kb-reject -m 再想想 "$(cat name)" &&
	jq -c "[.event, .proposal, .ids, .by, .text, .at]" "$TEST_DIR/events" >got &&
	cat >expect <<-EOT &&
	["proposed","$(cat name)",["shipping-time"],"$editor","新标题","2026-03-02T11:00:00+08:00"]
	["rejected","$(cat name)",["shipping-time"],"$sup","再想想","2026-03-02T11:00:00+08:00"]
	EOT
	test_cmp expect got &&
	printf "#!/bin/sh\nexit 3\n" >workflows/hooks/approved &&
	draft shipping-time "s/^title: .*/title: 发货和送达要多久/" &&
	as $editor kb-propose --amend "$(cat name)" ../drafts/shipping-time.yaml >/dev/null &&
	as $sup kb-approve "$(cat name)" >out 2>err &&
	grep -F "kb-approve: warning: hook '\''$PWD/workflows/hooks/approved'\'' failed (exit 3)" err &&
	test "$(cat out)" = "$(git rev-parse main)" &&
	kb-show --json shipping-time | jq -r .title | grep -Fx 发货和送达要多久
'

test_expect_success 'two supervisors approving at once: both changes land' '
	rm -rf workflows/hooks &&
	draft vip-benefits "s/^title: .*/title: 会员权益一览/" &&
	draft points-rules "s/^title: .*/title: 积分规则一览/" &&
	as $editor kb-propose -m a ../drafts/vip-benefits.yaml >a &&
	as $editor kb-propose -m b ../drafts/points-rules.yaml >b || exit 1
	# each started on its own line: "x && y &" would background x too
	(as $sup kb-approve "$(cat a)" >/dev/null 2>err-a; echo $? >rc-a) &
	(as $sup2 kb-approve "$(cat b)" >/dev/null 2>err-b; echo $? >rc-b) &
	wait
	cat err-a err-b &&
	test "$(cat rc-a)$(cat rc-b)" = 00 &&
	git log -2 --format=%s main >subjects && grep -F "$(cat a)" subjects && grep -F "$(cat b)" subjects &&
	kb-show --json vip-benefits | jq -r .title | grep -Fx 会员权益一览 &&
	kb-show --json points-rules | jq -r .title | grep -Fx 积分规则一览
'

test_expect_success 'kill -9 during an approval leaves main before or after, never broken' '
	i=0 && while [ $i -lt 12 ]; do
		draft coupon-usage "s/^title: .*/title: 优惠券使用规则 $i/" &&
		as $editor kb-propose -m "try $i" ../drafts/coupon-usage.yaml >name || exit 1
		before=$(git rev-parse main)
		# the command itself in the background, so that the kill reaches it
		KEFU_USER=$sup kb-approve "$(cat name)" >/dev/null 2>&1 &
		pid=$!
		sleep "0.0$((i % 4))"
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		after=$(git rev-parse main)
		if [ "$after" != "$before" ]; then
			test "$(git rev-parse main^1)" = "$before" &&
			test "$(git rev-parse main^2)" = "$(git rev-parse "$(cat name)")" || exit 1
		fi
		git fsck --no-dangling --no-progress 2>&1 | grep -v "^notice" && exit 1
		# A lock the kill left: once stale, the next approval clears it.
		if [ -e .git/refs/heads/main.lock ] || [ -e .git/index.lock ]; then
			for l in .git/refs/heads/main.lock .git/index.lock; do
				[ -e $l ] && touch -d "1 minute ago" $l
			done
			if [ "$(git rev-parse main)" = "$before" ]; then
				KEFU_USER=$sup kb-approve "$(cat name)" >/dev/null || exit 1
			fi
			test ! -e .git/refs/heads/main.lock || exit 1
		fi
		i=$((i + 1))
	done &&
	git status --porcelain >/dev/null &&
	kb-search -n 1 优惠券使用规则 >/dev/null
'

# The server's tests start from a desk whose history only supervisors made.
server_desk() {
	rm -rf ../e && KEFU_USER=$sup kb-init --sample ../e >/dev/null && cd ../e &&
	git config user.email $sup && git config user.name 周敏
}

test_expect_success 'kb-init --server: a bare repository with the pre-receive hook' '
	kb-init --server ../srv.git &&
	test "$(git -C ../srv.git rev-parse --is-bare-repository)" = true &&
	test -x ../srv.git/hooks/pre-receive &&
	grep -F "kb-receive" ../srv.git/hooks/pre-receive &&
	test_must_fail kb-init --server --sample ../other.git 2>err &&
	grep -F "exclude each other" err
'

test_expect_success 'the server refuses knowledge pushed to main by a non-supervisor' '
	server_desk && git remote add origin ../srv.git &&
	test_must_fail --code=1 env KEFU_PUSHER=$editor git push -q origin main 2>err &&
	grep -F "remote: kb-receive: refused:" err &&
	grep -F "'\''$editor'\'', who pushes it, is not a supervisor" err &&
	test -z "$(git ls-remote ../srv.git refs/heads/main)"
'

test_expect_success 'a supervisor may push main; anyone may push a proposal' '
	cd ../e &&
	KEFU_PUSHER=$sup git push -q origin main &&
	test "$(git ls-remote ../srv.git refs/heads/main | cut -f1)" = "$(git rev-parse main)" &&
	draft hold-please-wait "s/^title: .*/title: 请客户稍候/" &&
	as $editor kb-propose -m wait ../drafts/hold-please-wait.yaml >../name &&
	KEFU_PUSHER=$editor git push -q origin "$(cat ../name)"
'

test_expect_success 'a user name from the server (GL_USERNAME) matches the email'\''s local part' '
	cd ../e &&
	draft opening-phone "s/^title: .*/title: 电话开场白/" &&
	cp ../drafts/opening-phone.yaml kb/开场结束/opening-phone.yaml && git commit -q -am "direct" &&
	test_must_fail --code=1 env GL_USERNAME=wang.fang git push -q origin main 2>err &&
	grep -F "'\''wang.fang'\'', who pushes it, is not a supervisor" err &&
	GL_USERNAME=zhou.min git push -q origin main
'

test_expect_success 'a merge approved by its own author is refused' '
	cd ../e &&
	draft closing-standard "s/^title: .*/title: 标准结束语/" &&
	as $sup kb-propose -m mine ../drafts/closing-standard.yaml >../name &&
	git merge -q --no-ff -m "self merge" "$(cat ../name)" &&
	test_must_fail --code=1 env KEFU_PUSHER=$sup git push -q origin main 2>err &&
	grep -F "is approved by '\''$sup'\'', who proposed or amended it" err &&
	git reset -q --hard HEAD^
'

test_expect_success 'a forged Approved-by does not let an author publish their own proposal' '
	cd ../e &&
	draft closing-standard "s/^title: .*/title: 结束语（标准）/" &&
	as $sup kb-propose -m mine ../drafts/closing-standard.yaml >../name &&
	git merge -q --no-ff -m "Approve it

Approved-by: 陈静 <$sup2>" "$(cat ../name)" &&
	test_must_fail --code=1 env KEFU_PUSHER=$sup git push -q origin main 2>err &&
	grep -F "merges a proposal by '\''$sup'\'', who pushes it" err &&
	git reset -q --hard HEAD^
'

test_expect_success 'a proposal fast-forwarded onto main is refused: no approval on record' '
	cd ../e &&
	draft closing-standard "s/^title: .*/title: 结束语/" &&
	as $editor kb-propose -m ff ../drafts/closing-standard.yaml >../name &&
	git merge -q --ff-only "$(cat ../name)" &&
	test_must_fail --code=1 env KEFU_PUSHER=$sup git push -q origin main 2>err &&
	grep -F "is a proposal'\''s own commit on main; approve it with kb-approve or git merge --no-ff" err &&
	git reset -q --hard origin/main
'

test_expect_success 'nobody grants themselves a role by pushing roles.yaml' '
	cd ../e &&
	sed -i "s/^\(    roles: \)\[agent\]\( *\)$/\1[agent, supervisor]\2/" workflows/roles.yaml &&
	git -c user.email=li.na@example.com commit -q -am "make everyone a supervisor" &&
	test_must_fail --code=1 env KEFU_PUSHER=li.na@example.com git push -q origin main 2>err &&
	grep -F "changes workflows/ and '\''li.na@example.com'\'', who pushes it, is not a supervisor in main'\''s workflows/roles.yaml before this push" err &&
	git reset -q --hard origin/main
'

test_expect_success 'without a pusher main does not move, whoever committed; main cannot be deleted' '
	cd ../e &&
	draft closing-ticket-created "s/^title: .*/title: 已建工单的结束语/" &&
	cp ../drafts/closing-ticket-created.yaml kb/开场结束/ &&
	GIT_COMMITTER_EMAIL=$editor git commit -q -am "by editor" &&
	test_must_fail --code=1 git push -q origin main 2>err &&
	grep -F "nobody authenticated this push to main" err &&
	test_must_fail --code=1 env KEFU_PUSHER=$editor git push -q origin main 2>err &&
	grep -F "'\''$editor'\'', who pushes it, is not a supervisor" err &&
	git commit -q --amend --no-edit &&
	test_must_fail --code=1 git push -q origin main 2>err &&
	grep -F "nobody authenticated this push to main" err &&
	KEFU_PUSHER=$sup git push -q origin main &&
	test_must_fail --code=1 env KEFU_PUSHER=$sup git push -q origin :main 2>err &&
	grep -F "main cannot be deleted" err
'

test_done
