#!/bin/sh
# Text that hides the rest of itself, and categories that are not a
# directory: a NUL in any scalar (a "\0" escape) is an error naming file,
# line and key, for entries and workflow files alike; a category is one
# path component.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
editor=wang.fang@example.com
entry=kb/售后服务/refund-7day.yaml

test_expect_success 'a "\\0" escape in a title: kb-lint names file, line and key' '
	cp $entry orig.yaml &&
	sed "s/^title: .*/title: \"七天无理由退货\\\\0以下文字被藏起来\"/" orig.yaml >$entry &&
	grep -F "\\0" $entry &&
	test_must_fail kb-lint $entry 2>err &&
	printf "%s\\n" "$entry:2: title: a NUL character (\\0) is not allowed in any text" >expect &&
	test_cmp expect err
'

test_expect_success 'the other escapes of NUL, in any field, lists included' '
	printf "id: a\ntitle: t\ncategory: c\nkeywords: [ok, \"x\\\\x00y\"]\nanswer: \"a\\\\u0000b\"\n" >a.yaml &&
	cat a.yaml &&
	test_must_fail kb-lint a.yaml 2>err &&
	printf "%s\\n" "a.yaml:4: keywords: a NUL character (\\0) is not allowed in any text" >expect &&
	test_cmp expect err &&
	printf "id: a\ntitle: t\ncategory: c\nanswer: \"a\\\\u0000b\"\n" >a.yaml &&
	test_must_fail kb-lint a.yaml 2>err &&
	printf "%s\\n" "a.yaml:4: answer: a NUL character (\\0) is not allowed in any text" >expect &&
	test_cmp expect err
'

test_expect_success 'kb-propose refuses it and creates nothing' '
	KEFU_USER=$editor test_must_fail kb-propose -m 改标题 $entry >out 2>err &&
	grep -F "$entry:2: title: a NUL character" err &&
	test_must_fail --code=1 grep . out &&
	git for-each-ref refs/heads/proposal >refs && test_must_fail --code=1 grep . refs
'

test_expect_success 'committed to main anyway: kb-show refuses it, the index skips it' '
	git -c core.hooksPath=/dev/null commit -q -m direct $entry &&
	test_must_fail kb-show --at main refund-7day >out 2>err &&
	grep -F "title: a NUL character (\\0) is not allowed" err &&
	test_must_fail --code=1 grep . out &&
	kb-index 2>err &&
	grep -F "skipped $entry:2: title: a NUL character" err &&
	test_must_fail kb-show refund-7day >out &&
	test_must_fail --code=1 grep . out &&
	kb-search -n 50 七天无理由退货 | cut -f1 >ids &&
	test_must_fail --code=1 grep -x refund-7day ids &&
	cp orig.yaml $entry && git -c core.hooksPath=/dev/null commit -q -m back $entry && kb-index
'

test_expect_success 'a NUL in a workflow file is the same error' '
	cp workflows/roles.yaml roles.orig &&
	sed "0,/name: .*/s//name: \"陈\\\\0静\"/" roles.orig >workflows/roles.yaml &&
	line=$(grep -n "\\\\0" workflows/roles.yaml | cut -d: -f1) &&
	test_must_fail kb-lint -C . 2>err &&
	printf "%s\\n" "workflows/roles.yaml:$line: name: a NUL character (\\0) is not allowed in any text" >expect &&
	test_cmp expect err &&
	cp roles.orig workflows/roles.yaml && kb-lint -C .
'

test_expect_success 'a key holding a NUL is refused too' '
	printf "id: a\ntitle: t\ncategory: c\n\"answer\\\\0\": x\n" >a.yaml &&
	test_must_fail kb-lint a.yaml 2>err &&
	printf "%s\\n" "a.yaml:4: a NUL character (\\0) is not allowed in any text, not even in a key" >expect &&
	test_cmp expect err
'

test_expect_success 'a category with a slash is refused, wherever the file sits' '
	mkdir -p kb/a/b &&
	printf "id: nested\ntitle: 嵌套分类\ncategory: a/b\nanswer: 嵌套\n" >kb/a/b/nested.yaml &&
	test_must_fail kb-lint kb/a/b/nested.yaml 2>err &&
	echo "kb/a/b/nested.yaml:3: category: '\''a/b'\'' is not a category: one directory name, without '\''/'\'', not '\''.'\'' or '\''..'\'', at most 255 bytes" >expect &&
	test_cmp expect err &&
	KEFU_USER=$editor test_must_fail kb-propose -m 嵌套 kb/a/b/nested.yaml 2>err &&
	grep -F "category: '\''a/b'\'' is not a category" err &&
	git for-each-ref refs/heads/proposal >refs && test_must_fail --code=1 grep . refs
'

test_expect_success '"." and ".." are not categories either' '
	printf "id: dot\ntitle: t\ncategory: ..\nanswer: x\n" >dot.yaml &&
	test_must_fail kb-lint dot.yaml 2>err &&
	grep -F "category: '\''..'\'' is not a category" err &&
	printf "id: dot\ntitle: t\ncategory: .\nanswer: x\n" >dot.yaml &&
	test_must_fail kb-lint dot.yaml 2>err &&
	grep -F "category: '\''.'\'' is not a category" err
'

test_done
