#!/bin/sh
# bench/tickets-pg.sh: tickets.sh's figures again on desks whose tickets
# are in PostgreSQL, and two desks on one database at once, as two
# machines of a team. make bench runs it after tickets.sh, through
# tests/pg.sh, which starts a server of its own ($KEFU_TEST_PG, its
# socket directory) with durable settings. Figure lines as run.sh's,
# named pg_*:
#
# 1. BENCH_WRITERS processes (10) each open BENCH_TICKETS tickets
#    (1,000) on one desk, all at once: none lost, none failed, latency.
# 2. Two clones of one desk on the database, BENCH_PG_WRITERS processes
#    (10) on each opening BENCH_PG_TICKETS (200): ids unique and in
#    sequence, no error.
# 3. BENCH_ALL tickets (1,000,000), BENCH_OPEN open (100,000), written by
#    gentickets.sh into PostgreSQL and into SQLite, and BENCH_FOLLOWUPS
#    follow-up calls due (100,000), as tickets.sh makes them: ticket-list,
#    sla-check and ticket-followup --due over them, on each in turn
#    (pg_* and sqlite_*), and whether their output is the same, byte for
#    byte.
#
# Exits 0 even when a target is missed; 2 only when it cannot run.
set -u

prog=bench-tickets-pg
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
writers=${BENCH_WRITERS:-10}
per=${BENCH_TICKETS:-1000}
pgwriters=${BENCH_PG_WRITERS:-10}
pgper=${BENCH_PG_TICKETS:-200}
all=${BENCH_ALL:-1000000}
open=${BENCH_OPEN:-100000}
calls=${BENCH_FOLLOWUPS:-100000}
for v in "$writers" "$per" "$pgwriters" "$pgper" "$all" "$open" "$calls"; do
	case $v in '' | *[!0-9]* | 0) die "bad count '$v' in BENCH_*" ;; esac
done
[ -n "${KEFU_TEST_PG:-}" ] || die "no server: run it through tests/pg.sh (make bench does)"
for c in kb-init ticket-open ticket-list sla-check; do
	[ -x "$KEFU_BIN/$c" ] || die "no '$KEFU_BIN/$c': run make first"
done
command -v psql >/dev/null || die "psql is needed (apt-get install postgresql-client-15)"
command -v sqlite3 >/dev/null || die "sqlite3 is needed (apt-get install sqlite3)"
PATH=$KEFU_BIN:$PATH
KEFU_USER=li.na@example.com
export PATH KEFU_USER

# database NAME: a new one; prints its connection string.
database() {
	createdb -h "$KEFU_TEST_PG" -U kefu "$1" || die "createdb failed"
	echo "host=$KEFU_TEST_PG user=kefu dbname=$1"
}

