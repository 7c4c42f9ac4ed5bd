#!/bin/sh
# What every command shares: --help, --version, usage errors, -C and
# $KEFU_DIR, $KEFU_NOW, and a checked stdout.
. "$(dirname "$0")/lib.sh"

cmds=$(cd "$KEFU_SRC/src/cmd" && ls ./*.c | sed 's|^\./||; s|\.c$||')

test_expect_success 'every command: --help on stdout, exit 0, starting with usage' '
	for c in $cmds; do
		$c --help >out 2>err || { echo "$c --help failed" >&2; exit 1; }
		test ! -s err && head -1 out | grep -q "^usage: $c " ||
			{ echo "$c: bad --help" >&2; exit 1; }
	done
'

test_expect_success 'every command: --version names it and kefu' '
	for c in $cmds; do
		$c --version >out && grep -qx "$c (kefu) [0-9.]*" out ||
			{ echo "$c --version: $(cat out)" >&2; exit 1; }
	done
'

test_expect_success 'every command: an unknown option is exit 2 with one message and the usage' '
	for c in $cmds; do
		test_must_fail $c --no-such-option >out 2>err || exit 1
		test ! -s out &&
		head -1 err | grep -qx "$c: unknown option '\''--no-such-option'\''" &&
		sed -n 2p err | grep -q "^usage: $c" ||
			{ echo "$c:" >&2; cat err >&2; exit 1; }
	done
'

test_expect_success 'every command: -C to a missing directory is exit 2' '
	for c in $cmds; do
		test_must_fail $c -C no/such/dir x 2>err || exit 1
		grep -qx "$c: cannot change to '\''no/such/dir'\'': No such file or directory" err ||
			{ cat err >&2; exit 1; }
	done
'

sample_desk s

test_expect_success '$KEFU_DIR finds the desk from anywhere' '
	mkdir elsewhere && cd elsewhere &&
	KEFU_DIR=../s kb-search -n 1 保修期多久 | cut -f1 >out &&
	echo warranty-period >expect && test_cmp expect out
'

test_expect_success 'the desk is found upward from a subdirectory' '
	cd s/kb/售后服务 && kb-search -n 1 保修期多久 | cut -f1 >out &&
	echo warranty-period >expect && test_cmp expect out
'

test_expect_success '-C wins over $KEFU_DIR' '
	empty_desk other &&
	KEFU_DIR=other kb-search -C s -n 1 保修期多久 >out && test -s out
'

test_expect_success '$KEFU_DIR naming no desk is an error' '
	mkdir plain &&
	KEFU_DIR=plain test_must_fail kb-search 退款 2>err &&
	grep -F "kb-search: not a desk '\''plain'\'' (\$KEFU_DIR): it needs .git and kb/" err
'

test_expect_success 'an invalid $KEFU_NOW is an error naming it' '
	KEFU_NOW=yesterday test_must_fail kb-search -C s 退款 2>err &&
	grep -F "kb-search: invalid \$KEFU_NOW '\''yesterday'\''" err
'

test_expect_success 'a full disk on stdout is exit 2, not silence' '
	test_must_fail kb-search -C s 退款 >/dev/full 2>err &&
	grep -F "kb-search: cannot write output: No space left on device" err &&
	test_must_fail kb-show -C s refund-7day >/dev/full 2>err &&
	grep -F "kb-show: cannot write output" err &&
	test_must_fail kb-search --help >/dev/full
'

# Far more than a pipe holds, so the writer meets the closed pipe.
test_expect_success 'a closed pipe ends a command quietly' '
	yes refund-7day | head -n 3000 >ids &&
	{ kb-show -C s <ids 2>err; echo $? >rc; } | head -n 1 >out &&
	test_line_count out = 1 &&
	test ! -s err &&
	grep -xE "0|141" rc
'

# configure links libgit2 from its static archive without its network
# when it can (src/link/gitnonet.c): then no command carries TLS, whose
# start-up would parse every CA certificate, and a command that opens a
# repository still works. Otherwise the commands load the shared library.
test_expect_success 'commands carry libgit2 as configure chose: without its network, or shared' '
	sed -n "s/^GIT_NONET = *//p" "$KEFU_SRC/Makefile.config" >mode &&
	if [ "$(cat mode)" = yes ]; then
		nm "$KEFU_BIN/ticket-list" >syms &&
		grep -q " T git_repository_open_ext$" syms &&
		! grep -q "mbedtls_ssl_setup\|libssh2_session_init\|gss_init_sec_context" syms &&
		! ldd "$KEFU_BIN/ticket-list" | grep -q libgit2
	else
		ldd "$KEFU_BIN/ticket-list" | grep -q libgit2
	fi &&
	kb-show -C s --json refund-7day | grep -q "\"id\":\"refund-7day\""
'

test_done
