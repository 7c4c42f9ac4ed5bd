#!/bin/sh
# ticket-report --html: one self-contained page whose numbers are those
# of --json, read back with an HTML parser, and rendered by a real
# browser (headless Chromium) into a screenshot that shows the charts.
# The daily report's cron line, run as it is written.
. "$(dirname "$0")/lib.sh"

FIX=$KEFU_SRC/tests/fixtures/report
sample_desk d
cd d || exit 1
at() { KEFU_NOW=2026-04-0$1+08:00; export KEFU_NOW; }
as() { who=$1; shift; KEFU_USER=$who "$@"; }
zw=zhang.wei@example.com sl=sun.li@example.com wh=wu.hao@example.com

# A small week: two departments, three agents, scripts used, ratings, a gap.
at 2T09:00:00; t1=$(ticket-open -c phone -u c1 -t 售后服务 -p normal "洗衣机漏水怎么办")
at 2T09:01:00; as $zw ticket-claim $t1 >/dev/null
at 2T09:04:00; as $zw ticket-update --reply "您好，请先关闭水阀" $t1
at 2T09:30:00; as $zw kb-use washer-not-draining --ticket $t1 >/dev/null
at 2T11:30:00; as $zw ticket-close --result 已处理 --satisfaction 5 $t1
at 2T11:50:00; t2=$(ticket-open -c chat -u c2 -t 售后服务 -p normal "空调不制冷")
at 2T11:51:00; as $sl ticket-claim $t2 >/dev/null
at 2T13:40:00; as $sl ticket-update --reply "请描述一下故障" $t2
at 2T13:45:00; as $sl ticket-update --transfer 技术部 --note "是制冷故障" $t2 >/dev/null
at 2T14:00:00; as $wh ticket-claim $t2 >/dev/null
at 2T14:50:00; as $wh ticket-update --worked 15m $t2
at 2T14:55:00; as $wh kb-use aircon-not-cooling --ticket $t2 --note "改成先查滤网" >/dev/null
at 2T15:00:00; as $wh ticket-close --result 已上门 --satisfaction 3 $t2
at 3T10:00:00; t3=$(ticket-open -c chat -u c3 猫砂)
at 3T10:01:00; as $zw ticket-claim $t3 >/dev/null
at 3T10:20:00; as $zw ticket-close --result 已答复 --satisfaction 4 $t3
at 3T16:00:00; t4=$(ticket-open -c email -u c4 -t 售后服务 -p normal "发票抬头错了")
at 8T12:00:00

test_expect_success 'the page is written, an HTML5 document in one piece' '
	ticket-report --week 2026-04-02 --html >page.html &&
	head -1 page.html >got && echo "<!DOCTYPE html>" >expect && test_cmp expect got &&
	tail -1 page.html >got && echo "</html>" >expect && test_cmp expect got &&
	! grep -i -e "<script" -e "<link" -e "<img" -e "url(" -e "@import" -e "https\?://[a-z]" page.html
'

# Python's HTML parser and Chromium are part of the test set-up
# (src/tools/deps.sh test): without them the page is not checked, and
# that is a failure, never a skip.
test_expect_success 'python3 and chromium are there to read and render the page' '
	command -v python3 && { command -v chromium || command -v chromium-browser; } ||
		{ echo "needs python3 and chromium: sh src/tools/deps.sh test" >&2; false; }
'

if command -v python3 >/dev/null; then
test_expect_success 'an HTML parser finds every chart, and the numbers of --json' '
	ticket-report --week 2026-04-02 --json >total.json &&
	ticket-report --week 2026-04-02 --by day --json >day.json &&
	ticket-report --week 2026-04-02 --by department --json >dept.json &&
	ticket-report --week 2026-04-02 --by agent --json >agent.json &&
	ticket-report --week 2026-04-02 --kb --json >kb.json &&
	jq -e "select(.kind == \"gap\") | .title == \"猫砂\"" kb.json &&
	python3 "$FIX/check-page.py" page.html total.json day.json dept.json agent.json kb.json >out &&
	tail -1 out | grep " checks, 0 failed\$"
'

