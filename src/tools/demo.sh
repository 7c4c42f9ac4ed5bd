#!/bin/sh
# make demo: the main job on the sample desk, in a temporary directory.
set -eu
: "${KEFU_BIN:?}"
PATH="$KEFU_BIN:$PATH"
KEFU_USER=${KEFU_USER:-li.na@example.com}
export PATH KEFU_USER
src=$(cd "$(dirname "$0")/../.." && pwd)
demo=$(mktemp -d "${TMPDIR:-/tmp}/kefu-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT

if [ -t 1 ]; then bold='\033[1m' plain='\033[0m'; else bold= plain=; fi
step() { printf "\n${bold}\$ %s${plain}\n" "$*"; "$@"; }

echo "A sample desk in $demo/desk (removed at the end)."
step kb-init --sample "$demo/desk"
cd "$demo/desk"
step kb-index -v
echo
echo "An agent on the phone searches while the customer waits:"
step kb-search 退款
step kb-search -n 3 保修期多久
step kb-search -n 3 物流信息更新慢
step kb-search -n 3 refund
step kb-search -n 3 '"*-()OR 退款'
echo
echo "...reads the script out:"
step kb-show warranty-period
echo
echo "...or copies only what is said to the customer into the chat window:"
step kb-show --say warranty-period
echo
echo "She keeps her own phrasings (个人知识库), private to her, never reviewed,"
echo "found beside the desk's and marked mine: (kept under the demo directory here):"
XDG_DATA_HOME=$demo/data
export XDG_DATA_HOME
cat >"$demo/my-warranty.yaml" <<'EOT'
id: my-warranty-words
title: 保修期我这样说
category: 个人
keywords: [保修期, 保修]
answer: 亲，整机保修一年，压缩机、电机这些主要部件两年，发票就是您的保修凭证哦。
EOT
step kb-mine -a "$demo/my-warranty.yaml"
step kb-search -n 3 保修期
if command -v fzf >/dev/null; then
	echo
	echo "...and picks one while typing (kb-pick; fzf --filter stands in for her keys):"
	step env FZF_DEFAULT_OPTS=--filter=mine: kb-pick 保修期
fi
echo
echo "...or hands the JSON to another tool:"
step sh -c 'kb-search --json -n 3 发票 | jq -c "{id, title, score}"'
echo
echo "Editors check entries before they propose them:"
printf 'id: bad\ntitle: [unclosed\n' >kb/售后服务/bad.yaml
step kb-lint || true
rm kb/售后服务/bad.yaml

echo
echo "An editor, 王芳, proposes a clearer refund script; main is untouched:"
mkdir -p "$demo/drafts"
draft="$demo/drafts/refund-7day.yaml"
cp kb/售后服务/refund-7day.yaml "$draft"
sed -i 's/七天内都可以/签收后七天内都可以/' "$draft"
step env KEFU_USER=wang.fang@example.com kb-propose -m '写明从签收起算' "$draft"
step kb-proposals
step kb-diff 1
echo
echo "The supervisor, 周敏, rejects it with a reason..."
step env KEFU_USER=zhou.min@example.com kb-reject -m '请同时写明七天从签收次日起算' 1
step kb-proposals
echo
echo "...王芳 amends it, and 周敏 approves: a merge commit on main."
sed -i 's/签收后七天内都可以/签收次日起七天内都可以/' "$draft"
step env KEFU_USER=wang.fang@example.com kb-propose --amend 1 -m '按意见修改' "$draft"
step env KEFU_USER=zhou.min@example.com kb-approve -m '可以发布' 1
step git log --oneline --graph -5
step kb-log refund-7day
step sh -c 'kb-show refund-7day | sed -n 3p'

echo
echo "Customers are told by e-mail: the example hook mail-customer, run on the"
echo "events opened, replied and closed, mails them through sendmail (here a"
echo "stand-in that keeps each mail in $demo/outbox):"
mkdir -p "$demo/outbox" "$demo/bin" workflows/hooks
cp "$src/man/examples/mail-customer" workflows/hooks/opened
chmod +x workflows/hooks/opened
ln -s opened workflows/hooks/replied
ln -s opened workflows/hooks/closed
cat >"$demo/bin/sendmail" <<EOT
#!/bin/sh
n=\$(ls "$demo/outbox" | wc -l)
cat >"$demo/outbox/\$((n + 1)).eml"
EOT
# show-mail FILE: to whom, the subject decoded, the text.
cat >"$demo/bin/show-mail" <<'EOT'
#!/bin/sh
sed -n '/^To: /p' "$1"
printf 'Subject: %s\n' "$(sed -n 's/^Subject: =?UTF-8?B?\(.*\)?=$/\1/p' "$1" | base64 -d)"
sed '1,/^$/d' "$1"
EOT
chmod +x "$demo/bin/sendmail" "$demo/bin/show-mail"
KEFU_SENDMAIL=$demo/bin/sendmail KEFU_MAIL_FROM=kefu@example.com PATH=$demo/bin:$PATH
export KEFU_SENDMAIL KEFU_MAIL_FROM PATH
step ls -l workflows/hooks

echo
echo "Monday 10:00. Tickets come in by phone, chat and e-mail, and are routed:"
export KEFU_NOW=2026-03-02T10:00:00+08:00
step sh -c 'ticket-open -c phone -u 13800000001 "空调开了一小时还是不制冷" | ticket-route'
step sh -c 'ticket-open -c chat -u wx-2077 -s "物流三天没更新" "快递一直显示运输中" | ticket-route'
cat >"$demo/angry.eml" <<'MAIL'
From: =?utf-8?B?546L5aWz5aOr?= <wang@example.cn>
Subject: =?utf-8?B?6YCA5qy+5Yiw546w5Zyo6L+Y5rKh5Yiw6LSm?=
Content-Type: text/plain; charset=utf-8

申请退款半个月了还没到账，你们就是骗子！
MAIL
step sh -c "ticket-open --email <'$demo/angry.eml' | ticket-route"
echo
echo "The e-mail is acknowledged at once, its ticket's id in the subject, so that"
echo "the customer's answer comes back to the same ticket:"
step show-mail ../outbox/1.eml
step ticket-list
echo
echo "The angry customer's ticket suggests a soothing script:"
step sh -c 'ticket-show GD202603020003 | sed -n "1p;13,14p"'
echo
echo "The logistics agent replies, and waits on the customer (the clocks pause):"
step env KEFU_USER=ma.chao@example.com ticket-update --reply "已联系快递核实" GD202603020002
step env KEFU_USER=ma.chao@example.com ticket-update --status pending GD202603020002
echo
echo "A chat about an air purifier reaches the first line; 李娜 asks, finds it is a"
echo "fault, and hands it to 技术部 (产品问题转技术部), whose strategy picks the engineer:"
step sh -c 'ticket-open -c chat -u wx-3001 "新买的净化器一开机就有异味" | ticket-route'
step ticket-update --reply "请问是塑料味还是焦糊味？" GD202603020004
step ticket-update --transfer 技术部 --note "产品问题转技术部：开机有焦糊味" GD202603020004
step sh -c 'ticket-show GD202603020004 | sed -n "/transfer/,\$p"'
echo
echo "10:20: the SLA check that cron runs. The angry customer still has no reply:"
export KEFU_NOW=2026-03-02T10:20:00+08:00
step sla-check || true
step env KEFU_USER=chen.jing@example.com sla-check --escalate -s breached || true
step ticket-list
echo
echo "The customer is happy in the end, and is told by mail:"
step env KEFU_USER=zhou.min@example.com ticket-close -r "财务已原路退款" -s 4 GD202603020003
step show-mail ../outbox/2.eml
echo
echo "Tuesday: the engineer fixes the air conditioner and logs his time;"
echo "workflows/followups.yaml makes the call back (回访), three working days on:"
export KEFU_NOW=2026-03-03T15:00:00+08:00
step env KEFU_USER=wu.hao@example.com ticket-update --reply "已更换电容，制冷恢复" --status resolved --worked 1h30m GD202603020001
step ticket-followup
echo
echo "Friday morning: who to call today (the refund's 3DC call, due Wednesday, is"
echo "overdue: exit 1). The call is made; the satisfaction given is the ticket's:"
export KEFU_NOW=2026-03-06T09:00:00+08:00
step ticket-followup --due || true
step ticket-followup --done -s 5 --note "制冷正常，客户很满意" GD202603020001
step sh -c 'ticket-show GD202603020001 | grep -e satisfaction -e worked -e followup'
echo "(a score of 1 or 2, or --unresolved, would have escalated it to 王强)"
echo
echo "Friday evening: the week for the lead, each figure beside the team's target"
echo "(workflows/targets.yaml), then the same as one page of charts for the boss:"
step sh -c "ticket-report --week 2026-03-02 --by department --json | jq -c '{group, opened, resolved, backlog, first_response_median, response_met, csat}'"
step sh -c "ticket-report --week 2026-03-02 --html >'$demo/week.html' && grep -c '<svg' '$demo/week.html'"
echo "(five charts, no script, nothing fetched: a page to mail; ticket-report --kb"
echo "lists the scripts used, those never used, and the questions no script answers)"
