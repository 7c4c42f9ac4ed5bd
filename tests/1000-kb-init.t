#!/bin/sh
# kb-init: a new desk, empty or sample, all or nothing.
. "$(dirname "$0")/lib.sh"

test_expect_success 'kb-init DIR makes a desk with a first commit on main' '
	kb-init desk &&
	test -d desk/.git && test -d desk/kb && test -f desk/workflows/roles.yaml &&
	test "$(git -C desk symbolic-ref HEAD)" = refs/heads/main &&
	git -C desk log --format=%s >log && echo "kb-init: new desk" >expect &&
	test_cmp expect log &&
	test -z "$(git -C desk status --porcelain)"
'

test_expect_success 'the founder is the only person, with every role' '
	grep -F "email: li.na@example.com" desk/workflows/roles.yaml &&
	grep -F "roles: [agent, editor, supervisor]" desk/workflows/roles.yaml
'

test_expect_success '.kefu/ is ignored by git and holds the index' '
	grep -qx ".kefu/" desk/.gitignore &&
	test -f desk/.kefu/index.db &&
	git -C desk check-ignore -q .kefu/index.db
'

test_expect_success 'kb-init installs the hook that keeps the index in step' '
	test -x desk/.git/hooks/reference-transaction &&
	grep -F "kb-index" desk/.git/hooks/reference-transaction
'

test_expect_success 'kb-init --sample copies the sample desk, every entry indexed' '
	kb-init --sample sample &&
	n=$(find sample/kb -name "*.yaml" | wc -l) &&
	test "$n" -ge 60 &&
	kb-index -C sample -v >out &&
	grep -F "$n entries" out &&
	for f in roles routing sla calendars classify; do
		test -f sample/workflows/$f.yaml || exit 1
	done
'

test_expect_success 'the sample desk equals the project tree it was built from' '
	(cd "$KEFU_SRC" && find kb workflows -type f | LC_ALL=C sort) >want &&
	(cd sample && find kb workflows -type f | LC_ALL=C sort) >got &&
	test_cmp want got &&
	while read -r f; do cmp "$KEFU_SRC/$f" "sample/$f" || exit 1; done <want
'

test_expect_success 'an empty existing directory is fine; -C is honoured' '
	mkdir -p parent/empty &&
	kb-init -C parent empty &&
	test -d parent/empty/.git
'

test_expect_success 'a non-empty directory is refused and left as it was' '
	mkdir full && echo keep >full/file &&
	test_must_fail kb-init full 2>err &&
	echo "kb-init: cannot create a desk in '\''full'\'': it is not empty" >expect &&
	test_cmp expect err &&
	ls -A full >after && echo file >expect && test_cmp expect after
'

test_expect_success 'without an identity nothing is created' '
	unset KEFU_USER &&
	git config --global --unset user.email &&
	test_must_fail kb-init nobody 2>err &&
	grep -F "set \$KEFU_USER or git config user.email" err &&
	test ! -e nobody
'

# Run "$@" where no file may grow, so its first write fails (EFBIG), for
# root too; its stderr goes through a pipe, which the limit spares.
without_disk() {
	( (trap "" XFSZ; ulimit -f 0; exec "$@"); echo $? >code) 2>&1 | cat >err
	return "$(cat code)"
}

test_expect_success 'a failure half-way removes what was made' '
	test_must_fail without_disk kb-init --sample half &&
	grep -F "kb-init: cannot write" err &&
	test ! -e half &&
	mkdir emptyhalf &&
	test_must_fail without_disk kb-init emptyhalf &&
	test -d emptyhalf && test -z "$(ls -A emptyhalf)"
'

test_expect_success 'usage errors exit 2 with a usage line' '
	test_must_fail kb-init a b 2>err &&
	grep -F "kb-init: one directory at most" err &&
	grep -F "usage: kb-init" err
'

test_done
