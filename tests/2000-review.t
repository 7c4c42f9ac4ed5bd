#!/bin/sh
# The review workflow: propose, list, diff, reject, amend, approve.
. "$(dirname "$0")/lib.sh"

editor=wang.fang@example.com
editor2=huang.qian@example.com
sup=zhou.min@example.com
sup2=chen.jing@example.com
agent=li.na@example.com
export KEFU_NOW=2026-03-02T09:30:00+08:00

sample_desk d
cd d || exit 1
as() { who=$1; shift; KEFU_USER=$who "$@"; }

# Drafts live outside the desk, each file named for its entry.
mkdir ../drafts ../drafts2
cp kb/售后服务/refund-7day.yaml ../drafts/refund-7day.yaml
sed -i 's/^title: .*/title: 七天无理由退货与退款/; s/keywords: \[/keywords: [exchange, /' ../drafts/refund-7day.yaml

test_expect_success 'an editor proposes: a branch, main and the work tree untouched' '
	main=$(git rev-parse main) &&
	as $editor kb-propose -m "标题更准确" ../drafts/refund-7day.yaml >out &&
	echo proposal/1-refund-7day >expect && test_cmp expect out &&
	test "$(git rev-parse main)" = "$main" &&
	test -z "$(git status --porcelain --untracked-files=no)" &&
	test "$(git rev-parse proposal/1-refund-7day^)" = "$main" &&
	kb-show --json refund-7day | jq -r .title >title &&
	echo 七天无理由退货退款流程 >expect && test_cmp expect title
'

test_expect_success 'the proposal commit carries the reason and trailers' '
	git log -1 --format=%B proposal/1-refund-7day >msg &&
	cat >expect <<-\EOT &&
	Propose refund-7day: 七天无理由退货与退款

	标题更准确

	Proposed-by: 王芳 <wang.fang@example.com>
	Entry: refund-7day

	EOT
	test_cmp expect msg &&
	test "$(git log -1 --format=%ae proposal/1-refund-7day)" = $editor &&
	test "$(git log -1 --format=%ad --date=iso-strict proposal/1-refund-7day)" = 2026-03-02T09:30:00+08:00
'

test_expect_success 'an agent may not propose; nothing is created' '
	test_must_fail as $agent kb-propose -m x ../drafts/refund-7day.yaml 2>err &&
	echo "kb-propose: refused: '\''$agent'\'' is not an editor in workflows/roles.yaml" >expect &&
	test_cmp expect err &&
	test "$(git for-each-ref refs/heads/proposal/ | wc -l)" = 1
'

test_expect_success 'someone not in roles.yaml may not propose' '
	test_must_fail as stranger@example.com kb-propose -m x ../drafts/refund-7day.yaml 2>err &&
	grep -F "'\''stranger@example.com'\'' is not in workflows/roles.yaml" err
'

test_expect_success 'an invalid entry is refused with every problem; nothing is created' '
	printf "id: broken\ntitle: [x]\ncategory: 售后服务\n" >../drafts/broken.yaml &&
	test_must_fail as $editor kb-propose ../drafts/broken.yaml 2>err &&
	cat >expect <<-\EOT &&
	../drafts/broken.yaml:2: title: expected a string, not a list
	../drafts/broken.yaml:1: answer: required key is missing
	kb-propose: nothing proposed: fix the entries above
	EOT
	test_cmp expect err &&
	test "$(git for-each-ref refs/heads/proposal/ | wc -l)" = 1
'

test_expect_success 'an entry identical to main is refused as empty' '
	test_must_fail as $editor kb-propose kb/售后服务/refund-arrival-time.yaml 2>err &&
	echo "kb-propose: nothing to propose: the entry is the same as on main" >expect &&
	test_cmp expect err
'

test_expect_success 'a new entry and a deletion, each a proposal' '
	cat >../drafts/trade-in.yaml <<-\EOT &&
	id: trade-in
	title: 以旧换新活动说明
	category: 售后服务
	keywords: [以旧换新]
	answer: 旧机最高抵扣五百元。
	EOT
	as $editor2 kb-propose -m "新活动" ../drafts/trade-in.yaml >out &&
	echo proposal/2-trade-in >expect && test_cmp expect out &&
	test_must_fail as $editor kb-propose --delete hold-please-wait 2>err &&
	grep -F "kb-propose: --delete needs a reason: -m REASON" err &&
	test_must_fail as $editor kb-propose --delete no-such-entry -m x 2>err &&
	grep -F "kb-propose: cannot delete '\''no-such-entry'\'': no such entry" err &&
	as $editor kb-propose --delete -m "不再使用" hold-please-wait >out &&
	echo proposal/3-hold-please-wait >expect && test_cmp expect out
'

