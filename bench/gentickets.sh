#!/bin/sh
# gentickets.sh N OPEN DESK: N synthetic tickets, OPEN of them still open,
# written straight into DESK's .kefu/desk.db (the schema made by a real
# ticket-open first), for benchmarks of ticket-list and sla-check over
# numbers no help desk reaches by typing. Deterministic. Prints seconds.
set -eu
prog=gentickets
[ $# = 3 ] || { echo "usage: $prog N OPEN DESK" >&2; exit 2; }
n=$1 open=$2 desk=$3
[ -n "${KEFU_BIN:-}" ] && PATH=$KEFU_BIN:$PATH
: "${KEFU_USER:=li.na@example.com}"
export KEFU_USER PATH
t0=$(date +%s.%N)
cd "$desk"
# One real ticket makes the database and its schema, as the commands do.
KEFU_NOW=2026-03-02T09:00:00+08:00 ticket-open -u seed "schema" >/dev/null
db=.kefu/desk.db
# Sunday 2026-03-01 00:00 +08:00, in seconds; tickets a minute apart, going back
# (the seed ticket has Monday to itself).
base=1772294400
awk -v n="$n" -v open="$open" -v base="$base" 'BEGIN {
	split("售前咨询 产品使用 物流查询 售后服务 售后投诉 技术支持 账户问题 支付发票 会员服务 建议反馈", type, " ")
	split("客服中心 售后部 技术部 仓储物流部 财务部", dept, " ")
	split("li.na zhao.lei wang.fang zhang.wei sun.li huang.qian wu.hao zheng.kai ma.chao lin.xiao xu.ting gao.yan", agent, " ")
	split("urgent high normal normal normal low", prio, " ")
	split("phone chat email social", chan, " ")
	print "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; BEGIN;"
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
		printf "INSERT INTO tickets(id, day, seq, status, type, priority, channel, customer, subject, description, department, assignee, created, first_response, resolved, closed, response_due, resolve_due, sla_policy, resolve_start, satisfaction, result, fingerprint, updated) VALUES(\x27%s\x27, \x27%s\x27, %d, \x27%s\x27, \x27%s\x27, \x27%s\x27, \x27%s\x27, \x27c%d\x27, \x27问题 %d\x27, \x27描述 %d\x27, \x27%s\x27, \x27%s@example.com\x27, %d, %s, %s, %s, %d, %d, \x27default\x27, %d, %s, %s, \x27f%d\x27, %d);\n",
			id, day, seq, status, type[ti], prio[pi], chan[ci], i % 50000, i, i, dept[di], agent[ai],
			created, isopen && i % 3 ? "NULL" : created + 300,
			isopen ? "NULL" : created + 7200, isopen ? "NULL" : created + 7200,
			resp, res, created, isopen ? "NULL" : 1 + i % 5, isopen ? "NULL" : "\x27已处理\x27", i, created
		if (status == "pending")
			printf "INSERT INTO pauses(ticket, start) VALUES(\x27%s\x27, %d);\n", id, created + 3600
	}
	print "COMMIT;"
}' | sqlite3 "$db" >/dev/null
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }'
