#!/bin/sh
# gentickets-pg.sh N OPEN DESK: N synthetic tickets, OPEN of them still
# open, their fields only, the same rows for a desk.db desk and for one in
# PostgreSQL (.kefu/database, by COPY, then ANALYZE): tickets-pg.sh sets
# the two stores side by side on them. Deterministic. Prints seconds.
# (gentickets.sh writes a desk.db with the history reports read.)
set -eu
prog=gentickets-pg
[ $# = 3 ] || { echo "usage: $prog N OPEN DESK" >&2; exit 2; }
n=$1 open=$2 desk=$3
[ -n "${KEFU_BIN:-}" ] && PATH=$KEFU_BIN:$PATH
: "${KEFU_USER:=li.na@example.com}"
export KEFU_USER PATH
t0=$(date +%s.%N)
cd "$desk"
# One real ticket makes the database and its schema, as the commands do.
KEFU_NOW=2026-03-02T09:00:00+08:00 ticket-open -u seed "schema" >/dev/null
# Sunday 2026-03-01 00:00 +08:00, in seconds; tickets a minute apart, going back
# (the seed ticket has Monday to itself).
base=1772294400
# The same rows for either: one line a row, "T" and the ticket's fields or
# "P" and a pause's, tab-separated, \N for none.
rows() {
	awk -v n="$n" -v open="$open" -v base="$base" 'BEGIN {
	split("售前咨询 产品使用 物流查询 售后服务 售后投诉 技术支持 账户问题 支付发票 会员服务 建议反馈", type, " ")
	split("客服中心 售后部 技术部 仓储物流部 财务部", dept, " ")
	split("li.na zhao.lei wang.fang zhang.wei sun.li huang.qian wu.hao zheng.kai ma.chao lin.xiao xu.ting gao.yan", agent, " ")
	split("urgent high normal normal normal low", prio, " ")
	split("phone chat email social", chan, " ")
	srand(42)
	for (i = 1; i <= n; i++) {
		created = base - (n - i) * 60
		day = strftime("%Y%m%d", created + 8 * 3600, 1)
		if (day != lastday) { seq = 0; lastday = day }
		seq++
		id = sprintf("GD%s%04d", day, seq)
		isopen = i > n - open
		status = isopen ? (i % 7 == 0 ? "pending" : "open") : "closed"
		ti = 1 + int(rand() * 10); di = 1 + int(rand() * 5); ai = 1 + int(rand() * 12)
		pi = 1 + int(rand() * 6); ci = 1 + int(rand() * 4)
		resp = created + 600; res = created + 172800
		printf "T\t%s\t%s\t%d\t%s\t%s\t%s\t%s\tc%d\t问题 %d\t描述 %d\t%s\t%s@example.com\t%d\t%s\t%s\t%s\t%d\t%d\tdefault\t%d\t%s\t%s\tf%d\t%d\n",
			id, day, seq, status, type[ti], prio[pi], chan[ci], i % 50000, i, i, dept[di], agent[ai],
			created, isopen && i % 3 ? "\\N" : created + 300,
			isopen ? "\\N" : created + 7200, isopen ? "\\N" : created + 7200,
			resp, res, created, isopen ? "\\N" : 1 + i % 5, isopen ? "\\N" : "已处理", i, created
		if (status == "pending")
			printf "P\t%s\t%d\n", id, created + 3600
	}
}'
}
cols="id, day, seq, status, type, priority, channel, customer, subject, description, department, assignee, created, first_response, resolved, closed, response_due, resolve_due, sla_policy, resolve_start, satisfaction, result, fingerprint, updated"
if [ -f .kefu/database ]; then
	uri=$(cat .kefu/database)
	rows >rows.tmp
	{
		echo "BEGIN;"
		echo "COPY tickets($cols) FROM STDIN;"
		sed -n "s/^T\t//p" rows.tmp
		echo "\\."
		echo "COPY pauses(ticket, start) FROM STDIN;"
		sed -n "s/^P\t//p" rows.tmp
		echo "\\."
		echo "COMMIT;"
		echo "VACUUM ANALYZE;"
	} | psql -XqAt -v ON_ERROR_STOP=1 -d "$uri" >/dev/null
	rm -f rows.tmp
else
	rows | awk -F '\t' -v cols="$cols" '
		function q(v) { return v == "\\N" ? "NULL" : "\047" v "\047" }
		BEGIN { print "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; BEGIN;" }
		$1 == "T" {
			line = q($2)
			for (f = 3; f <= NF; f++) line = line ", " q($f)
			print "INSERT INTO tickets(" cols ") VALUES(" line ");"
		}
		$1 == "P" { print "INSERT INTO pauses(ticket, start) VALUES(" q($2) ", " $3 ");" }
		END { print "COMMIT;" }' | sqlite3 .kefu/desk.db >/dev/null
fi
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }'