# opening DESK... : each of $w writers per desk opens $p tickets at once;
# figures NAME_*.
opening() {
	name=$1
	shift
	rm -f "$tmp"/open.* "$tmp"/err.* "$tmp"/ids.*
	start=$(date +%s.%N)
	for d; do
		i=1
		while [ "$i" -le "$w" ]; do
			"$timer" -w 0 "$p" ticket-open -C "$d" -c chat -u "${d##*/}-$i-%N" \
				"${d##*/} 的第 $i 号写入者的第 %N 张工单：空调不制冷" \
				>"$tmp/open.${d##*/}.$i" 2>"$tmp/err.${d##*/}.$i" &
			i=$((i + 1))
		done
	done
	wait
	end=$(date +%s.%N)
	cat "$tmp"/open.* >"$tmp/open.all"
	errors=$(cat "$tmp"/err.* | grep -c . || true)
	want=$(($# * w * p))
	made=$(ticket-list -C "$1" -a | wc -l | tr -d ' ')
	fig "${name}_opened" "$made" count ge "$want"
	fig "${name}_lost" "$((want - made))" count le 0
	fig "${name}_errors" "$errors" count le 0
	fig "${name}_median" "$(pct "$tmp/open.all" 50)" ms - -
	fig "${name}_p90" "$(pct "$tmp/open.all" 90)" ms - -
	fig "${name}_per_second" "$(awk -v n="$made" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f\n", n / (b - a) }')" 1/s - -
	[ "$errors" = 0 ] || { note "errors, first lines:"; cat "$tmp"/err.* | head -5 >&2; }
	ids=$(ticket-list -C "$1" -a --json | jq -r .id | sort -u | wc -l | tr -d ' ')
	fig "${name}_ids_distinct" "$ids" count ge "$want"
	# In sequence: as many numbers as tickets, from 1 up, none skipped.
	seqs=$(psql -XAt -d "$(cat "$1/.kefu/database")" \
		-c "SELECT count(*) = max(seq) AND min(seq) = 1 FROM tickets GROUP BY day" | sort -u)
	fig "${name}_in_sequence" "$([ "$seqs" = t ] && echo 1 || echo 0)" bool ge 1
}

# --- 1. concurrent writers, one desk ------------------------------------------
kb-init --sample --db "$(database one)" "$tmp/one" >/dev/null || die "kb-init failed"
note "PostgreSQL: $writers writers x $per ticket-open, at once"
w=$writers p=$per
opening pg_ticket_open "$tmp/one"

# --- 2. two desks, one database -------------------------------------------------
uri=$(database two)
kb-init --sample --db "$uri" "$tmp/m1" >/dev/null || die "kb-init failed"
git clone -q "$tmp/m1" "$tmp/m2" && kb-init --db "$uri" "$tmp/m2" >/dev/null ||
	die "the clone did not join"
note "PostgreSQL: 2 desks x $pgwriters writers x $pgper ticket-open, at once"
w=$pgwriters p=$pgper
opening pg_two_desks "$tmp/m1" "$tmp/m2"

# --- 3. a million tickets ---------------------------------------------------------
kb-init --sample --db "$(database million)" "$tmp/million" >/dev/null || die "kb-init failed"
kb-init --sample "$tmp/million-sqlite" >/dev/null || die "kb-init failed"
note "generating $all tickets, $open open, in PostgreSQL and in SQLite"
gen=$(KEFU_BIN=$KEFU_BIN sh "$here/gentickets-pg.sh" "$all" "$open" "$tmp/million") ||
	die "gentickets failed"
fig pg_gen_tickets "$gen" s - -
KEFU_BIN=$KEFU_BIN sh "$here/gentickets-pg.sh" "$all" "$open" "$tmp/million-sqlite" >/dev/null ||
	die "gentickets failed"
# The calls of tickets.sh, numbered alike on both.
sqlite3 "$tmp/million-sqlite/.kefu/desk.db" "INSERT INTO followups(ticket, name, event, purpose, scheduled, due)
	SELECT id, 'callback', 'resolved', '回访满意度：问题是否已彻底解决，对处理结果是否满意',
	created, created + 3600 FROM tickets WHERE customer IS NOT 'seed'
	ORDER BY created DESC LIMIT $calls" || die "cannot write the follow-up calls"
psql -XAtq -v ON_ERROR_STOP=1 -d "$(cat "$tmp/million/.kefu/database")" \
	-c "INSERT INTO followups(id, ticket, name, event, purpose, scheduled, due)
	SELECT row_number() OVER (ORDER BY created DESC), id, 'callback', 'resolved',
	'回访满意度：问题是否已彻底解决，对处理结果是否满意', created, created + 3600
	FROM tickets WHERE customer IS DISTINCT FROM 'seed' ORDER BY created DESC LIMIT $calls" \
	-c "ANALYZE followups" || die "cannot write the follow-up calls"
fig pg_database_size "$(psql -XAt -d "$(cat "$tmp/million/.kefu/database")" \
	-c "SELECT round(pg_database_size(current_database()) / 1048576.0, 1)")" MiB - -
KEFU_NOW=2026-03-01T12:00:00+08:00
export KEFU_NOW
cd "$tmp/million" || die "cannot enter the desk"
# each NAME COMMAND...: the median of 5 fresh runs on PostgreSQL, and the
# same on the SQLite desk of the same rows, run in turn, one and one, so
# that a busy machine slows both alike: pg_NAME and sqlite_NAME, in ms.
each() {
	name=$1
	shift
	"$timer" -w 1 0 "$@" >/dev/null || die "$* failed"
	(cd "$tmp/million-sqlite" && "$timer" -w 1 0 "$@" >/dev/null) || die "$* failed"
	: >"$tmp/t.pg"
	: >"$tmp/t.sqlite"
	for r in 1 2 3 4 5; do
		"$timer" 1 "$@" >>"$tmp/t.pg" || die "$* failed"
		(cd "$tmp/million-sqlite" && "$timer" 1 "$@") >>"$tmp/t.sqlite" || die "$* failed"
	done
	fig "pg_$name" "$(pct "$tmp/t.pg" 50)" ms "$op" "$lim"
	fig "sqlite_$name" "$(pct "$tmp/t.sqlite" 50)" ms - -
}
op=- lim=-
each ticket_list_open ticket-list
each ticket_list_top50 ticket-list -n 50
each ticket_list_all_top50 ticket-list -a -n 50
each ticket_list_customer ticket-list -a -u c4242
each ticket_list_agent ticket-list -A li.na@example.com -n 50
op=le lim=2000
each sla_check sla-check
op=- lim=-
each sla_check_far sla-check --at 9999-12-31T23:59:59Z
op=le lim=1000
each followup_due ticket-followup --due
op=- lim=-
# The same output as SQLite's for the same rows, byte for byte.
same=1
for args in "ticket-list" "ticket-list -a -n 500" "ticket-list -A li.na@example.com" \
	"ticket-list --json -n 2000" "sla-check" "sla-check --json" "ticket-followup --due" \
	"ticket-followup --due --json"; do
	# shellcheck disable=SC2086
	a=$($args | cksum)
	# shellcheck disable=SC2086
	b=$(cd "$tmp/million-sqlite" && $args | cksum)
	[ "$a" = "$b" ] || { same=0; note "'$args' differs from SQLite's"; }
done
fig pg_same_output_as_sqlite "$same" bool ge 1
exit 0
