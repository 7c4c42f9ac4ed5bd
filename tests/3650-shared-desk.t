#!/bin/sh
# A shared server: kb-init --shared GROUP makes a desk every member of the
# Unix group uses with no configuration of their own, each one known by
# their Unix login. Two users of one group, made for the test (as root)
# and removed after it, work the same desk: tickets, knowledge proposals
# approved by the other, a rebuilt index; someone outside the group
# cannot even read it.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	test_skip "Unix users and a group are made for this test: it runs as root (as make check does in CI)"
	test_done
fi

group=kefug$$
ua=kefua$$
ub=kefub$$
cleanup() {
	userdel "$ua" 2>/dev/null
	userdel "$ub" 2>/dev/null
	groupdel "$group" 2>/dev/null
	rm -rf "$TEST_DIR"
}
trap cleanup EXIT
groupadd "$group" &&
	useradd -M -N -g "$group" -d /nonexistent -s /usr/sbin/nologin "$ua" &&
	useradd -M -N -g "$group" -d /nonexistent -s /usr/sbin/nologin "$ub" ||
	{ echo "Bail out! cannot create the test's users and group"; exit 1; }
chmod 0711 "$TEST_DIR"
mkdir "$TEST_DIR/home-$ua" "$TEST_DIR/home-$ub" "$TEST_DIR/home-nobody"
chown "$ua" "$TEST_DIR/home-$ua"
chown "$ub" "$TEST_DIR/home-$ub"
chown nobody "$TEST_DIR/home-nobody"
# git's system configuration, where kb-init vouches for the desk: a file
# of the test's, not the machine's /etc/gitconfig.
unset GIT_CONFIG_NOSYSTEM
GIT_CONFIG_SYSTEM=$TEST_DIR/etc-gitconfig
export GIT_CONFIG_SYSTEM
: >"$GIT_CONFIG_SYSTEM" && chmod 0644 "$GIT_CONFIG_SYSTEM"
# The binaries, where every user can run them.
bin=$KEFU_BIN
if ! setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$bin/ticket-open"; then
	cp -R "$KEFU_BIN" "$TEST_DIR/bin" && chmod -R a+rX "$TEST_DIR/bin" && bin=$TEST_DIR/bin
fi

# as USER COMMAND...: run it as USER, with the group, an empty home and
# no identity in the environment, as a member logged in on the server.
as() {
	_u=$1
	shift
	setpriv --reuid="$_u" --regid="$(id -gn "$_u")" --init-groups \
		env -u KEFU_USER HOME="$TEST_DIR/home-$_u" PATH="$bin:$PATH" "$@"
}

export KEFU_NOW=2026-03-02T10:00:00+08:00
desk=$TEST_DIR/desk

test_expect_success 'kb-init --shared: root'\''s and the group'\''s, set-group-id, nothing for others' '
	kb-init --sample --shared "$group" "$desk" >/dev/null &&
	stat -c "%U %G %a" "$desk" "$desk/.git" "$desk/kb" "$desk/.kefu" >got &&
	printf "root $group 2770\n" >line && cat line line line line >expect && test_cmp expect got &&
	stat -c "%G %a" "$desk/.kefu/index.db" "$desk/workflows/roles.yaml" >got &&
	printf "$group 660\n$group 660\n" >expect && test_cmp expect got &&
	test "$(git -C "$desk" config core.sharedRepository)" = 0660 &&
	git config --file "$GIT_CONFIG_SYSTEM" --get-all safe.directory >got &&
	echo "$desk" >expect && test_cmp expect got &&
	find "$desk" ! -group "$group" >strays && test_line_count strays = 0
'

test_expect_success 'kb-init --shared needs root and a real group' '
	test_must_fail kb-init --shared no-such-group-$$ "$TEST_DIR/other" 2>err &&
	grep -F "no such group" err && test ! -e "$TEST_DIR/other" &&
	test_must_fail as "$ua" kb-init --shared "$group" "$TEST_DIR/home-$ua/mine" 2>err &&
	grep -F "unless root" err && test ! -e "$TEST_DIR/home-$ua/mine"