test_expect_success 'kb-proposals lists them: name, ids, author, date, reason, state, merges' '
	kb-proposals >out &&
	cat >expect <<-EOT &&
	proposal/1-refund-7day	refund-7day	$editor	2026-03-02	标题更准确	pending	clean
	proposal/2-trade-in	trade-in	$editor2	2026-03-02	新活动	pending	clean
	proposal/3-hold-please-wait	hold-please-wait	$editor	2026-03-02	不再使用	pending	clean
	EOT
	test_cmp expect out &&
	kb-proposals --json | jq -c "keys_unsorted" | sort -u >keys &&
	echo "[\"name\",\"ids\",\"author\",\"date\",\"reason\",\"state\",\"clean\",\"conflicts\",\"updated\",\"rejected_by\",\"rejection\",\"commit\"]" >expect &&
	test_cmp expect keys
'

test_expect_success 'kb-diff shows a change field by field' '
	kb-diff 1 >out &&
	cat >expect <<-\EOT &&
	refund-7day: changed (kb/售后服务/refund-7day.yaml)
	  title: 七天无理由退货退款流程 -> 七天无理由退货与退款
	  keywords: +exchange
	EOT
	test_cmp expect out &&
	kb-diff --json proposal/1-refund-7day >json &&
	jq -c "[.id, .change, [.fields[].field]]" json >got &&
	echo "[\"refund-7day\",\"changed\",[\"title\",\"keywords\"]]" >expect && test_cmp expect got &&
	jq -c ".fields[1] | [.added, .removed]" json >got &&
	echo "[[\"exchange\"],[]]" >expect && test_cmp expect got
'

test_expect_success 'kb-diff of an addition and a deletion' '
	kb-diff 2 >out &&
	head -1 out >got && echo "trade-in: added (kb/售后服务/trade-in.yaml)" >expect &&
	test_cmp expect got &&
	grep -F "  title: + 以旧换新活动说明" out &&
	kb-diff 3 >out &&
	printf "hold-please-wait: deleted (kb/开场结束/hold-please-wait.yaml)\n  title: - %s\n" \
		"$(kb-show --json hold-please-wait | jq -r .title)" >expect &&
	test_cmp expect out
'

test_expect_success 'a text field changes line by line' '
	cp kb/售后服务/refund-7day.yaml ../drafts2/refund-7day.yaml &&
	sed -i "s/七天内都可以/签收后七天内都可以/" ../drafts2/refund-7day.yaml &&
	as $editor kb-propose -m 签收 ../drafts2/refund-7day.yaml >name &&
	kb-diff "$(cat name)" >out &&
	grep -F "  answer:" out &&
	grep -c "^    - " out >minus && echo 1 >expect && test_cmp expect minus &&
	grep -c "^    + " out >plus && test_cmp expect plus &&
	grep "^    + .*签收后七天内都可以" out
'

test_expect_success 'only a supervisor approves, and never their own proposal' '
	test_must_fail as $editor kb-approve 1 2>err &&
	grep -F "'\''$editor'\'' is not a supervisor" err &&
	cp kb/售后服务/refund-arrival-time.yaml ../drafts/refund-arrival-time.yaml &&
	sed -i "s/^title: .*/title: 退款到账时间说明/" ../drafts/refund-arrival-time.yaml &&
	as $sup kb-propose -m "主管自己改" ../drafts/refund-arrival-time.yaml >name &&
	test_must_fail as $sup kb-approve "$(cat name)" 2>err &&
	grep -F "'\''$sup'\'' proposed or amended '\''$(cat name)'\''; another supervisor must approve it" err
'

test_expect_success 'a supervisor rejects with a reason; it shows as rejected' '
	test_must_fail as $sup kb-reject 1 2>err &&
	grep -F "a rejection needs a reason" err &&
	test_must_fail as $editor kb-reject -m no 1 2>err &&
	grep -F "is not a supervisor" err &&
	KEFU_NOW=2026-03-02T10:00:00+08:00 as $sup kb-reject -m "标题请保留「流程」二字" 1 &&
	git log -1 --format=%B proposal/1-refund-7day | grep -Fx "Rejected-by: 周敏 <zhou.min@example.com>" &&
	kb-proposals --json | jq -r "select(.name == \"proposal/1-refund-7day\") | [.state, .rejected_by, .rejection] | @tsv" >got &&
	printf "rejected\tzhou.min@example.com\t标题请保留「流程」二字\n" >expect && test_cmp expect got &&
	test_must_fail as $sup2 kb-approve 1 2>err &&
	grep -F "it is rejected (amend it first)" err &&
	test_must_fail as $sup kb-reject -m again 1 2>err &&
	grep -F "it is already rejected" err
'

