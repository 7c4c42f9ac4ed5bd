#!/bin/sh
# Who acts is who authenticated: where roles.yaml binds logins, the person
# bound to the Unix login (or, on a PostgreSQL desk, to the database role)
# runs every command, and $KEFU_USER or git's user.email naming someone
# else is refused with one line. A login bound to nobody reads only.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
export KEFU_NOW=2026-03-02T10:00:00+08:00
# The name that authenticates these commands: the database role of the
# test server, else this Unix user.
if on_postgres; then me=kefu; else me=$(id -un); fi

# bind EMAIL LOGIN: give the person EMAIL the login LOGIN on main.
bind() {
	awk -v who="$1" -v login="$2" '
		{ print }
		$0 ~ "^  - email: " who "$" { print "    login: " login }
	' workflows/roles.yaml >roles.tmp && mv roles.tmp workflows/roles.yaml &&
	commit_all . "bind $2 to $1" >/dev/null
}

test_expect_success 'without any login, $KEFU_USER says who acts, as before' '
	id=$(KEFU_USER=wang.fang@example.com ticket-open -u c1 "空调不制冷") &&
	ticket-show --json "$id" >/dev/null &&
	ticket-show "$id" | grep -F "wang.fang@example.com  open"
'

test_expect_success 'with logins, the person bound to the login acts, with no variable set' '
	bind li.na@example.com "$me" &&
	id=$(env -u KEFU_USER ticket-open -u c2 "冰箱不制冷") &&
	ticket-show "$id" | grep -F "li.na@example.com  open" &&
	echo "$id" >../bound-id
'

test_expect_success '$KEFU_USER naming the bound person is fine, by email or name' '
	KEFU_USER=LI.NA@example.com ticket-open -u c3 "洗衣机漏水" &&
	KEFU_USER=li.na ticket-open -u c4 "电视没有声音"
'

test_expect_success '$KEFU_USER naming someone else is refused, in one line, changing nothing' '
	n=$(ticket-list -a | wc -l) &&
	test_must_fail env KEFU_USER=zhou.min@example.com ticket-open -u c5 "我要投诉" 2>err &&
	echo "ticket-open: refused: \$KEFU_USER names '\''zhou.min@example.com'\'', but '\''$me'\'' is '\''li.na@example.com'\'' in workflows/roles.yaml" >expect &&
	test_cmp expect err &&
	test "$(ticket-list -a | wc -l)" = "$n" &&
	id=$(cat ../bound-id) &&
	test_must_fail env KEFU_USER=zhou.min@example.com ticket-update --priority urgent "$id" 2>err &&
	grep -F "refused: \$KEFU_USER names" err &&
	test_must_fail env KEFU_USER=zhou.min@example.com sla-check --escalate 2>err &&
	grep -F "refused: \$KEFU_USER names" err &&
	test_must_fail env KEFU_USER=nobody@example.com agent-status li.na@example.com away 2>err &&
	grep -F "refused: \$KEFU_USER names '\''nobody@example.com'\''" err
'

test_expect_success "git's user.email naming someone else is refused too" '
	git config --global user.email zhou.min@example.com &&
	test_must_fail env -u KEFU_USER ticket-open -u c6 "我要投诉" 2>err &&
	grep -F "refused: git'\''s user.email names '\''zhou.min@example.com'\''" err &&
	git config --global user.email li.na@example.com &&
	env -u KEFU_USER ticket-open -u c6 "我要投诉"
'

test_expect_success 'knowledge commands follow the same rule' '
	cp kb/售后服务/refund-7day.yaml . 2>/dev/null || cp "$(find kb -name refund-7day.yaml)" . &&
	sed -i "s/^title: .*/title: 退款流程说明（新）/" refund-7day.yaml &&
	test_must_fail env KEFU_USER=wang.fang@example.com kb-propose -m x refund-7day.yaml 2>err &&
	grep -F "refused: \$KEFU_USER names '\''wang.fang@example.com'\''" err
'

test_expect_success 'ticket-list -A me is the bound person' '
	id=$(cat ../bound-id) &&
	env -u KEFU_USER ticket-claim "$id" &&
	env -u KEFU_USER ticket-list -A me | cut -f1 >got &&
	echo "$id" >expect && test_cmp expect got
'