'

test_expect_success 'the desk binds each member'\''s login to a person' '
	awk -v a="$ua" -v b="$ub" "
		{ print }
		/^  - email: wang.fang@example.com\$/ { print \"    login: \" a }
		/^  - email: zhou.min@example.com\$/ { print \"    login: \" b }
	" "$desk/workflows/roles.yaml" >roles && cp roles "$desk/workflows/roles.yaml" &&
	git -C "$desk" commit -q -a -m "logins of the server" &&
	{ as "$ua" ticket-list -C "$desk" -a >/dev/null; test $? -le 1; }
'

test_expect_success 'one member opens a ticket, in their own name, with nothing set up' '
	as "$ua" ticket-open -C "$desk" -u c1 "空调不制冷" >id &&
	ticket-show -C "$desk" "$(cat id)" | grep -F "wang.fang@example.com  open" &&
	stat -c "%G %a" "$desk/.kefu/desk.db" >got &&
	echo "$group 660" >expect && test_cmp expect got
'

test_expect_success 'the other works it: its database, log and shared memory are the group'\''s' '
	id=$(cat id) &&
	as "$ub" ticket-update -C "$desk" --transfer wang.fang@example.com --note "请跟进" "$id" >/dev/null &&
	as "$ua" ticket-update -C "$desk" --reply "已安排上门" "$id" &&
	ticket-show -C "$desk" "$id" >show &&
	grep -F "zhou.min@example.com  transfer" show &&
	grep -F "wang.fang@example.com  reply" show &&
	for f in "$desk"/.kefu/desk.db*; do stat -c "%G %a" "$f"; done | sort -u >got &&
	echo "$group 660" >expect && test_cmp expect got
'

test_expect_success 'a member naming someone else is refused' '
	test_must_fail as "$ua" env KEFU_USER=zhou.min@example.com \
		ticket-update -C "$desk" --priority urgent "$(cat id)" 2>err &&
	grep -F "refused: \$KEFU_USER names '\''zhou.min@example.com'\'', but '\''$ua'\'' is '\''wang.fang@example.com'\''" err
'

test_expect_success 'knowledge: one proposes, the other approves; the index follows for both' '
	cp "$desk/kb/售后服务/refund-7day.yaml" "$TEST_DIR/home-$ua/" &&
	chown "$ua" "$TEST_DIR/home-$ua/refund-7day.yaml" &&
	sed -i "s/^title: .*/title: 七天无理由退款（服务器甲乙丙）/" "$TEST_DIR/home-$ua/refund-7day.yaml" &&
	as "$ua" kb-propose -C "$desk" -m "更清楚" "$TEST_DIR/home-$ua/refund-7day.yaml" >name &&
	as "$ub" kb-approve -C "$desk" "$(cat name)" >/dev/null &&
	as "$ua" kb-search -C "$desk" -n 1 服务器甲乙丙 | cut -f1 >got &&
	echo refund-7day >expect && test_cmp expect got &&
	as "$ub" kb-index -C "$desk" --full &&
	as "$ua" kb-search -C "$desk" -n 1 服务器甲乙丙 | cut -f1 >got && test_cmp expect got &&
	find "$desk" ! -group "$group" >strays && test_line_count strays = 0 &&
	find "$desk" -type d ! -perm -2070 >strays && test_line_count strays = 0
'

test_expect_success "git's command line works for members too (safe.directory)" '
	as "$ua" git -C "$desk" log --format=%s -1 >got &&
	grep -F "refund-7day" got
'

test_expect_success 'someone outside the group cannot read the desk' '
	test_must_fail as nobody ticket-list -C "$desk" 2>err &&
	grep -F "Permission denied" err
'

test_done