test_expect_success 'the author amends; it is pending again' '
	sed -i "s/^title: .*/title: 七天无理由退货退款流程说明/" ../drafts/refund-7day.yaml &&
	KEFU_NOW=2026-03-02T11:00:00+08:00 as $editor kb-propose --amend 1 -m "保留流程二字" ../drafts/refund-7day.yaml >out &&
	echo proposal/1-refund-7day >expect && test_cmp expect out &&
	git log -1 --format=%B proposal/1-refund-7day | grep -F "Amended-by: 王芳 <wang.fang@example.com>" &&
	kb-proposals --json | jq -r "select(.name == \"proposal/1-refund-7day\") | [.state, .updated] | @tsv" >got &&
	printf "pending\t2026-03-02T11:00:00+08:00\n" >expect && test_cmp expect got &&
	test_must_fail as $editor kb-propose --amend 1 ../drafts/refund-7day.yaml 2>err &&
	grep -F "nothing to propose: the entry is the same as the proposal already has" err
'

test_expect_success 'a supervisor approves: a merge on main with trailers, index and work tree follow' '
	old=$(git rev-parse main) &&
	KEFU_NOW=2026-03-02T12:00:00+08:00 as $sup kb-approve -m "可以" 1 >out &&
	test "$(cat out)" = "$(git rev-parse main)" &&
	test "$(git rev-parse main^1)" = "$old" &&
	test "$(git rev-parse main^2)" = "$(git rev-parse proposal/1-refund-7day)" &&
	git log -1 --format=%B main >msg &&
	grep -Fx "Approved-by: 周敏 <zhou.min@example.com>" msg &&
	grep -Fx "Proposal: proposal/1-refund-7day" msg &&
	grep -Fx "可以" msg &&
	kb-show --json refund-7day | jq -r .title >title &&
	echo 七天无理由退货退款流程说明 >expect && test_cmp expect title &&
	grep -F "title: 七天无理由退货退款流程说明" kb/售后服务/refund-7day.yaml &&
	test -z "$(git status --porcelain --untracked-files=no)" &&
	kb-proposals | cut -f1 >left && ! grep -Fx proposal/1-refund-7day left &&
	kb-proposals -a | grep -F "proposal/1-refund-7day" | cut -f6 >state &&
	echo approved >expect && test_cmp expect state
'

test_expect_success 'a local edit in the way is kept, the rest of the work tree follows' '
	cp kb/会员服务/vip-benefits.yaml ../drafts2/vip-benefits.yaml &&
	sed -i "s/^title: .*/title: 会员权益说明/" ../drafts2/vip-benefits.yaml &&
	cp kb/会员服务/points-rules.yaml ../drafts2/points-rules.yaml &&
	sed -i "s/^title: .*/title: 积分规则说明/" ../drafts2/points-rules.yaml &&
	as $editor kb-propose -m two ../drafts2/vip-benefits.yaml ../drafts2/points-rules.yaml >name &&
	echo "# 本地草稿" >>kb/会员服务/vip-benefits.yaml &&
	as $sup kb-approve "$(cat name)" >/dev/null 2>err &&
	grep -F "kb-approve: warning: left '\''kb/会员服务/vip-benefits.yaml'\'' as it was: it has local changes" err &&
	grep -F "title: 积分规则说明" kb/会员服务/points-rules.yaml &&
	git -c core.quotepath=false status --porcelain --untracked-files=no >st &&
	echo " M kb/会员服务/vip-benefits.yaml" >expect && test_cmp expect st &&
	git diff kb/会员服务/vip-benefits.yaml | grep "^[-+][^-+]" >d &&
	grep -Fx "+# 本地草稿" d &&
	git checkout -q -- kb/会员服务/vip-benefits.yaml &&
	grep -F "title: 会员权益说明" kb/会员服务/vip-benefits.yaml
'

test_expect_success 'an approved proposal cannot be approved, rejected or amended again' '
	test_must_fail as $sup2 kb-approve 1 2>err && grep -F "it is approved" err &&
	test_must_fail as $sup2 kb-reject -m x 1 2>err && grep -F "it is already approved" err &&
	test_must_fail as $editor kb-propose --amend 1 ../drafts/trade-in.yaml 2>err &&
	grep -F "cannot amend '\''proposal/1-refund-7day'\'': it was approved" err
'

test_expect_success 'a proposal that main has since changed under it is a conflict, main untouched' '
	# proposal 4 (签收后) and proposal 1 both changed refund-7day
	kb-proposals --json | jq -r "select(.ids == [\"refund-7day\"]) | [.name, .clean, (.conflicts | join(\",\"))] | @tsv" >got &&
	printf "proposal/4-refund-7day\tfalse\tkb/售后服务/refund-7day.yaml\n" >expect && test_cmp expect got &&
	main=$(git rev-parse main) &&
	test_must_fail as $sup2 kb-approve 4 2>err &&
	echo "kb-approve: cannot approve '\''proposal/4-refund-7day'\'': main changed '\''kb/售后服务/refund-7day.yaml'\'' since it was proposed; amend it" >expect &&
	test_cmp expect err &&
	test "$(git rev-parse main)" = "$main"
