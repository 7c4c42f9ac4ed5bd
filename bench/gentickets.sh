#!/bin/sh
# gentickets.sh N OPEN DESK: N synthetic tickets, OPEN of them still open,
# written straight into DESK's .kefu/desk.db (the schema made by a real
# ticket-open first), for benchmarks of ticket-list, sla-check and
# ticket-report over numbers no help desk reaches by typing.
# Deterministic. Prints seconds.
#
# Tickets are GEN_SPACING seconds apart (24: about 100,000 a month), the
# last one on 2026-02-28; the open ones are spread evenly over them. The
# latest GEN_HISTORY (200,000) carry the history the commands would have
# written: the events (one row a field changed, as ticket-update writes
# them), pauses, time worked, scripts used, a transfer now and then, a
# reopening, a chase; older ones have their fields only, as a desk
# brought in from elsewhere.
set -eu
prog=gentickets
[ $# = 3 ] || { echo "usage: $prog N OPEN DESK" >&2; exit 2; }
n=$1 open=$2 desk=$3
spacing=${GEN_SPACING:-24}
history=${GEN_HISTORY:-200000}
[ -n "${KEFU_BIN:-}" ] && PATH=$KEFU_BIN:$PATH
: "${KEFU_USER:=li.na@example.com}"
export KEFU_USER PATH
t0=$(date +%s.%N)
cd "$desk"
# One real ticket makes the database and its schema, as the commands do.
KEFU_NOW=2026-03-02T09:00:00+08:00 ticket-open -u seed "schema" >/dev/null
db=.kefu/desk.db
# Sunday 2026-03-01 00:00 +08:00, in seconds; tickets $spacing apart, going
# back (the seed ticket has Monday to itself).
base=1772294400
awk -v n="$n" -v open="$open" -v base="$base" -v spacing="$spacing" -v history="$history" '
function q(s) { return s == "" ? "NULL" : "\x27" s "\x27" }
# ev AT WHO WHAT FIELD BEFORE AFTER NOTE: one event row
function ev(at, who, what, field, before, after, note) {
	printf "INSERT INTO events(ticket, at, who, what, field, before, after, note) VALUES(%s, %d, %s, %s, %s, %s, %s, %s);\n",
		q(id), at, q(who), q(what), q(field), q(before), q(after), q(note)
}
BEGIN {
	split("售前咨询 产品使用 物流查询 售后服务 售后投诉 技术支持 账户问题 支付发票 会员服务 建议反馈", type, " ")
	split("客服中心 售后部 技术部 仓储物流部 财务部", dept, " ")
	split("li.na zhao.lei wang.fang zhang.wei sun.li huang.qian wu.hao zheng.kai ma.chao lin.xiao xu.ting gao.yan", agent, " ")
	split("urgent high normal normal normal low", prio, " ")
	split("phone chat email social", chan, " ")
	split("refund-7day warranty-period exchange-process coupon-usage points-rules aircon-not-cooling repair-progress-query return-shipping-fee", script, " ")
	print "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; BEGIN;"
	srand(42)
	for (i = 1; i <= n; i++) {
		created = base - (n - i) * spacing
		day = strftime("%Y%m%d", created + 8 * 3600, 1)
		if (day != lastday) { seq = 0; lastday = day }
		seq++
		id = sprintf("GD%s%04d", day, seq)
		# exactly open of them, spread evenly
		isopen = int(i * open / n) != int((i - 1) * open / n)
		status = isopen ? (i % 7 == 0 ? "pending" : "open") : "closed"
		ti = 1 + int(rand() * 10); di = 1 + int(rand() * 5); ai = 1 + int(rand() * 12)
		pi = 1 + int(rand() * 6); ci = 1 + int(rand() * 4)
		who = agent[ai] "@example.com"
		resp = created + 600; res = created + 172800
		answered = !isopen || i % 3 == 0
		reopened = !isopen && i % 17 == 0
		done = created + (reopened ? 9000 : 7200)
		worked = isopen ? 0 : 300 + (i * 37) % 1500
		sat = isopen ? "" : 1 + i % 5
		printf "INSERT INTO tickets(id, day, seq, status, type, priority, channel, customer, subject, description, department, assignee, created, first_response, resolved, closed, response_due, resolve_due, sla_policy, resolve_start, satisfaction, result, fingerprint, updated, urged, worked) VALUES(\x27%s\x27, \x27%s\x27, %d, \x27%s\x27, \x27%s\x27, \x27%s\x27, \x27%s\x27, \x27c%d\x27, \x27问题 %d\x27, \x27描述 %d\x27, \x27%s\x27, \x27%s\x27, %d, %s, %s, %s, %d, %d, \x27default\x27, %d, %s, %s, \x27f%d\x27, %d, %d, %d);\n",
			id, day, seq, status, type[ti], prio[pi], chan[ci], i % 50000, i, i, dept[di], who,
			created, answered ? created + 300 : "NULL",
			isopen ? "NULL" : done, isopen ? "NULL" : done,
			resp, res, reopened ? created + 7260 : created, isopen ? "NULL" : sat,
			isopen ? "NULL" : "\x27已处理\x27", i,
			isopen ? (i % 7 == 0 ? created + 3600 : created + (answered ? 300 : 60)) : done,
			!isopen && i % 19 == 0, worked
		if (status == "pending")
			printf "INSERT INTO pauses(ticket, start) VALUES(\x27%s\x27, %d);\n", id, created + 3600
		if (i <= n - history)
			continue
		ev(created, "li.na@example.com", "open", "", "", "", "")
		ev(created + 60, "li.na@example.com", "route", "status", "new", "assigned", "")
		ev(created + 60, "li.na@example.com", "route", "department", "", dept[di], "")
		ev(created + 60, "li.na@example.com", "route", "assignee", "", who, "")
		if (answered) {
			ev(created + 300, who, "reply", "status", "assigned", "open", "您好，已收到")
			ev(created + 300, who, "reply", "first_response", "", created + 300, "")
		}
		if (status == "pending")
			ev(created + 3600, who, "status", "status", "open", "pending", "")
		if (isopen)
			continue
		if (i % 11 == 0) {
			# waited on the customer for half an hour
			ev(created + 3600, who, "status", "status", "open", "pending", "")
			ev(created + 5400, who, "status", "status", "pending", "open", "")
			printf "INSERT INTO pauses(ticket, start, end) VALUES(\x27%s\x27, %d, %d);\n", id, created + 3600, created + 5400
		}
		if (i % 13 == 0)
			ev(created + 1800, who, "transfer", "department", "客服中心", dept[di], "转部门")
		if (i % 19 == 0)
			ev(created + 2400, who, "urge", "urged", 0, 1, "")
		if (i % 4 == 0) {
			e = script[1 + i % 8]
			ev(created + 900, who, "kb-use", "", "", "", e)
			printf "INSERT INTO usage(entry, ticket, who, at, note) VALUES(\x27%s\x27, \x27%s\x27, \x27%s\x27, %d, NULL);\n", e, id, who, created + 900
		}
		ev(created + 6000, who, "worked", "worked", 0, worked, "")
		ev(created + 7200, who, "close", "status", "open", "closed", "")
		ev(created + 7200, who, "close", "resolved", "", created + 7200, "")
		ev(created + 7200, who, "close", "closed", "", created + 7200, "")
		ev(created + 7200, who, "close", "result", "", "已处理", "")
		if (reopened) {
			ev(created + 7260, who, "reopen", "status", "closed", "open", "客户说没好")
			ev(created + 7260, who, "reopen", "resolve_start", created, created + 7260, "")
			ev(done, who, "close", "status", "open", "closed", "")
		}
		ev(done, who, "close", "satisfaction", "", sat, "")
	}
	print "COMMIT;"
}' | sqlite3 "$db" >/dev/null
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }'
