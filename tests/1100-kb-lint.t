#!/bin/sh
# kb-lint: every problem of every entry, as FILE:LINE: key: problem.
. "$(dirname "$0")/lib.sh"

test_expect_success 'the sample desk is clean' '
	sample_desk s &&
	kb-lint -C s >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success 'problems of several files, all at once, exit 2' '
	empty_desk d &&
	mkdir -p d/kb/售后服务 &&
	printf "id: a\ntitle: t\ncategory: 售后服务\nanswer: x\n" >d/kb/售后服务/a.yaml &&
	printf "id: b\ntitle: [t]\ncategory: 售后服务\nanswr: x\n" >d/kb/售后服务/b.yaml &&
	printf "id: c\ntitle: t\ncategory: 别的\nanswer: x\nexpires: 2024-13-01\n" >d/kb/售后服务/c.yaml &&
	test_must_fail kb-lint -C d 2>err &&
	cat >expect <<-\EOT &&
	kb/售后服务/b.yaml:2: title: expected a string, not a list
	kb/售后服务/b.yaml:4: answr: unknown key (did you mean '"'"'answer'"'"'?)
	kb/售后服务/b.yaml:1: answer: required key is missing
	kb/售后服务/c.yaml:5: expires: '"'"'2024-13-01'"'"' is not a date YYYY-MM-DD
	kb/售后服务/c.yaml:3: category: '"'"'别的'"'"' does not match the directory '"'"'kb/售后服务'"'"'
	EOT
	test_cmp expect err
'

test_expect_success 'a file given by name, and a directory' '
	test_must_fail kb-lint d/kb/售后服务/b.yaml 2>err &&
	test_line_count err = 3 &&
	grep "^d/kb/售后服务/b.yaml:2: title:" err &&
	kb-lint d/kb/售后服务/a.yaml &&
	test_must_fail kb-lint d/kb 2>err && test_line_count err = 5
'

test_expect_success 'an id used twice is named with both files' '
	mkdir -p d2/kb/x d2/kb/y &&
	printf "id: same\ntitle: t\ncategory: x\nanswer: a\n" >d2/kb/x/same.yaml &&
	printf "id: same\ntitle: t\ncategory: y\nanswer: a\n" >d2/kb/y/same.yaml &&
	test_must_fail kb-lint d2/kb 2>err &&
	echo "d2/kb/y/same.yaml:1: id: '"'"'same'"'"' is also the id of '"'"'d2/kb/x/same.yaml'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'invalid UTF-8, aliases and a huge file are one clear line each' '
	mkdir -p e/kb/c &&
	printf "id: u\ntitle: \351\n" >e/kb/c/u.yaml &&
	printf "id: a\ntitle: &x t\ncategory: c\nanswer: *x\n" >e/kb/c/a.yaml &&
	head -c 1100000 /dev/zero | tr "\0" a >e/kb/c/h.yaml &&
	test_must_fail kb-lint e/kb 2>err &&
	cat >expect <<-\EOT &&
	e/kb/c/a.yaml:2: anchors (&name) are not allowed
	e/kb/c/h.yaml: file too large (over 1048576 bytes)
	e/kb/c/u.yaml:2: invalid UTF-8 (byte 0xE9 at offset 13)
	EOT
	test_cmp expect err
'

test_expect_success 'a problem quoting text of several lines or escapes is still one line' '
	mkdir -p m/kb/c &&
	printf "id: m\ntitle: t\ncategory: c\nanswer: x\nexpires: \"2026-01-01\\\\n\\\\e[2J\"\n" >m/kb/c/m.yaml &&
	test_must_fail kb-lint m/kb/c/m.yaml 2>err &&
	cat >expect <<-\EOT &&
	m/kb/c/m.yaml:5: expires: '"'"'2026-01-01\n\x1b[2J'"'"' is not a date YYYY-MM-DD
	EOT
	test_cmp expect err &&
	sample_desk w &&
	sed "s/\"13:30-18:00\"/\"13:30\\\\n-18:00\"/" w/workflows/calendars.yaml >cal &&
	mv cal w/workflows/calendars.yaml &&
	test_must_fail kb-lint -C w 2>err &&
	grep "^workflows/calendars.yaml:20: weekdays: " err >line &&
	test_line_count line = 1 &&
	grep -F "weekdays: '"'"'13:30\\n-18:00'"'"' is not a range HH:MM-HH:MM" err
'

test_expect_success 'workflows/roles.yaml is checked too, before anyone commits it' '
	cat >s/workflows/roles.yaml <<-\EOT &&
	people:
	  - email: li.na@example.com
	    roles: [agent, boss]
	    capacity: many
	  - email: not-an-email
	    roles: [qa]
	  - email: li.na@example.com
	    roles: [qa]
	EOT
	test_must_fail kb-lint -C s 2>err &&
	cat >expect <<-\EOT &&
	workflows/roles.yaml:3: roles: unknown role '\''boss'\'' (agent, editor, supervisor or qa)
	workflows/roles.yaml:4: capacity: expected a whole number from 1 to 100000, not '\''many'\''
	workflows/roles.yaml:5: email: '\''not-an-email'\'' is not an email address
	workflows/roles.yaml:7: email: '\''li.na@example.com'\'' is listed twice
	EOT
	test_cmp expect err &&
	test_must_fail kb-lint s/workflows/roles.yaml 2>err && test_line_count err = 4 &&
	git -C s checkout -q workflows/roles.yaml && kb-lint -C s
'

test_expect_success 'the workflow files are checked against each other' '
	sed -i "s/department: 技术部/department: 火星部/" s/workflows/roles.yaml &&
	sed -i "s/calendar: 24x7/calendar: never/" s/workflows/sla.yaml &&
	printf "calendars:\n  business:\n    zone: Mars/Olympus\n    weekdays: [\"09:00-18:00\"]\n" >s/workflows/calendars.yaml &&
	test_must_fail kb-lint -C s 2>err &&
	grep "^workflows/calendars.yaml:3: zone: " err &&
	git -C s checkout -q workflows/calendars.yaml &&
	test_must_fail kb-lint -C s 2>err &&
	grep -F "department: '\''火星部'\''" err &&
	grep "^workflows/sla.yaml:.*calendar: '\''never'\''" err &&
	git -C s checkout -q workflows && kb-lint -C s
'

test_expect_success 'a missing file is an error naming it' '
	test_must_fail kb-lint nowhere.yaml 2>err &&
	grep -F "nowhere.yaml: cannot read: No such file or directory" err
'

test_expect_success 'outside a desk, without files, says how to find one' '
	mkdir lonely && cd lonely &&
	test_must_fail kb-lint 2>err &&
	grep -F "kb-lint: not in a desk" err
'

test_done