'

test_expect_success 'an amendment giving the entry in conflict brings the proposal up to date' '
	cp kb/售后服务/refund-7day.yaml ../drafts2/refund-7day.yaml &&
	sed -i "s/七天内都可以/签收后七天内都可以/" ../drafts2/refund-7day.yaml &&
	as $editor kb-propose --amend 4 -m "按新版改" ../drafts2/refund-7day.yaml >/dev/null &&
	test "$(git rev-parse proposal/4-refund-7day^2)" = "$(git rev-parse main)" &&
	kb-proposals --json | jq -r "select(.name == \"proposal/4-refund-7day\") | [.state, .clean] | @tsv" >got &&
	printf "pending\ttrue\n" >expect && test_cmp expect got &&
	kb-diff 4 >out &&
	grep -F "签收后七天内都可以" out && ! grep -F "title:" out &&
	as $sup2 kb-approve 4 >/dev/null &&
	kb-show --json refund-7day | jq -r ".title, .answer" >got &&
	grep -Fx 七天无理由退货退款流程说明 got && grep -F 签收后七天内都可以 got
'

test_expect_success 'an amendment that leaves a conflict unanswered is refused' '
	cp kb/售后服务/refund-arrival-time.yaml ../drafts2/refund-arrival-time.yaml &&
	sed -i "s/^scenario: .*/scenario: 客户问退款几天能到/" ../drafts2/refund-arrival-time.yaml &&
	as $editor2 kb-propose -m 场景 ../drafts2/refund-arrival-time.yaml >name &&
	as $sup2 kb-approve 5 >/dev/null &&
	kb-proposals --json | jq -r "select(.name == \"$(cat name)\") | .clean" | grep -Fx false &&
	cp kb/售后服务/refund-7day.yaml ../drafts2/refund-7day.yaml &&
	sed -i "s/^scenario: .*/scenario: 七天内退货/" ../drafts2/refund-7day.yaml &&
	test_must_fail as $editor2 kb-propose --amend "$(cat name)" ../drafts2/refund-7day.yaml 2>err &&
	grep -F "main changed '\''kb/售后服务/refund-arrival-time.yaml'\'' since it was proposed; give that entry'\''s new version too" err
'

test_expect_success 'a rejected proposal may be resubmitted as it is, with a reason' '
	as $sup kb-reject -m "不需要" "$(cat name)" &&
	test_must_fail as $editor2 kb-propose --amend "$(cat name)" 2>err &&
	grep -F "no entry file to propose" err &&
	as $editor2 kb-propose --amend "$(cat name)" -m "客户常这样问，请再看看" >/dev/null &&
	kb-proposals --json | jq -r "select(.name == \"$(cat name)\") | .state" >got &&
	echo pending >expect && test_cmp expect got
'

test_expect_success 'an addition and a deletion approved: the index follows' '
	as $sup kb-approve 2 >/dev/null && as $sup kb-approve 3 >/dev/null &&
	kb-search -n 1 以旧换新 | cut -f1 >got && echo trade-in >expect && test_cmp expect got &&
	test_must_fail kb-show hold-please-wait 2>/dev/null &&
	test ! -e kb/开场结束/hold-please-wait.yaml &&
	test -z "$(git status --porcelain --untracked-files=no)"
'

test_expect_success 'moving an entry to another category is one change' '
	sed "s/^category: .*/category: 会员服务/" kb/售后服务/trade-in.yaml >../drafts2/trade-in.yaml &&
	as $editor kb-propose -m 挪到会员 ../drafts2/trade-in.yaml >name &&
	kb-diff "$(cat name)" >out &&
	cat >expect <<-\EOT &&
	trade-in: moved (kb/售后服务/trade-in.yaml -> kb/会员服务/trade-in.yaml)
	  category: 售后服务 -> 会员服务
	EOT
	test_cmp expect out &&
	as $sup kb-approve "$(cat name)" >/dev/null &&
	kb-show --json trade-in | jq -r .path >got &&
	echo kb/会员服务/trade-in.yaml >expect && test_cmp expect got
'

test_expect_success 'kb-proposals exits 1 when nothing waits' '
	empty_desk ../quiet && cd ../quiet &&
	test_must_fail --code=1 kb-proposals >out && test ! -s out
'

test_expect_success 'an unknown proposal is named' '
	test_must_fail kb-diff 99 2>err &&
	echo "kb-diff: no proposal '\''99'\'' (kb-proposals lists them)" >expect && test_cmp expect err
'

test_done
