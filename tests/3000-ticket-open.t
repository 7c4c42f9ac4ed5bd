#!/bin/sh
# ticket-open: from arguments, stdin and JSON; ids; guesses; repeats.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
export KEFU_NOW=2026-03-02T10:00:00+08:00
field() { ticket-show --json "$1" | jq -r ".$2"; }

test_expect_success 'a ticket from arguments: GD, the date, a sequence of four digits' '
	ticket-open -c phone -u 13800000001 -p normal -t 技术支持 "空调不制冷" >id &&
	echo GD202603020001 >expect && test_cmp expect id &&
	ticket-open -c chat -u 13800000002 "发票开错了" >id &&
	echo GD202603020002 >expect && test_cmp expect id
'

test_expect_success 'the date is the desk'\''s (Asia/Shanghai), not UTC' '
	KEFU_NOW=2026-03-02T23:30:00Z ticket-open -u x "深夜的问题" >id &&
	echo GD202603030001 >expect && test_cmp expect id
'

test_expect_success 'the fields, as ticket-show --json gives them' '
	ticket-show --json GD202603020001 >t.json &&
	jq -c "[.id, .status, .type, .priority, .channel, .customer, .subject, .description, .department, .assignee, .created, .first_response, .satisfaction]" t.json >got &&
	echo "[\"GD202603020001\",\"new\",\"技术支持\",\"normal\",\"phone\",\"13800000001\",\"空调不制冷\",\"空调不制冷\",null,null,\"2026-03-02T10:00:00+08:00\",null,null]" >expect &&
	test_cmp expect got &&
	jq -r "keys_unsorted | .[0:19] | join(\",\")" t.json >got &&
	echo "id,status,type,priority,channel,customer,subject,description,department,assignee,created,first_response,resolved,closed,response_due,resolve_due,sla_policy,satisfaction,result" >expect &&
	test_cmp expect got
'

test_expect_success 'the description may come on stdin; the subject is its first line' '
	printf "洗衣机不排水\n程序走完了水还在桶里。\n" | ticket-open -u 13800000003 >id &&
	test "$(field "$(cat id)" subject)" = 洗衣机不排水 &&
	field "$(cat id)" description >got &&
	printf "洗衣机不排水\n程序走完了水还在桶里。\n" >expect && test_cmp expect got
'

test_expect_success 'one JSON object, every key checked' '
	echo "{\"customer\":\"wx-1\",\"channel\":\"social\",\"subject\":\"积分怎么用\",\"description\":\"积分能抵现吗\",\"tags\":[\"VIP\"],\"complexity\":3}" |
		ticket-open --json >id &&
	ticket-show --json "$(cat id)" | jq -c "[.channel, .type, .tags, .complexity]" >got &&
	echo "[\"social\",\"会员服务\",[\"VIP\"],3]" >expect && test_cmp expect got &&
	echo "{\"customer\":\"x\",\"colour\":\"red\"}" | test_must_fail ticket-open --json 2>err &&
	echo "ticket-open: unknown key '\''colour'\'' in the JSON object" >expect && test_cmp expect err &&
	echo "{\"customer\": 5.5}" | test_must_fail ticket-open --json 2>err &&
	grep -F "'\''customer'\'' must be a string or a whole number, not 5.5" err &&
	echo "{\"subject\": 5}" | test_must_fail ticket-open --json 2>err &&
	grep -F "'\''subject'\'' must be a string, not a number" err &&
	printf "{\"subject\": \"x\",}" | test_must_fail ticket-open --json 2>err &&
	grep -F "invalid JSON at line 1, column 17: expected a key in quotes" err &&
	echo "[1]" | test_must_fail ticket-open --json 2>err &&
	grep -F "expected one JSON object, not an array" err
'

test_expect_success 'an error quoting a bad value is one line, escapes shown' '
	printf "{\"customer\":\"a\\\\nb\\\\u001b[2J\"}" | test_must_fail ticket-open --json 2>err &&
	cat >expect <<-\EOT &&
	ticket-open: a customer is one line, not '"'"'a\nb\x1b[2J'"'"'
	EOT
	test_cmp expect err
'

test_expect_success 'an object of 200000 keys is read in linear time, a repeated key found' '
	awk "BEGIN { printf \"{\"; for (i = 0; i < 200000; i++) printf \"\\\"k%d\\\":%d,\", i, i
		printf \"\\\"k7\\\":0}\" }" >big.json &&
	test_must_fail timeout 60 ticket-open --json <big.json 2>err &&
	grep -F "a key given twice" err