test_expect_success 'the parser sees a wrong number, a script, a missing chart' '
	sed "0,/data-key=\"opened\" data-value=\"4\">4</s//data-key=\"opened\" data-value=\"5\">5</" page.html >bad.html &&
	! python3 "$FIX/check-page.py" bad.html total.json day.json dept.json agent.json kb.json >out &&
	grep "^page: headline opened: page 5, json 4" out &&
	sed "s|</body>|<script>document.title=1</script></body>|" page.html >bad.html &&
	! python3 "$FIX/check-page.py" bad.html total.json day.json dept.json agent.json kb.json >out &&
	grep "^page: a <script> element" out &&
	sed "s/data-chart=\"sla\"/data-chart=\"other\"/" page.html >bad.html &&
	! python3 "$FIX/check-page.py" bad.html total.json day.json dept.json agent.json kb.json >out &&
	grep "^page: the chart sla, an inline SVG" out
'

test_expect_success 'an empty week is a page too: every chart there, saying so' '
	ticket-report --week 2026-03-02 --html >empty.html &&
	ticket-report --week 2026-03-02 --json >total.json &&
	ticket-report --week 2026-03-02 --by day --json >day.json &&
	ticket-report --week 2026-03-02 --by department --json >dept.json &&
	ticket-report --week 2026-03-02 --by agent --json >agent.json &&
	ticket-report --week 2026-03-02 --kb --json >kb.json &&
	python3 "$FIX/check-page.py" empty.html total.json day.json dept.json agent.json kb.json >out &&
	grep -c "本期无数据" empty.html >n && test "$(cat n)" -ge 4
'
fi

chromium=$(command -v chromium || command -v chromium-browser)
if [ -n "$chromium" ] && command -v python3 >/dev/null; then
# Chromium as root needs --no-sandbox; its profile goes in the test's HOME.
render() {
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--no-first-run --disable-background-networking --user-data-dir="$HOME/chromium" \
		--window-size=900,2600 "$@" >chromium.log 2>&1
}
test_long 'Chromium renders the page: not blank, the bars of the charts drawn' '
	render --screenshot="$PWD/page.png" "file://$PWD/page.html" &&
	python3 "$FIX/png-colours.py" page.png ffffff 2a6fb0 f0a030 >px &&
	sed -n 1p px >got && echo 900x2600 >expect && test_cmp expect got &&
	ink=$(sed -n 2p px) && blue=$(sed -n 4p px) && orange=$(sed -n 5p px) &&
	echo "non-white $ink, blue $blue, orange $orange" &&
	test "$ink" -gt 50000 && test "$blue" -gt 5000 && test "$orange" -gt 2000
'

test_long 'a blank page would be seen as blank' '
	printf "<!DOCTYPE html><html><body></body></html>\n" >blank.html &&
	render --screenshot="$PWD/blank.png" "file://$PWD/blank.html" &&
	python3 "$FIX/png-colours.py" blank.png >px &&
	test "$(sed -n 2p px)" -eq 0
'

test_long 'printed, it is A4 pages' '
	render --print-to-pdf="$PWD/page.pdf" --no-pdf-header-footer "file://$PWD/page.html" &&
	head -c 5 page.pdf | grep -x "%PDF-" &&
	# A4 is 595 by 842 points
	grep -a -c "MediaBox \[0 0 59[45][.0-9]* 84[12][.0-9]*\]" page.pdf >pages &&
	test "$(cat pages)" -ge 2
'
fi

test_expect_success 'the cron example writes the day'\''s page into .kefu/reports/' '
	line=$(grep "^[0-9].* ticket-report --day --html" "$KEFU_SRC/man/examples/ticket-report.cron") &&
	cmd=$(echo "$line" | sed "s/^[^a-z]*//; s|cd /srv/desk|cd \"$PWD\"|") &&
	unset KEFU_NOW && sh -c "$cmd" &&
	day=$(date -d yesterday +%F) &&
	head -1 ".kefu/reports/$day.html" | grep -x "<!DOCTYPE html>" &&
	grep "data-from=\"$day\" data-to=\"$day\"" ".kefu/reports/$day.html" &&
	git check-ignore -q ".kefu/reports/$day.html"
'

test_done
