#!/bin/sh
# Who edited a proposal, and so may not approve it: the people its
# trailers name and the authors of its commits (a rejection, which
# changes no file, aside), compared as roles.yaml knows people, by
# kb-approve and kb-receive alike.
. "$(dirname "$0")/lib.sh"

editor=wang.fang@example.com
sup=zhou.min@example.com
sup2=chen.jing@example.com
export KEFU_NOW=2026-03-02T09:00:00+08:00

# A desk a supervisor made, pushed once to a bare repository with the hook.
KEFU_USER=$sup kb-init --sample e >/dev/null && cd e || exit 1
git config user.email $sup && git config user.name 周敏
kb-init --server ../srv.git && git remote add origin ../srv.git &&
	KEFU_PUSHER=$sup git push -q origin main || exit 1

# branch NAME AUTHOR MESSAGE: a proposal branch made with git, one
# commit by AUTHOR changing refund-7day's title.
branch() {
	git checkout -q -b "$1" main &&
	sed -i "s|^title: .*|title: 退货 $1|" kb/售后服务/refund-7day.yaml &&
	git -c user.email="$2" -c user.name=someone commit -q -am "$3" &&
	git checkout -q main
}

test_expect_success 'kb-approve: the author of a commit whose trailer names another may not approve it' '
	branch proposal/80-refund $sup "Propose refund-7day

written by a supervisor, signed as an editor

Proposed-by: 王芳 <$editor>
Entry: refund-7day" &&
	test_must_fail env KEFU_USER=$sup kb-approve 80 >out 2>err &&
	grep -F "refused: '\''$sup'\'' proposed or amended '\''proposal/80-refund'\''" err &&
	test ! -s out &&
	git rev-parse origin/main >expect && git rev-parse main >got && test_cmp expect got &&
	KEFU_USER=$sup2 kb-approve 80 >/dev/null &&
	git reset -q --hard origin/main
'

test_expect_success 'kb-approve: a name roles.yaml gives the approver is the approver' '
	branch proposal/81-refund zhou.min "a change made with git, by a local part" &&
	test_must_fail env KEFU_USER=$sup kb-approve 81 2>err &&
	grep -F "refused: '\''$sup'\'' proposed or amended" err &&
	KEFU_USER=$sup2 kb-approve 81 >/dev/null &&
	git reset -q --hard origin/main
'

test_expect_success 'a rejection makes nobody an author: its supervisor approves the amendment' '
	mkdir -p ../drafts &&
	sed "s/^title: .*/title: 七天无理由退货说明/" kb/售后服务/refund-7day.yaml >../drafts/refund-7day.yaml &&
	KEFU_USER=$editor kb-propose -m first ../drafts/refund-7day.yaml >name &&
	KEFU_USER=$sup kb-reject -m "say from when" "$(cat name)" &&
	KEFU_USER=$editor kb-propose --amend "$(cat name)" -m "from the day after delivery" &&
	KEFU_USER=$sup kb-approve "$(cat name)" >merge &&
	git rev-parse main >got && test_cmp merge got &&
	git log -1 --format=%B main | grep -x "Approved-by: .* <$sup>" &&
	git reset -q --hard origin/main
'

test_expect_success 'kb-receive: a merge by the author of what it brings is refused, whatever the trailers say' '
	branch proposal/82-refund $sup "Propose refund-7day

Proposed-by: 王芳 <$editor>
Entry: refund-7day" &&
	KEFU_PUSHER=$sup git push -q origin proposal/82-refund &&
	git merge -q --no-ff -m "Approve proposal/82-refund" proposal/82-refund &&
	test_must_fail --code=1 env KEFU_PUSHER=$sup git push -q origin main 2>err &&
	grep -F "is approved by '\''$sup'\'', who proposed or amended it" err &&
	git ls-remote origin refs/heads/main | cut -f1 >got &&
	git rev-parse origin/main >expect && test_cmp expect got &&
	git reset -q --hard origin/main
'

test_done
