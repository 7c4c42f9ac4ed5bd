#!/bin/sh
# bench/export.sh: data in and out, as `make bench` runs it after
# tickets.sh. Prints figure lines as run.sh does:
#
#   name <TAB> value <TAB> unit <TAB> target <TAB> ok|MISS
#
# 1. A desk of BENCH_EXPORT tickets (100,000), written by gentickets.sh,
#    each with four events (opened, routed, replied, closed):
#    ticket-export --json --unmask of it, ticket-import of that dump into
#    an empty desk, and the restored desk exported again, byte for byte
#    the same dump.
# 2. A FAQ sheet of BENCH_SHEET rows (10,000) with the seed's Chinese
#    headers: kb-import of it into a sample desk, as one proposal.
#
# Exits 0 even when a target is missed; 2 only when it cannot run.
set -u

prog=bench-export
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
all=${BENCH_EXPORT:-100000}
rows=${BENCH_SHEET:-10000}
for v in "$all" "$rows"; do
	case $v in '' | *[!0-9]* | 0) die "bad count '$v' in BENCH_*" ;; esac
done
for c in kb-init kb-import ticket-open ticket-export ticket-import; do
	[ -x "$KEFU_BIN/$c" ] || die "no '$KEFU_BIN/$c': run make first"
done
command -v sqlite3 >/dev/null || die "sqlite3 is needed (apt-get install sqlite3)"
PATH=$KEFU_BIN:$PATH
# A supervisor of the sample desk: the dump is unmasked; an editor imports.
KEFU_USER=chen.jing@example.com
export PATH KEFU_USER
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", b - a }'; }
# timed CMD...: run CMD, keeping the processor time it used (user and
# system) for cputime, which a host loaded by other work does not inflate
# as it does the wall time ("-" without GNU time).
timed() {
	rm -f "$tmp/cpu"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%U %S" -o "$tmp/cpu" "$@"
	else
		"$@"
	fi
}
cputime() {
	if [ -s "$tmp/cpu" ]; then awk '{ printf "%.2f\n", $1 + $2 }' "$tmp/cpu"; else echo -; fi
}

# --- 1. the desk's dump and its restore -------------------------------------
desk=$tmp/desk
kb-init --sample "$desk" >/dev/null || die "kb-init failed"
note "$all tickets with four events each"
"$here/gentickets.sh" "$all" 1000 "$desk" >/dev/null || die "gentickets.sh failed"
sqlite3 "$desk/.kefu/desk.db" >/dev/null <<-\EOT || die "cannot add the events"
	PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; BEGIN;
	INSERT INTO events(ticket, at, who, what, field, before, after, note)
	  SELECT id, created, 'li.na@example.com', 'open', NULL, NULL, NULL, 'from the command line' FROM tickets;
	INSERT INTO events(ticket, at, who, what, field, before, after, note)
	  SELECT id, created, 'li.na@example.com', 'route', 'assignee', NULL, assignee, department || ' by fewest' FROM tickets;
	INSERT INTO events(ticket, at, who, what, field, before, after, note)
	  SELECT id, first_response, assignee, 'reply', NULL, NULL, NULL, '您好，请提供订单号 13800000001' FROM tickets WHERE first_response IS NOT NULL;
	INSERT INTO events(ticket, at, who, what, field, before, after, note)
	  SELECT id, closed, assignee, 'close', 'status', 'open', 'closed', NULL FROM tickets WHERE closed IS NOT NULL;
	COMMIT;
EOT
cd "$desk" || die "cannot enter '$desk'"
start=$(date +%s.%N)
timed ticket-export --json --unmask >"$tmp/dump.jsonl" || die "ticket-export failed"
end=$(date +%s.%N)
fig export_json_seconds "$(secs "$start" "$end")" s le 10
fig export_json_cpu "$(cputime)" s - -
fig export_json_size "$(wc -c <"$tmp/dump.jsonl" | awk '{ printf "%.1f\n", $1 / 1048576 }')" MiB - -

kb-init --sample "$tmp/restored" >/dev/null || die "kb-init failed"
cd "$tmp/restored" || die "cannot enter '$tmp/restored'"
start=$(date +%s.%N)
timed ticket-import "$tmp/dump.jsonl" >"$tmp/ids" || die "ticket-import failed"
end=$(date +%s.%N)
fig import_json_seconds "$(secs "$start" "$end")" s le 10
fig import_json_cpu "$(cputime)" s - -
fig import_json_tickets "$(wc -l <"$tmp/ids" | tr -d ' ')" tickets ge "$((all + 1))"
ticket-export --json --unmask | cmp -s - "$tmp/dump.jsonl"
fig round_trip_differs "$?" - le 0

# --- 2. a FAQ sheet of 10,000 rows -------------------------------------------
note "kb-import of a $rows-row sheet"
awk -v n="$rows" 'BEGIN {
	split("售后服务 会员服务 物流配送 支付发票 账户安全 产品使用 保修维修 投诉处理", cat, " ")
	printf "主题,知识分类,适用场景,核心话术内容,关联问题关键词,审核状态,审核人,生效日期\r\n"
	for (i = 1; i <= n; i++)
		printf "问题%d怎么处理,%s,客户询问第%d号问题,\"您好，第%d号问题请这样处理：\n先核实订单，再按流程办理。\",问题%d、处理%d，流程,已审核,周敏,2026/3/1\r\n", i, cat[1 + i % 8], i, i, i, i
}' >"$tmp/faq.csv"
cd "$desk" || die "cannot enter '$desk'"
start=$(date +%s.%N)
timed env KEFU_USER=wang.fang@example.com kb-import "$tmp/faq.csv" >"$tmp/proposal" 2>/dev/null ||
	die "kb-import failed"
end=$(date +%s.%N)
fig kb_import_seconds "$(secs "$start" "$end")" s le 10
fig kb_import_cpu "$(cputime)" s - -
fig kb_import_entries "$(git diff --name-only main "$(cat "$tmp/proposal")" | wc -l | tr -d ' ')" entries ge "$rows"
exit 0
