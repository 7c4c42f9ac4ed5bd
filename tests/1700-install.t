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

test_expect_success 'make uninstall leaves nothing behind' '
	mk uninstall >/dev/null &&
	find "$root" -type f >left && test ! -s left
'

test_done
