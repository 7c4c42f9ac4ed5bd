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