test_expect_success 'a login bound to nobody reads and searches, and writes nothing' '
	sed -i "s/^    login: .*/    login: somebody-else/" workflows/roles.yaml &&
	commit_all . "bind another login" >/dev/null &&
	ticket-list -a >/dev/null &&
	ticket-show "$(cat ../bound-id)" >/dev/null &&
	kb-search 退款 >/dev/null &&
	test_must_fail ticket-open -u c7 "又坏了" 2>err &&
	echo "ticket-open: refused: '\''$me'\'' is bound to nobody in workflows/roles.yaml (login:), so may read and search but not write" >expect &&
	test_cmp expect err &&
	test_must_fail ticket-list -A me 2>err &&
	grep -F "is bound to nobody" err
'

if on_postgres; then
	test_expect_success 'on PostgreSQL the database role is who connects, whatever the Unix login' '
		uri=$(cat .kefu/database) &&
		createuser -h "$KEFU_TEST_PG" -U kefu "wang_$$" &&
		# What kefu-team(7) grants a team, and no more.
		psql -XAtq -v ON_ERROR_STOP=1 -d "$uri" \
			-c "GRANT SELECT ON kefu_schema TO wang_$$" \
			-c "GRANT SELECT, INSERT, UPDATE, DELETE ON tickets, pauses, offers, agents, route_state, messages, usage, kb_usage, followups TO wang_$$" \
			-c "GRANT SELECT, UPDATE ON SEQUENCE ticket_mark TO wang_$$" \
			-c "GRANT SELECT, INSERT ON events TO wang_$$" &&
		bind wang.fang@example.com "wang_$$" &&
		mkdir -p ../wang &&
		as_wang() { env -u KEFU_USER HOME="$TEST_DIR/wang" KEFU_DB="$uri user=wang_$$" "$@"; } &&
		id=$(as_wang ticket-open -u c8 "热水器不出热水") &&
		ticket-show "$id" | grep -F "wang.fang@example.com  open" &&
		as_wang ticket-claim "$id" && as_wang ticket-update --reply "马上处理" "$id" &&
		as_wang kb-use --ticket "$id" water-heater-not-heating &&
		as_wang ticket-route --pending >/dev/null &&
		{ as_wang sla-check >/dev/null; test $? -le 1; } &&
		as_wang ticket-close --result "已修好" --satisfaction 3 "$id" >/dev/null &&
		test "$(desk_sql "SELECT count(*) FROM followups WHERE ticket = '\''$id'\''")" -ge 1 &&
		test_must_fail env KEFU_USER=zhou.min@example.com KEFU_DB="$uri user=wang_$$" ticket-open -u c9 "x" 2>err &&
		grep -F "but '\''wang_$$'\'' is '\''wang.fang@example.com'\''" err &&
		test_must_fail --code=1 env PGUSER=wang_$$ psql -XAtq -v ON_ERROR_STOP=1 -d "$uri user=wang_$$" -c "UPDATE events SET who = '\''x'\''" 2>err &&
		grep -F "permission denied for table events" err
	'

	# A role of a database $KEFU_DB names, or that a .kefu/database others
	# may write names, is anyone'"'"'s to make: it vouches for changes in that
	# database, never for who changes the repository on this machine.
	test_expect_success 'a database of $KEFU_DB does not say who proposes or approves' '
		uri=$(cat .kefu/database) &&
		test_must_fail env -u KEFU_USER KEFU_DB="$uri user=wang_$$" \
			kb-propose -m x refund-7day.yaml 2>err &&
		grep -F "refused: '\''$(id -un)'\'' is bound to nobody" err &&
		chmod g+w .kefu/database &&
		test_must_fail env -u KEFU_USER kb-propose -m x refund-7day.yaml 2>err &&
		grep -F "refused: '\''$(id -un)'\'' is bound to nobody" err &&
		chmod g-w .kefu/database &&
		# the desk'"'"'s own file, its owner'"'"'s alone: the role is asked again
		# (bound to nobody since the test above)
		test_must_fail env -u KEFU_USER kb-propose -m x refund-7day.yaml 2>err &&
		grep -F "refused: '\''$me'\'' is bound to nobody" err
	'

	test_expect_success 'on PostgreSQL the history is append-only in the database itself' '
		uri=$(cat .kefu/database) &&
		test_must_fail --code=1 psql -XAtq -v ON_ERROR_STOP=1 -d "$uri" -c "DELETE FROM events" 2>err &&
		grep -F "the events of a desk are kept for good: DELETE refused" err &&
		test_must_fail --code=1 psql -XAtq -v ON_ERROR_STOP=1 -d "$uri" -c "UPDATE events SET who = '\''x'\''" 2>err &&
		grep -F "UPDATE refused" err &&
		test_must_fail --code=1 psql -XAtq -v ON_ERROR_STOP=1 -d "$uri" -c "TRUNCATE events" 2>err &&
		grep -F "TRUNCATE refused" err
	'
fi

test_done