'

test_expect_success 'type and priority guessed by classify.yaml; given ones kept' '
	ticket-open -u g1 "我的快递三天没动了" >id && test "$(field "$(cat id)" type)" = 物流查询 &&
	ticket-open -u g2 "家里热水器漏电，冒烟了" >id &&
	test "$(field "$(cat id)" priority)" = urgent &&
	ticket-open -u g3 "随便问问，不着急" >id && test "$(field "$(cat id)" priority)" = low &&
	ticket-open -u g4 "请问有什么新品推荐" >id && test "$(field "$(cat id)" type)" = 售前咨询 &&
	ticket-open -u g5 -t 建议反馈 -p high "快递太慢" >id &&
	test "$(field "$(cat id)" type)/$(field "$(cat id)" priority)" = 建议反馈/high
'

test_expect_success 'angry wording: marked, a guessed priority raised, a soothing script suggested' '
	ticket-open -u angry1 "退款半个月了还没到，骗子！" >id &&
	ticket-show --json "$(cat id)" | jq -c "[.angry, .priority, .suggest]" >got &&
	echo "[true,\"high\",\"soothe-angry-general\"]" >expect && test_cmp expect got &&
	ticket-show "$(cat id)" | grep -F "angry           yes: soothe first (kb-show soothe-angry-general)" &&
	ticket-open -u angry2 -p low "垃圾服务" >id &&
	ticket-show --json "$(cat id)" | jq -c "[.angry, .priority]" >got &&
	echo "[true,\"low\"]" >expect && test_cmp expect got
'

test_expect_success 'the same request again within the window: the open ticket, not a new one' '
	ticket-open -c chat -u r1 -s "物流不更新" "单号一直没动" >first &&
	KEFU_NOW=2026-03-02T11:30:00+08:00 ticket-open -c phone -u r1 -s "物流不更新！" "单号一直 没动" >again 2>err &&
	test_cmp first again &&
	grep -F "ticket-open: warning: $(cat first): the same request from this customer is already open" err &&
	ticket-show "$(cat first)" | grep -F "repeat" &&
	ticket-open -u r2 -s "物流不更新" "单号一直没动" >other && ! test_cmp first other &&
	KEFU_NOW=2026-03-02T12:30:00+08:00 ticket-open -u r1 -s "物流不更新" "单号一直没动" >later &&
	! test_cmp first later
'

test_expect_success 'bad values are refused, nothing written' '
	n=$(ticket-list -a | wc -l) &&
	test_must_fail ticket-open -p soon "x" 2>err &&
	echo "ticket-open: unknown priority '\''soon'\'' (urgent, high, normal or low)" >expect &&
	test_cmp expect err &&
	test_must_fail ticket-open -t 闲聊 "x" 2>err &&
	grep -F "unknown type '\''闲聊'\''" err &&
	test_must_fail ticket-open --complexity 11 "x" 2>err &&
	grep -F "option '\''--complexity'\'' wants a number from 1 to 10" err &&
	test_must_fail ticket-open -u x </dev/null 2>err &&
	grep -F "nothing to open a ticket for" err &&
	test "$(ticket-list -a | wc -l)" = "$n"
'

test_expect_success 'only people of roles.yaml open tickets' '
	KEFU_USER=visitor@example.com test_must_fail ticket-open "x" 2>err &&
	grep -F "refused: '\''visitor@example.com'\'' is not in workflows/roles.yaml" err
'

test_expect_success 'the desk database: WAL, versioned, and every change an event' '
	if on_postgres; then
		test "$(desk_sql "SELECT version FROM kefu_schema")" = 3
	else
		test "$(sqlite3 .kefu/desk.db "PRAGMA journal_mode")" = wal &&
		test "$(sqlite3 .kefu/desk.db "PRAGMA user_version")" = 3
	fi &&
	desk_sql "SELECT count(*) FROM tickets WHERE id NOT IN (SELECT ticket FROM events WHERE what = '\''open'\'')" >n &&
	echo 0 >expect && test_cmp expect n
'

test_expect_success 'the tickets survive the index: kb-index --full and a lost index.db' '
	n=$(ticket-list -a | wc -l) &&
	rm -f .kefu/index.db && kb-index --full &&
	test "$(ticket-list -a | wc -l)" = "$n"
'

test_done
