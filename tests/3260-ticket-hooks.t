#!/bin/sh
# Hooks on every ticket event: workflows/hooks/EVENT gets the event and
# the ticket as JSON on stdin, after the change is committed; a hook that
# fails is reported and undoes nothing. And the example hook that mails
# the customer through sendmail, with a fake sendmail that records what
# it was given.
. "$(dirname "$0")/lib.sh"

sample_desk d
cd d || exit 1
agent=zhang.wei@example.com   # 售后部
sup=zhou.min@example.com
at() { KEFU_NOW=2026-03-02T$1+08:00; export KEFU_NOW; }
as() { who=$1; shift; KEFU_USER=$who "$@"; }
field() { ticket-show --json "$1" | jq -r ".$2"; }
events="opened assigned replied pending resolved closed reopened escalated followup-due"

# Every hook appends its name, the ticket's status as the desk has it
# while the hook runs, and its input to one log.
mkdir -p workflows/hooks
for e in $events; do
	cat >workflows/hooks/$e <<-EOT
	#!/bin/sh
	json=\$(cat)
	id=\$(printf '%s\n' "\$json" | jq -r .ticket.id)
	printf '%s\t%s\t%s\n' "\$1" "\$(ticket-show --json "\$id" | jq -r .status)" "\$json" >>"$TEST_DIR/hooks"
	EOT
	chmod +x workflows/hooks/$e
done
# events: the hooks run so far, one name a line
ran() { cut -f1 "$TEST_DIR/hooks" | tr '\n' ' ' | sed 's/ $//'; }
at 10:00:00

test_expect_success 'opened, then assigned by routing, each with the ticket as JSON' '
	id=$(ticket-open -c email -u wang@example.cn -t 售后服务 -s 退款 "退款还没到") && echo "$id" >../id &&
	test "$(ran)" = opened &&
	ticket-route "$id" >/dev/null &&
	test "$(ran)" = "opened assigned" &&
	sed -n 2p "$TEST_DIR/hooks" | cut -f3 | jq -c "[.event, .who, .note, .ticket.id, .ticket.assignee, .ticket.status]" >got &&
	echo "[\"assigned\",\"li.na@example.com\",\"售后部 by sticky\",\"$id\",\"$agent\",\"assigned\"]" >expect &&
	test_cmp expect got &&
	head -1 "$TEST_DIR/hooks" | cut -f3 | jq -r "keys_unsorted | join(\" \")" >got &&
	echo "event at who note ticket" >expect && test_cmp expect got
'

test_expect_success 'a hook runs after the commit: it reads the change it reports' '
	cut -f1,2 "$TEST_DIR/hooks" >got &&
	printf "opened\tnew\nassigned\tassigned\n" >expect && test_cmp expect got
'

test_expect_success 'replied carries what was said; pending, resolved, closed, reopened follow the status' '
	id=$(cat ../id) && : >"$TEST_DIR/hooks" &&
	at 10:05:00 && as $agent ticket-update --reply "已加急处理，请稍候" --status pending "$id" &&
	test "$(ran)" = "replied pending" &&
	head -1 "$TEST_DIR/hooks" | cut -f3 | jq -r .note >got && echo "已加急处理，请稍候" >expect && test_cmp expect got &&
	at 11:00:00 && as $agent ticket-update --status resolved "$id" &&
	as $agent ticket-close -r 已退款 "$id" &&
	as $agent ticket-reopen --note "客户说没收到" "$id" &&
	test "$(ran)" = "replied pending resolved closed reopened" &&
	tail -1 "$TEST_DIR/hooks" | cut -f3 | jq -c "[.event, .note, .ticket.status]" >got &&
	echo "[\"reopened\",\"客户说没收到\",\"open\"]" >expect && test_cmp expect got
'

test_expect_success 'escalated, by an unsatisfied customer, says why and to whom' '
	id=$(cat ../id) && : >"$TEST_DIR/hooks" &&
	as $agent ticket-close -r 已退款 -s 1 "$id" 2>err &&
	test "$(ran)" = "closed reopened assigned escalated" &&
	test "$(tail -1 "$TEST_DIR/hooks" | cut -f2)" = open &&
	tail -1 "$TEST_DIR/hooks" | cut -f3 |
		jq -c "[.reason, .clock, .supervisor, .ticket.assignee, .ticket.satisfaction]" >got &&
	echo "[\"unsatisfied\",null,\"$sup\",\"$sup\",1]" >expect && test_cmp expect got
'

test_expect_success 'what is refused runs no hook' '
	id=$(cat ../id) && : >"$TEST_DIR/hooks" &&
	as $agent test_must_fail ticket-update --status pending "$id" 2>err &&
	as $agent test_must_fail ticket-update --transfer 技术部 --note x "$id" 2>err &&
	test ! -s "$TEST_DIR/hooks"
'

test_expect_success 'a hook that fails is reported; the change stands, the command succeeds' '
	id=$(cat ../id) &&
	printf "#!/bin/sh\ncat >/dev/null\nexit 3\n" >workflows/hooks/replied &&
	as $sup ticket-update --reply "主管已介入" "$id" 2>err &&
	echo "ticket-update: warning: hook '\''$PWD/workflows/hooks/replied'\'' failed (exit 3)" >expect &&
	test_cmp expect err &&
	ticket-show --json "$id" | jq -r "[.events[] | select(.what == \"reply\")] | last | .note" >got &&
	echo "主管已介入" >expect && test_cmp expect got
