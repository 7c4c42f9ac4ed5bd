#!/bin/sh
# make demo: the main job on the sample desk, in a temporary directory.
set -eu
: "${KEFU_BIN:?}"
PATH="$KEFU_BIN:$PATH"
KEFU_USER=${KEFU_USER:-li.na@example.com}
export PATH KEFU_USER
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
