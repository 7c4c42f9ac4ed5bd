#!/bin/sh
# bench/tickets.sh: the ticket and SLA benchmarks, as `make bench` runs
# them after run.sh. Prints figure lines as run.sh does:
#
#   name <TAB> value <TAB> unit <TAB> target <TAB> ok|MISS
#
# 1. BENCH_WRITERS processes (10) each open BENCH_TICKETS tickets (1,000)
#    one ticket-open after another, all at once, on a sample desk: none
#    lost, none failed, the latency of each.
# 2. A desk of BENCH_ALL tickets (1,000,000), BENCH_OPEN of them open
#    (100,000), written by gentickets.sh: ticket-list and sla-check over it.
# 3. BENCH_FOLLOWUPS follow-up calls (100,000) due on the latest tickets of
#    that desk: ticket-followup --due lists them all, in one process.
#
# Exits 0 even when a target is missed; 2 only when it cannot run.
set -u

prog=bench-tickets
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
writers=${BENCH_WRITERS:-10}
per=${BENCH_TICKETS:-1000}
all=${BENCH_ALL:-1000000}
open=${BENCH_OPEN:-100000}
calls=${BENCH_FOLLOWUPS:-100000}
for v in "$writers" "$per" "$all" "$open" "$calls"; do
	case $v in '' | *[!0-9]* | 0) die "bad count '$v' in BENCH_*" ;; esac
done
[ "$open" -le "$all" ] || die "BENCH_OPEN ($open) is more than BENCH_ALL ($all)"
[ "$calls" -le "$all" ] || die "BENCH_FOLLOWUPS ($calls) is more than BENCH_ALL ($all)"
for c in kb-init ticket-open ticket-list sla-check ticket-followup; do
	[ -x "$KEFU_BIN/$c" ] || die "no '$KEFU_BIN/$c': run make first"
done
command -v sqlite3 >/dev/null || die "sqlite3 is needed (apt-get install sqlite3)"
PATH=$KEFU_BIN:$PATH
# An agent of the sample desk's workflows/roles.yaml.
KEFU_USER=li.na@example.com
export PATH KEFU_USER

# --- 1. concurrent writers --------------------------------------------------
desk=$tmp/writers
kb-init --sample "$desk" >/dev/null || die "kb-init failed"
cd "$desk" || die "cannot enter '$desk'"
note "$writers writers x $per ticket-open, at once"
start=$(date +%s.%N)
w=1
while [ "$w" -le "$writers" ]; do
	# Each ticket its own customer and words: nothing is merged as a repeat.
	"$timer" -w 0 "$per" \
		ticket-open -c chat -u "w$w-%N" "第 $w 号写入者的第 %N 张工单：空调不制冷" \
		>"$tmp/open.$w" 2>"$tmp/err.$w" &
	w=$((w + 1))
done
wait
end=$(date +%s.%N)
cat "$tmp"/open.* >"$tmp/open.all"
errors=$(cat "$tmp"/err.* | grep -c . || true)
made=$(ticket-list -a | wc -l | tr -d ' ')
want=$((writers * per))
fig tickets_opened "$made" count ge "$want"
fig tickets_lost "$((want - made))" count le 0
fig ticket_open_errors "$errors" count le 0
fig ticket_open_median "$(pct "$tmp/open.all" 50)" ms - -
fig ticket_open_p90 "$(pct "$tmp/open.all" 90)" ms - -
fig tickets_per_second "$(awk -v n="$made" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f\n", n / (b - a) }')" 1/s - -
[ "$errors" = 0 ] || { note "errors, first lines:"; cat "$tmp"/err.* | head -5 >&2; }
ids=$(ticket-list -a --json | jq -r .id | sort -u | wc -l | tr -d ' ')
fig ticket_ids_distinct "$ids" count ge "$want"

# --- 2. a million tickets ---------------------------------------------------
desk=$tmp/million
kb-init --sample "$desk" >/dev/null || die "kb-init failed"
cd "$desk" || die "cannot enter '$desk'"
note "generating $all tickets, $open open"
gen=$(KEFU_BIN=$KEFU_BIN sh "$here/gentickets.sh" "$all" "$open" .) || die "gentickets failed"
fig gen_tickets "$gen" s - -
fig desk_db_size "$(wc -c <.kefu/desk.db | awk '{ printf "%.1f\n", $1 / 1048576 }')" MiB - -
# The tickets are dated up to 2026-03-01: read the clocks just after.
KEFU_NOW=2026-03-01T12:00:00+08:00
export KEFU_NOW
# each NAME COMMAND...: the median of 5 fresh runs, in ms.
each() {
	name=$1
	shift
	"$timer" -w 1 5 "$@" >"$tmp/t" || die "$* failed"
	fig "$name" "$(pct "$tmp/t" 50)" ms "$op" "$lim"
}
op=- lim=-
each ticket_list_open ticket-list
each ticket_list_top50 ticket-list -n 50
each ticket_list_all_top50 ticket-list -a -n 50
each ticket_list_customer ticket-list -a -u c4242
each ticket_list_agent ticket-list -A li.na@example.com -n 50
op=le lim=1000
each sla_check sla-check
# The same clocks read at the last instant kefu can write: whole weeks
# and years are counted at once, so the far future costs no more.
op=- lim=-
each sla_check_far sla-check --at 9999-12-31T23:59:59Z

# --- 3. follow-up calls -----------------------------------------------------
# A call on each of the latest tickets, due the hour after it was opened:
# all of them due or overdue on the day read, the list a hundred thousand
# lines (exit 1, since most are overdue).
note "$calls follow-up calls due"
sqlite3 .kefu/desk.db "INSERT INTO followups(ticket, name, event, purpose, scheduled, due)
	SELECT id, 'callback', 'resolved', '回访满意度：问题是否已彻底解决，对处理结果是否满意',
	created, created + 3600 FROM tickets WHERE customer IS NOT 'seed'
	ORDER BY created DESC LIMIT $calls" ||
	die "cannot write the follow-up calls"
fig followups_listed "$(ticket-followup --due | wc -l | tr -d ' ')" count ge "$calls"
op=le lim=1000
each followup_due ticket-followup --due
op=- lim=-
each followup_due_json ticket-followup --due --json
exit 0
