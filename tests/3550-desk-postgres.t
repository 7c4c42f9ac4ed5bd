#!/bin/sh
# A desk whose tickets are in PostgreSQL: where the connection string
# comes from, its schema migrated as desk.db's is, and a database refused
# as desk.db is (not kefu's, of a newer kefu, out of reach), always with
# one line and nothing changed.
. "$(dirname "$0")/lib.sh"

if ! on_postgres; then
	test_skip "desks in PostgreSQL: make check's second pass runs this"
	test_done
fi

export KEFU_NOW=2026-03-02T10:00:00+08:00
psql_on() { # URI SQL
	psql -XAtq -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

test_expect_success 'kb-init --db: the string in .kefu/database, private, and no desk.db' '
	uri=$(new_database) &&
	kb-init --sample --db "$uri" d >/dev/null &&
	echo "$uri" >expect && test_cmp expect d/.kefu/database &&
	test "$(stat -c %a d/.kefu/database)" = 600 &&
	test "$(psql_on "$uri" "SELECT version FROM kefu_schema")" = 3 &&
	(cd d && ticket-open -u c1 "空调不制冷" >../id) &&
	test ! -e d/.kefu/desk.db &&
	! git -C d status --porcelain --ignored | grep -v "^!! .kefu/$"
'

test_expect_success '$KEFU_DB puts one command on another database' '
	other=$(new_database) &&
	(cd d && KEFU_DB="$other" ticket-open -u c2 "冰箱不制冷" >../other-id) &&
	test "$(psql_on "$other" "SELECT count(*) FROM tickets")" = 1 &&
	(cd d && ticket-list | cut -f1) >got && test_cmp id got &&
	(cd d && KEFU_DB="$other" ticket-list | cut -f1) >got && test_cmp other-id got
'

test_expect_success '$KEFU_DB works on a desk kept in desk.db too, which it leaves alone' '
	kb-init --sample s >/dev/null &&
	(cd s && KEFU_DB="$(cat ../d/.kefu/database)" ticket-list | cut -f1) >got && test_cmp id got &&
	test ! -e s/.kefu/desk.db
'

test_expect_success 'reading a database without a desk yet writes nothing' '
	bare=$(new_database) &&
	(cd s && test_must_fail --code=1 env KEFU_DB="$bare" ticket-list) &&
	test "$(psql_on "$bare" "SELECT count(*) FROM pg_tables WHERE schemaname = '\''public'\''")" = 0
'

test_expect_success 'a database holding a tickets table of its own is refused, never used' '
	foreign=$(new_database) &&
	psql_on "$foreign" "CREATE TABLE tickets(id int)" &&
	test_must_fail kb-init --sample --db "$foreign" f 2>err &&
	grep -F "is not a kefu desk database: it has a table '\''tickets'\'' of its own" err &&
	test ! -e f &&
	(cd d && test_must_fail env KEFU_DB="$foreign" ticket-open -u c3 "x") 2>err &&
	grep -F "is not a kefu desk database" err &&
	test "$(psql_on "$foreign" "SELECT count(*) FROM pg_tables WHERE schemaname = '\''public'\''")" = 1
'

test_expect_success 'a desk of a newer kefu is refused by readers and writers alike' '
	newer=$(new_database) &&
	kb-init --db "$newer" n >/dev/null &&
	psql_on "$newer" "UPDATE kefu_schema SET version = 99" &&
	(cd n && test_must_fail ticket-list) 2>err &&
	grep -F "was made by a newer kefu (version 99)" err &&
	(cd n && test_must_fail ticket-open -u c4 "x") 2>err &&
	grep -F "was made by a newer kefu (version 99)" err &&
	test "$(psql_on "$newer" "SELECT count(*) FROM tickets")" = 0
'

test_expect_success 'a desk of an older kefu: readers are told to migrate, the first writer does' '
	older=$(new_database) &&
	kb-init --sample --db "$older" o >/dev/null &&
	(cd o && ticket-open -u c5 "旧版本的工单" >../old-id) &&
	# Version 1: what the steps to 2 and 3 added, taken away again.
	psql_on "$older" "DROP INDEX tickets_updated; DROP INDEX usage_at; ALTER TABLE tickets DROP COLUMN worked; DROP TABLE followups; UPDATE kefu_schema SET version = 1" &&
	(cd o && test_must_fail ticket-list) 2>err &&
	grep -F "desk database '\''kefu_" err && grep -F "needs migrating: run a writing command" err &&
	(cd o && ticket-update --note "升级以后" "$(cat ../old-id)") &&
	test "$(psql_on "$older" "SELECT version FROM kefu_schema")" = 3 &&
	test "$(psql_on "$older" "SELECT count(*) FROM followups")" = 0 &&
	(cd o && ticket-list | cut -f1) >got && test_cmp old-id got
'

test_expect_success 'a server out of reach is one line, exit 2' '
	(cd d && test_must_fail env KEFU_DB="host=$TEST_DIR/nowhere dbname=x" ticket-list) 2>err &&
	test_line_count err = 1 &&
	grep -F "ticket-list: cannot connect to the desk database: " err
'

test_expect_success 'an empty .kefu/database is an error, not a fall back to desk.db' '
	: >s/.kefu/database &&
	(cd s && test_must_fail ticket-list) 2>err &&
	grep -F "is empty: it should hold the desk'\''s PostgreSQL connection string" err &&
	rm s/.kefu/database
'

test_expect_success 'two first commands at once make the schema once' '
	race=$(new_database) &&
	kb-init --sample s2 >/dev/null &&
	for i in 1 2 3 4; do
		(cd s2 && KEFU_DB="$race" ticket-open -u "r$i" "同时 $i" >/dev/null 2>../err-$i
		 echo $? >../rc-$i) &
	done
	wait
	cat err-* && cat rc-1 rc-2 rc-3 rc-4 | sort -u >got && echo 0 >expect && test_cmp expect got &&
	test "$(psql_on "$race" "SELECT count(*) FROM tickets")" = 4
'

test_done
