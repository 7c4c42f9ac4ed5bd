#!/bin/sh
# make install and uninstall, with PREFIX and DESTDIR, as a package would.
. "$(dirname "$0")/lib.sh"

root=$TEST_DIR/root
# The binaries under test are installed as they are: no rebuild.
mk() { make -s -C "$KEFU_SRC" B="$KEFU_BUILD" BIN="$KEFU_BIN" PREFIX=/usr DESTDIR="$root" "$@"; }

test_expect_success 'make install puts commands, pages, completions where Debian looks' '
	mk install >/dev/null &&
	for c in kb-init kb-index kb-search kb-show kb-lint; do
		test -x "$root/usr/bin/$c" && test -f "$root/usr/share/man/man1/$c.1" || exit 1
	done &&
	test -f "$root/usr/share/man/man5/kefu-entry.5" &&
	test -f "$root/usr/share/man/man7/kefu.7" &&
	test -f "$root/usr/share/zsh/vendor-completions/_kefu" &&
	test -f "$root/usr/share/doc/kefu/README.md" &&
	test -f "$root/usr/share/doc/kefu/examples/kefu-sla.timer" &&
	test -f "$root/usr/share/doc/kefu/examples/kefu-sla.cron" &&
	for c in kb-init kb-index kb-search kb-show kb-lint; do
		test -f "$root/usr/share/bash-completion/completions/$c" &&
		test -f "$root/usr/share/fish/vendor_completions.d/$c.fish" || exit 1
	done
'

test_expect_success 'every command of src/cmd is installed, with its page' '
	ls "$KEFU_SRC"/src/cmd/*.c | sed "s|.*/||; s|\.c\$||" | sort >expect &&
	ls "$root/usr/bin" | sort >actual &&
	test_cmp expect actual &&
	while read -r c; do test -f "$root/usr/share/man/man1/$c.1" || exit 1; done <expect
'

test_expect_success 'bash loads the installed completion by the command name' '
	bash -c ". $root/usr/share/bash-completion/completions/kb-search &&
		complete -p kb-search" | grep -F kb-search
'

test_expect_success 'an installed command runs, and kb-init --sample needs no source tree' '
	"$root/usr/bin/kb-search" --version | grep -x "kb-search (kefu) [0-9.]*" &&
	(cd / && "$root/usr/bin/kb-init" --sample "$TEST_DIR/installed") &&
	PATH="$root/usr/bin:/usr/bin:/bin" kb-search -C installed -n 1 保修期多久 | cut -f1 >out &&
	echo warranty-period >expect && test_cmp expect out
'

test_expect_success 'the examples name the commands where this install put them' '
	grep -x "ExecStart=/usr/bin/sla-check --escalate -s breached" \
		"$root/usr/share/doc/kefu/examples/kefu-sla.service" &&
	grep -x "PATH=/usr/bin:/usr/bin:/bin" "$root/usr/share/doc/kefu/examples/kefu-sla.cron" &&
	grep -x "PATH=/usr/bin:/usr/bin:/bin" "$root/usr/share/doc/kefu/examples/ticket-route.cron" &&
	grep -x "PATH=/usr/bin:/usr/bin:/bin" "$root/usr/share/doc/kefu/examples/ticket-report.cron" &&
	grep "^ExecStart=.* /usr/bin/ticket-report --day --html " \
		"$root/usr/share/doc/kefu/examples/ticket-report.service" &&
	grep -x "OnCalendar=\*-\*-\* 07:15:00" "$root/usr/share/doc/kefu/examples/ticket-report.timer" &&
	make -s -C "$KEFU_SRC" B="$KEFU_BUILD" BIN="$KEFU_BIN" PREFIX=/opt/kefu \
		DESTDIR="$TEST_DIR/opt" install >/dev/null &&
	grep -x "ExecStart=/opt/kefu/bin/sla-check --escalate -s breached" \
		"$TEST_DIR/opt/opt/kefu/share/doc/kefu/examples/kefu-sla.service" &&
	grep -x "PATH=/opt/kefu/bin:/usr/bin:/bin" \
		"$TEST_DIR/opt/opt/kefu/share/doc/kefu/examples/kefu-sla.cron" &&
	! grep -r @BINDIR@ "$root" "$TEST_DIR/opt"
'

test_expect_success 'make uninstall leaves nothing behind' '
	mk uninstall >/dev/null &&
	find "$root" -type f >left && test ! -s left
'

# A root umask of 077 must not make what is installed private to root.
mode() { stat -c %a "$1"; }
test_expect_success 'under umask 077: commands 0755, pages and completions 0644, directories 0755' '
	root=$TEST_DIR/root077 &&
	(umask 077 && mk install >/dev/null) &&
	test "$(mode "$root/usr/bin/kb-search")" = 755 &&
	test "$(mode "$root/usr/bin/ticket-open")" = 755 &&
	test "$(mode "$root/usr/share/man/man1/kb-search.1")" = 644 &&
	test "$(mode "$root/usr/share/man/man7/kefu.7")" = 644 &&
	test "$(mode "$root/usr/share/bash-completion/completions/kb-search")" = 644 &&
	test "$(mode "$root/usr/share/doc/kefu/examples/kefu-sla.service")" = 644 &&
	for d in usr usr/bin usr/share usr/share/man usr/share/man/man1 usr/share/doc/kefu/examples \
		usr/share/fish/vendor_completions.d; do
		test "$(mode "$root/$d")" = 755 || { echo "$d: $(mode "$root/$d")"; exit 1; }
	done
'

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	test_expect_success 'an unprivileged user runs what root installed under umask 077' '
		root=$TEST_DIR/root077 &&
		chmod 0711 "$TEST_DIR" &&
		mkdir "$TEST_DIR/nobody" && chown nobody "$TEST_DIR/nobody" &&
		as_nobody() {
			setpriv --reuid=nobody --regid=nogroup --clear-groups \
				env HOME="$TEST_DIR/nobody" PATH="$root/usr/bin:/usr/bin:/bin" "$@"
		} &&
		as_nobody kb-search --version >out &&
		grep -x "kb-search (kefu) [0-9.]*" out &&
		as_nobody kb-init --sample "$TEST_DIR/nobody/desk" >/dev/null &&
		as_nobody kb-search -C "$TEST_DIR/nobody/desk" -n 1 保修期多久 | cut -f1 >out &&
		echo warranty-period >expect && test_cmp expect out &&
		as_nobody cat "$root/usr/share/man/man1/kb-search.1" >page &&
		test_cmp "$KEFU_SRC/man/kb-search.1" page
	'
else
	test_skip "not root: no second user to run the installed commands as"
fi

test_done
