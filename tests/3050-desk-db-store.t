#!/bin/sh
# desk.db is the system of record: only an absent one is created. One
# that is empty, truncated, damaged or not kefu's is refused by every
# command, with one line naming it, and left exactly as it was. Ticket
# ids are never issued twice, even when desk.db is lost or restored
# from an older copy (.kefu/ticket-seq keeps each day's highest).
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
export KEFU_NOW=2026-03-02T10:00:00+08:00
agent=zhang.wei@example.com
sup=zhou.min@example.com

test_expect_success 'an absent desk.db is created whole, with nothing left beside it' '
	test ! -e .kefu/desk.db &&
	ticket-open -u c1 "空调不制冷" >id && echo GD202603020001 >expect && test_cmp expect id &&
	test -s .kefu/desk.db &&
	ls .kefu >files && printf "desk.db\nindex.db\nticket-seq\n" >expect &&
	grep -v -e "-wal$" -e "-shm$" files >got && test_cmp expect got &&
	echo "20260302 1" >expect && test_cmp expect .kefu/ticket-seq
'

# Every command that reads or writes desk.db, run against a broken one:
# each must fail with one line naming the file and leave it untouched.
every_command_refuses() { # WHAT: the words the message must hold
	cp .kefu/desk.db broken.copy &&
	for cmd in "ticket-open -u c9 新问题" "ticket-list" "ticket-show GD202603020001" \
		"ticket-route GD202603020001" "ticket-claim GD202603020001" \
		"ticket-update --note x GD202603020001" "ticket-close --result x GD202603020001" \
		"ticket-reopen GD202603020001" "agent-status" "sla-check" "kb-use refund-7day"
	do
		{ KEFU_USER=$sup test_must_fail $cmd >out 2>err &&
		  test_line_count err = 1 &&
		  grep -F "desk database '$PWD/.kefu/desk.db' $1" err &&
		  cmp .kefu/desk.db broken.copy &&
		  test_must_fail --code=1 grep . out
		} || { echo "$cmd:" >&2; cat err >&2; return 1; }
	done
}

test_expect_success 'a zero-byte desk.db is refused by every command, never re-created' '
	cp .kefu/desk.db good.db &&
	: >.kefu/desk.db &&
	every_command_refuses "is empty (0 bytes)" &&
	test ! -s .kefu/desk.db &&
	grep -F "restore it from a backup" err
'

test_expect_success 'search still answers, and says the uses are not counted' '
	kb-search 退款 >out 2>err &&
	test_line_count out -gt 0 &&
	test_line_count err = 1 && grep -F "desk database" err
'

test_expect_success 'a truncated desk.db is refused by every command' '
	cp good.db .kefu/desk.db &&
	for i in 2 3 4 5 6 7 8 9; do ticket-open -u c$i "问题$(seq -s " " 1 400) $i" >/dev/null || return 1; done &&
	sqlite3 .kefu/desk.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
	cp .kefu/desk.db good.db &&
	size=$(wc -c <.kefu/desk.db) && test "$size" -gt 8192 &&
	head -c $((size - 4096)) good.db >.kefu/desk.db &&
	every_command_refuses "is truncated" &&
	head -c 60 good.db >.kefu/desk.db &&
	every_command_refuses "is truncated"
'

test_expect_success 'a file that is not a database, or not kefu'\''s, is refused' '
	echo "hello" >.kefu/desk.db &&
	every_command_refuses "is not an SQLite database" &&
	rm .kefu/desk.db && sqlite3 .kefu/desk.db "CREATE TABLE notes(x); INSERT INTO notes VALUES(1)" &&
	every_command_refuses "is not a kefu desk database" &&
	sqlite3 .kefu/desk.db "SELECT x FROM notes" >out && echo 1 >expect && test_cmp expect out
'

test_expect_success 'a damaged desk.db behind a good header is refused' '
	cp good.db .kefu/desk.db &&
	dd if=/dev/urandom of=.kefu/desk.db bs=4096 seek=1 count=1 conv=notrunc 2>/dev/null &&
	dd if=/dev/zero of=.kefu/desk.db bs=1 seek=100 count=4000 conv=notrunc 2>/dev/null &&
	every_command_refuses "is damaged"
'

test_expect_success 'a desk.db gone with its log still there is not started afresh' '
	cp good.db .kefu/desk.db &&
	rm .kefu/desk.db && echo "not empty" >.kefu/desk.db-wal &&
	test_must_fail ticket-open -u c10 再来一个 2>err &&
	test_line_count err = 1 && grep -F "is missing but its log" err &&
	test ! -e .kefu/desk.db && rm .kefu/desk.db-wal
'

test_expect_success 'with desk.db whole again, work goes on where it was' '
	cp good.db .kefu/desk.db &&
	ticket-open -u c11 "冰箱不制冷" >id && echo GD202603020010 >expect && test_cmp expect id
'

test_expect_success 'a lost desk.db does not reissue the day'\''s ids' '
	mv .kefu/desk.db lost.db && rm -f .kefu/desk.db-wal .kefu/desk.db-shm &&
	ticket-open -u c12 "热水器漏水" >id && echo GD202603020011 >expect && test_cmp expect id &&
	ticket-list --json | jq -r .id >ids && test_cmp expect ids
'

test_expect_success 'nor does an older copy restored over it' '
	cp good.db .kefu/desk.db && rm -f .kefu/desk.db-wal .kefu/desk.db-shm &&
	ticket-open -u c13 "洗衣机异响" >id && echo GD202603020012 >expect && test_cmp expect id &&
	echo "20260302 12" >expect && test_cmp expect .kefu/ticket-seq
'

test_expect_success 'each day keeps its own mark' '
	KEFU_NOW=2026-03-01T10:00:00+08:00 ticket-open -u c14 "昨天的问题" >id &&
	echo GD202603010001 >expect && test_cmp expect id &&
	KEFU_NOW=2026-03-03T10:00:00+08:00 ticket-open -u c15 "明天的问题" >id &&
	echo GD202603030001 >expect && test_cmp expect id &&
	printf "20260301 1\n20260302 12\n20260303 1\n" >expect && test_cmp expect .kefu/ticket-seq
'

test_expect_success 'a damaged mark stops new ids, and changes nothing' '
	cp .kefu/ticket-seq seq.copy &&
	echo "garbage" >>.kefu/ticket-seq && cp .kefu/ticket-seq seq.bad &&
	ticket-list --json | jq -r .id | sort >before &&
	test_must_fail ticket-open -u c16 "又一个问题" >out 2>err &&
	test_line_count err = 1 &&
	grep -F "ticket sequence '\''$PWD/.kefu/ticket-seq'\'' is damaged at line 4" err &&
	test_must_fail --code=1 grep . out &&
	ticket-list --json | jq -r .id | sort >after && test_cmp before after &&
	cmp .kefu/ticket-seq seq.bad &&
	cp seq.copy .kefu/ticket-seq &&
	ticket-open -u c16 "又一个问题" >id && echo GD202603020013 >expect && test_cmp expect id
'

test_done