'

test_expect_success 'a hook that is not executable, or missing, is not run' '
	id=$(cat ../id) && : >"$TEST_DIR/hooks" &&
	chmod -x workflows/hooks/pending && rm workflows/hooks/assigned &&
	as $sup ticket-update --status pending "$id" 2>err && test ! -s err &&
	test ! -s "$TEST_DIR/hooks"
'

# The example hook, as the man page says to install it, with a sendmail
# that keeps each mail it is given in sent/N/: its arguments, its text.
KEFU_SENDMAIL=$TEST_DIR/bin/sendmail KEFU_MAIL_FROM=kefu@example.com
export KEFU_SENDMAIL KEFU_MAIL_FROM
# subject N: mail N's subject, decoded
subject() {
	sed -n "s/^Subject: =?UTF-8?B?\(.*\)?=\$/\1/p" "$TEST_DIR/sent/$1/mail" | base64 -d && echo
}

test_expect_success 'the mail hook: a fake sendmail, an acknowledgement with the id' '
	empty_desk ../m && cd ../m && cp -r ../d/workflows . && rm -rf workflows/hooks &&
	git add -A && git commit -q -m sample &&
	mkdir -p workflows/hooks "$TEST_DIR/bin" &&
	cp "$KEFU_SRC/man/examples/mail-customer" workflows/hooks/opened && chmod +x workflows/hooks/opened &&
	ln -s opened workflows/hooks/replied && ln -s opened workflows/hooks/closed &&
	cat >"$TEST_DIR/bin/sendmail" <<-EOT &&
	#!/bin/sh
	n=\$(ls "$TEST_DIR/sent" 2>/dev/null | wc -l)
	mkdir -p "$TEST_DIR/sent/\$n" && printf "%s\n" "\$@" >"$TEST_DIR/sent/\$n/args" && cat >"$TEST_DIR/sent/\$n/mail"
	EOT
	chmod +x "$TEST_DIR/bin/sendmail" &&
	printf "From: 王女士 <wang@example.cn>\nSubject: 空调漏水\nMessage-ID: <a1@example.cn>\nContent-Type: text/plain; charset=utf-8\n\n空调一直漏水。\n" >first.eml &&
	id=$(ticket-open --email <first.eml) && echo "$id" >../mid &&
	printf -- "-i\n-f\nkefu@example.com\n--\nwang@example.cn\n" >expect && test_cmp expect "$TEST_DIR/sent/0/args" &&
	mail=$TEST_DIR/sent/0/mail &&
	grep -x "To: wang@example.cn" "$mail" &&
	grep -x "Content-Type: text/plain; charset=UTF-8" "$mail" &&
	subject 0 >subject &&
	echo "[$id] 已收到您的来信：空调漏水" >expect && test_cmp expect subject &&
	grep -F "工单号 $id" "$mail"
'

test_expect_success 'the customer answers the acknowledgement: the answer threads back to the ticket' '
	cd ../m && id=$(cat ../mid) &&
	{ printf "From: wang@example.cn\nSubject: Re: %s\nContent-Type: text/plain; charset=utf-8\n\n" "$(cat subject)" &&
	  echo "下午两点后在家。"; } >answer.eml &&
	ticket-open --email <answer.eml >got 2>err && echo "$id" >expect && test_cmp expect got &&
	ticket-show "$id" | grep -F "customer  \"下午两点后在家。\"" &&
	test "$(ls "$TEST_DIR/sent" | wc -l)" = 1
'

test_expect_success 'the mail hook: the reply text, then a survey on close' '
	cd ../m && id=$(cat ../mid) &&
	as $sup ticket-update --transfer zhang.wei@example.com --note 售后处理 "$id" >/dev/null &&
	as $agent ticket-update --reply "师傅明天下午上门检修。" "$id" &&
	mail=$TEST_DIR/sent/1/mail &&
	subject 1 >got && echo "Re: [$id] 空调漏水" >expect && test_cmp expect got &&
	grep -x "师傅明天下午上门检修。" "$mail" &&
	as $agent ticket-close -r "更换排水管" "$id" &&
	mail=$TEST_DIR/sent/2/mail &&
	grep -x "更换排水管" "$mail" && grep -F "请为本次服务打分" "$mail"
'

test_expect_success 'the mail hook: no survey once a score is given; a phone customer is not mailed' '
	cd ../m && id=$(cat ../mid) &&
	as $agent ticket-reopen "$id" && as $agent ticket-close -r "再次确认" -s 5 "$id" &&
	mail=$TEST_DIR/sent/3/mail && grep -x "再次确认" "$mail" && ! grep -F "打分" "$mail" &&
	n=$(ls "$TEST_DIR/sent" | wc -l) &&
	ticket-open -c phone -u 13800000001 "电话来的" >/dev/null &&
	test "$(ls "$TEST_DIR/sent" | wc -l)" = "$n"
'

test_expect_success 'the mail hook: sendmail failing is a warning; the ticket is opened all the same' '
	cd ../m && printf "#!/bin/sh\ncat >/dev/null\nexit 75\n" >"$TEST_DIR/bin/sendmail" &&
	id=$(ticket-open -c email -u zhao@example.cn -s 发票 "发票抬头错了" 2>err) &&
	grep -F "ticket-open: warning: hook '\''$PWD/workflows/hooks/opened'\'' failed (exit 75)" err &&
	test "$(field "$id" customer)" = zhao@example.cn
'

test_done
