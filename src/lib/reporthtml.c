#include "reporthtml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The page is built from a few parts: a number marked with its key
 * (what ticket-report --json calls it), tables of records, and SVG bar
 * charts drawn in a fixed viewBox that scales with the page. Every mark
 * of a chart carries its series and group, so a program can read the
 * chart back as numbers.
 */

static void esc(struct sbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			sbuf_adds(sb, "&amp;");
			break;
		case '<':
			sbuf_adds(sb, "&lt;");
			break;
		case '>':
			sbuf_adds(sb, "&gt;");
			break;
		case '"':
			sbuf_adds(sb, "&quot;");
			break;
		case '\'':
			sbuf_adds(sb, "&#39;");
			break;
		default:
			sbuf_addch(sb, *s);
		}
	}
}

enum kind { K_INT, K_SHARE, K_SCORE };

/* A figure as JSON writes it; null as "null". */
static void figure_text(int64_t v, enum kind k, char out[32])
{
	if (v == FIGURE_NONE)
		snprintf(out, 32, "null");
	else if (k == K_SHARE)
		snprintf(out, 32, "%.*f", 4, (double)v / 10000.0);
	else if (k == K_SCORE)
		snprintf(out, 32, "%.*f", 2, (double)v / 100.0);
	else
		snprintf(out, 32, "%lld", (long long)v);
}

/* A duration for people: 1h05m, 12m30s, 45s. */
static void human(int64_t s, char out[32])
{
	if (s >= 3600)
		snprintf(out, 32, "%lldh%02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(out, 32, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	else
		snprintf(out, 32, "%llds", (long long)s);
}

/* <span class="n" data-key="KEY">VALUE</span>, "–" shown for null. */
static void number(struct sbuf *sb, const char *key, int64_t v, enum kind k, int seconds)
{
	char t[32];
	figure_text(v, k, t);
	sbuf_adds(sb, "<span class=\"n\" data-key=\"");
	esc(sb, key);
	sbuf_addf(sb, "\" data-value=\"%s\">%s</span>", t, v == FIGURE_NONE ? "–" : t);
	if (seconds && v != FIGURE_NONE && v >= 60) {
		human(v, t);
		sbuf_addf(sb, " <small>(%s)</small>", t);
	}
}

static void met_mark(struct sbuf *sb, const char *key, int met)
{
	sbuf_addf(sb, "<span class=\"met %s\" data-key=\"%s_met\" data-value=\"%s\">%s</span>",
		  met < 0 ? "none" : met ? "yes" : "no", key,
		  met < 0 ? "null" : met ? "true" : "false",
		  met < 0 ? "" : met ? "✓ 达标" : "✗ 未达标");
}

static enum kind target_kind(enum target_figure f)
{
	return f == TARGET_FCR ? K_SHARE : f == TARGET_CSAT ? K_SCORE : K_INT;
}

/* ---- the headline figures against their targets ---- */

struct headline {
	const char *key, *label;
	enum kind kind;
	int seconds;
	int target; /* a target_figure, or -1 */
};

static const struct headline headlines[] = {
	{ "opened", "新建工单", K_INT, 0, -1 },
	{ "resolved", "解决工单", K_INT, 0, -1 },
	{ "backlog", "期末积压", K_INT, 0, -1 },
	{ "first_response_mean", "首次响应 平均 (秒)", K_INT, 1, TARGET_FIRST_RESPONSE_MEAN },
	{ "first_response_median", "首次响应 中位数 (秒)", K_INT, 1, -1 },
	{ "first_response_p90", "首次响应 P90 (秒)", K_INT, 1, -1 },
	{ "resolution_mean", "解决时长 平均 (秒)", K_INT, 1, TARGET_RESOLUTION_MEAN },
	{ "resolution_median", "解决时长 中位数 (秒)", K_INT, 1, -1 },
	{ "resolution_p90", "解决时长 P90 (秒)", K_INT, 1, -1 },
	{ "response_met", "响应时限达成率", K_SHARE, 0, -1 },
	{ "resolve_met", "解决时限达成率", K_SHARE, 0, -1 },
	{ "fcr", "一次解决率", K_SHARE, 0, TARGET_FCR },
	{ "csat", "满意度 (1-5)", K_SCORE, 0, TARGET_CSAT },
	{ "rated", "评价数", K_INT, 0, -1 },
	{ "satisfied", "满意 (4-5) 占比", K_SHARE, 0, -1 },
	{ "handle_mean", "平均处理时长 (秒)", K_INT, 1, TARGET_HANDLE_MEAN },
	{ "reopened", "重开", K_INT, 0, -1 },
	{ "escalated", "升级", K_INT, 0, -1 },
	{ "urged", "催单", K_INT, 0, -1 },
	{ "kb_uses", "话术使用", K_INT, 0, -1 },
};
#define NHEADLINES (sizeof(headlines) / sizeof(headlines[0]))

static int64_t value_of(const struct report_figures *g, const char *key)
{
	const struct {
		const char *key;
		int64_t v;
	} map[] = {
		{ "opened", g->opened },
		{ "resolved", g->resolved },
		{ "backlog", g->backlog },
		{ "first_response_mean", g->first_response_mean },
		{ "first_response_median", g->first_response_median },
		{ "first_response_p90", g->first_response_p90 },
		{ "resolution_mean", g->resolution_mean },
		{ "resolution_median", g->resolution_median },
		{ "resolution_p90", g->resolution_p90 },
		{ "response_met", g->response_met },
		{ "resolve_met", g->resolve_met },
		{ "fcr", g->fcr },
		{ "csat", g->csat },
		{ "rated", g->rated },
		{ "satisfied", g->satisfied },
		{ "handle_mean", g->handle_mean },
		{ "reopened", g->reopened },
		{ "escalated", g->escalated },
		{ "urged", g->urged },
		{ "kb_uses", g->kb_uses },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].key, key))
			return map[i].v;
	return FIGURE_NONE;
}

static void headline_table(struct sbuf *sb, const struct report_figures *g)
{
	sbuf_adds(sb, "<section id=\"figures\" data-record=\"total\" data-group=\"*\">\n"
		      "<h2>核心指标与目标</h2>\n<table class=\"figures\">\n"
		      "<tr><th>指标</th><th>本期</th><th>目标</th><th>达标</th></tr>\n");
	for (size_t i = 0; i < NHEADLINES; i++) {
		const struct headline *h = &headlines[i];
		sbuf_addf(sb, "<tr><th>%s <code>%s</code></th><td>", h->label, h->key);
		number(sb, h->key, value_of(g, h->key), h->kind, h->seconds);
		sbuf_adds(sb, "</td><td>");
		if (h->target >= 0) {
			char key[64];
			snprintf(key, sizeof(key), "%s_target", h->key);
			number(sb, key, g->targets.v[h->target], target_kind(h->target), h->seconds);
			sbuf_adds(sb, "</td><td>");
			met_mark(sb, h->key, report_target_met(g, h->target));
		} else {
			sbuf_adds(sb, "</td><td>");
		}
		sbuf_adds(sb, "</td></tr>\n");
	}
	sbuf_adds(sb, "</table>\n</section>\n");
}

/* ---- charts ---- */

#define W 640
#define H 240
#define LEFT 48
#define RIGHT 12
#define TOP 16
#define BOTTOM 44

static int64_t nice_max(int64_t m)
{
	static const int64_t steps[] = { 1, 2, 5 };
	for (int64_t p = 1;; p *= 10)
		for (int i = 0; i < 3; i++)
			if (steps[i] * p * 4 >= m)
				return steps[i] * p * 4;
}

static void svg_begin(struct sbuf *sb, const char *name, const char *title)
{
	sbuf_addf(sb,
		  "<figure data-chart=\"%s\">\n<svg "
		  "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		  name, W, H);
	esc(sb, title);
	sbuf_adds(sb, "\">\n");
}

static void svg_end(struct sbuf *sb, const char *caption)
{
	sbuf_adds(sb, "</svg>\n<figcaption>");
	esc(sb, caption);
	sbuf_adds(sb, "</figcaption>\n</figure>\n");
}

/* The y axis from 0 to max, four steps; labels by fmt (share: percent). */
static void axis(struct sbuf *sb, int64_t max, int percent)
{
	int plot = H - TOP - BOTTOM;
	for (int i = 0; i <= 4; i++) {
		int y = TOP + plot - plot * i / 4;
		sbuf_addf(sb, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, y,
			  W - RIGHT, y);
		if (percent)
			sbuf_addf(sb, "<text class=\"ax\" x=\"%d\" y=\"%d\">%d%%</text>\n", LEFT - 6,
				  y + 4, 25 * i);
		else
			sbuf_addf(sb, "<text class=\"ax\" x=\"%d\" y=\"%d\">%lld</text>\n", LEFT - 6,
				  y + 4, (long long)(max * i / 4));
	}
}

struct bar {
	const char *series; /* data-series */
	const char *group;  /* data-group */
	int64_t value;      /* drawn */
	const char *text;   /* data-value, as JSON writes it */
	int cls;            /* colour: 0, 1 */
};

/*
 * Bars in groups of per, n in all, labels under each group; values
 * scaled to max (a share: out of 10000).
 */
static void bars(struct sbuf *sb, const struct bar *b, size_t n, size_t per, int64_t max,
		 char *const *labels)
{
	int plot = H - TOP - BOTTOM, width = W - LEFT - RIGHT;
	size_t groups = per ? (n + per - 1) / per : 0;
	if (!groups)
		return;
	int gw = width / (int)groups;
	int bw = (gw * 8 / 10) / (int)per;
	if (bw < 1)
		bw = 1;
	size_t every = groups > 16 ? (groups + 15) / 16 : 1;
	for (size_t i = 0; i < n; i++) {
		size_t g = i / per, k = i % per;
		int64_t v = b[i].value > 0 ? b[i].value : 0;
		int h = max > 0 ? (int)(v * plot / max) : 0;
		int x = LEFT + (int)g * gw + gw / 10 + (int)k * bw;
		sbuf_addf(sb, "<rect class=\"s%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			      "data-series=\"%s\" data-group=\"",
			  b[i].cls, x, TOP + plot - h, bw > 1 ? bw - 1 : 1, h, b[i].series);
		esc(sb, b[i].group);
		sbuf_addf(sb, "\" data-value=\"%s\"><title>", b[i].text);
		esc(sb, b[i].group);
		sbuf_addf(sb, " %s: %s</title></rect>\n", b[i].series, b[i].text);
		if (k == 0 && labels && g % every == 0) {
			sbuf_addf(sb, "<text class=\"lb\" x=\"%d\" y=\"%d\">", x + gw * 4 / 10,
				  TOP + plot + 16);
			esc(sb, labels[g]);
			sbuf_adds(sb, "</text>\n");
		}
	}
}

static void legend(struct sbuf *sb, const char *a, const char *b)
{
	sbuf_addf(sb,
		  "<rect class=\"s0\" x=\"%d\" y=\"%d\" width=\"10\" height=\"10\"/>"
		  "<text class=\"lg\" x=\"%d\" y=\"%d\">%s</text>",
		  LEFT, H - 14, LEFT + 14, H - 5, a);
	if (b)
		sbuf_addf(sb,
			  "<rect class=\"s1\" x=\"%d\" y=\"%d\" width=\"10\" height=\"10\"/>"
			  "<text class=\"lg\" x=\"%d\" y=\"%d\">%s</text>\n",
			  LEFT + 120, H - 14, LEFT + 134, H - 5, b);
}

static void empty(struct sbuf *sb)
{
	sbuf_addf(sb, "<text class=\"empty\" x=\"%d\" y=\"%d\">本期无数据</text>\n", W / 2,
		  H / 2);
}

static const struct report_view *view(const struct report *r, enum report_by by)
{
	for (size_t i = 0; i < r->nviews; i++)
		if (r->views[i].by == by)
			return &r->views[i];
	return NULL;
}

static void chart_daily(struct sbuf *sb, const struct report_view *v)
{
	size_t n = v ? v->n : 0;
	struct bar *b = xcalloc(2 * n + 1, sizeof(*b));
	char **labels = xcalloc(n + 1, sizeof(*labels));
	char (*text)[32] = xcalloc(2 * n + 1, sizeof(*text));
	int64_t max = 0;
	for (size_t i = 0; i < n; i++) {
		const struct report_figures *g = &v->v[i];
		labels[i] = g->group + 5; /* MM-DD */
		figure_text(g->opened, K_INT, text[2 * i]);
		figure_text(g->resolved, K_INT, text[2 * i + 1]);
		b[2 * i] = (struct bar){ "opened", g->group, g->opened, text[2 * i], 0 };
		b[2 * i + 1] = (struct bar){ "resolved", g->group, g->resolved, text[2 * i + 1], 1 };
		if (g->opened > max)
			max = g->opened;
		if (g->resolved > max)
			max = g->resolved;
	}
	max = nice_max(max);
	svg_begin(sb, "daily", "每日新建与解决工单");
	axis(sb, max, 0);
	bars(sb, b, 2 * n, 2, max, labels);
	legend(sb, "新建 opened", "解决 resolved");
	svg_end(sb, "每日新建与解决工单数 (opened, resolved)");
	free(b);
	free(labels);
	free(text);
}

/* Where a time falls on the axis of buckets, each gw wide: across its bar, by its share. */
static int bucket_x(int64_t secs, int gw)
{
	int i = figure_bucket(secs);
	double share = 0.5;
	if (i < FIGURE_BUCKETS - 1) {
		double lo = (double)figure_bucket_edge[i], hi = (double)figure_bucket_edge[i + 1];
		share = ((double)secs - lo) / (hi - lo);
	}
	return LEFT + i * gw + gw / 10 + (int)(share * (gw * 8 / 10));
}

static void chart_times(struct sbuf *sb, const char *name, const char *title,
			const int64_t *hist, int64_t target, int64_t mean)
{
	static const char *const edge[FIGURE_BUCKETS] = {
		"<30s", "30s–1m", "1–2m", "2–5m", "5–10m", "10–30m",
		"30m–1h", "1–2h", "2–4h", "4–8h", "8–24h", "≥24h",
	};
	struct bar b[FIGURE_BUCKETS];
	char text[FIGURE_BUCKETS][32];
	int64_t max = 0, total = 0;
	for (int i = 0; i < FIGURE_BUCKETS; i++) {
		figure_text(hist[i], K_INT, text[i]);
		b[i] = (struct bar){ "tickets", edge[i], hist[i], text[i], 0 };
		if (hist[i] > max)
			max = hist[i];
		total += hist[i];
	}
	max = nice_max(max);
	svg_begin(sb, name, title);
	axis(sb, max, 0);
	if (total)
		bars(sb, b, FIGURE_BUCKETS, 1, max, (char *const *)edge);
	else
		empty(sb);
	int gw = (W - LEFT - RIGHT) / FIGURE_BUCKETS;
	if (target != FIGURE_NONE) {
		int x = bucket_x(target, gw);
		char h[32];
		human(target, h);
		sbuf_addf(sb,
			  "<line class=\"target\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			  "data-key=\"target\" data-value=\"%lld\"/>"
			  "<text class=\"tl\" x=\"%d\" y=\"%d\">目标 %s</text>\n",
			  x, TOP, x, H - BOTTOM, (long long)target, x + 3, TOP + 10, h);
	}
	if (mean != FIGURE_NONE) {
		int x = bucket_x(mean, gw);
		char h[32];
		human(mean, h);
		sbuf_addf(sb,
			  "<line class=\"mean\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
			  "<text class=\"ml\" x=\"%d\" y=\"%d\">平均 %s</text>\n",
			  x, TOP + 14, x, H - BOTTOM, x + 3, TOP + 24, h);
	}
	svg_end(sb, title);
}

static void chart_sla(struct sbuf *sb, const struct report_view *v)
{
	size_t n = v ? v->n : 0;
	struct bar *b = xcalloc(2 * n + 1, sizeof(*b));
	char (*text)[32] = xcalloc(2 * n + 1, sizeof(*text));
	char **labels = xcalloc(n + 1, sizeof(*labels));
	for (size_t i = 0; i < n; i++) {
		const struct report_figures *g = &v->v[i];
		labels[i] = g->group[0] ? g->group : "(未分配)";
		figure_text(g->response_met, K_SHARE, text[2 * i]);
		figure_text(g->resolve_met, K_SHARE, text[2 * i + 1]);
		b[2 * i] = (struct bar){ "response_met", g->group, g->response_met, text[2 * i], 0 };
		b[2 * i + 1] =
			(struct bar){ "resolve_met", g->group, g->resolve_met, text[2 * i + 1], 1 };
	}
	svg_begin(sb, "sla", "各部门SLA达成率");
	axis(sb, 10000, 1);
	if (n)
		bars(sb, b, 2 * n, 2, 10000, labels);
	else
		empty(sb);
	legend(sb, "响应 response_met", "解决 resolve_met");
	svg_end(sb, "各部门SLA时限达成率 (response_met, resolve_met)");
	free(b);
	free(text);
	free(labels);
}

static void chart_csat(struct sbuf *sb, const struct report_figures *g)
{
	static const char *const score[5] = { "1", "2", "3", "4", "5" };
	static const char *const label[5] = { "1 很不满意", "2 不满意", "3 一般", "4 满意",
					      "5 很满意" };
	struct bar b[5];
	char text[5][32];
	int64_t max = 0;
	for (int i = 0; i < 5; i++) {
		figure_text(g->scores[i], K_INT, text[i]);
		b[i] = (struct bar){ "rated", score[i], g->scores[i], text[i], i >= 3 };
		if (g->scores[i] > max)
			max = g->scores[i];
	}
	max = nice_max(max);
	svg_begin(sb, "satisfaction", "满意度分布");
	axis(sb, max, 0);
	if (g->rated)
		bars(sb, b, 5, 1, max, (char *const *)label);
	else
		empty(sb);
	svg_end(sb, "客户满意度评分分布 (1-5)");
}

/* ---- tables ---- */

static const struct {
	const char *key, *label;
} table_cols[] = {
	{ "opened", "新建" },		  { "resolved", "解决" },	  { "backlog", "积压" },
	{ "first_response_mean", "首响均值" }, { "resolution_mean", "解决均值" },
	{ "response_met", "响应达成" },	  { "resolve_met", "解决达成" },   { "fcr", "一次解决" },
	{ "csat", "满意度" },		  { "rated", "评价" },		  { "handle_mean", "处理均值" },
	{ "reopened", "重开" },		  { "escalated", "升级" },	  { "urged", "催单" },
	{ "kb_uses", "话术" },
};
#define NTABLE (sizeof(table_cols) / sizeof(table_cols[0]))

static enum kind key_kind(const char *key)
{
	for (size_t i = 0; i < NHEADLINES; i++)
		if (!strcmp(headlines[i].key, key))
			return headlines[i].kind;
	return K_INT;
}

static void group_table(struct sbuf *sb, const struct report_view *v, const char *id,
			const char *title)
{
	sbuf_addf(sb, "<section id=\"%s\" data-by=\"%s\">\n<h2>%s</h2>\n", id,
		  report_by_name(v->by), title);
	if (!v->n) {
		sbuf_adds(sb, "<p class=\"empty\">本期无数据</p>\n</section>\n");
		return;
	}
	sbuf_addf(sb, "<table class=\"groups\">\n<tr><th>%s</th>",
		  v->by == REPORT_BY_AGENT ? "坐席" : v->by == REPORT_BY_DEPARTMENT ? "部门" : "分组");
	for (size_t k = 0; k < NTABLE; k++)
		sbuf_addf(sb, "<th title=\"%s\">%s</th>", table_cols[k].key, table_cols[k].label);
	sbuf_adds(sb, "</tr>\n");
	for (size_t i = 0; i < v->n; i++) {
		const struct report_figures *g = &v->v[i];
		sbuf_adds(sb, "<tr data-group=\"");
		esc(sb, g->group);
		sbuf_adds(sb, "\"><th>");
		esc(sb, g->group[0] ? g->group : "(未分配)");
		sbuf_adds(sb, "</th>");
		for (size_t k = 0; k < NTABLE; k++) {
			sbuf_adds(sb, "<td>");
			number(sb, table_cols[k].key, value_of(g, table_cols[k].key),
			       key_kind(table_cols[k].key), 0);
			sbuf_adds(sb, "</td>");
		}
		sbuf_adds(sb, "</tr>\n");
	}
	sbuf_adds(sb, "</table>\n</section>\n");
}

static void kb_tables(struct sbuf *sb, const struct kb_report *k)
{
	sbuf_adds(sb, "<section id=\"scripts\">\n<h2>常用话术 (前十)</h2>\n");
	if (!k->nused) {
		sbuf_adds(sb, "<p class=\"empty\">本期未记录话术使用</p>\n");
	} else {
		sbuf_adds(sb, "<table class=\"kb\">\n<tr><th>id</th><th>title</th><th>uses</th>"
			      "<th>adjusted</th><th>tickets</th></tr>\n");
		for (size_t i = 0; i < k->nused && i < 10; i++) {
			const struct kb_report_entry *e = &k->v[i];
			sbuf_adds(sb, "<tr data-id=\"");
			esc(sb, e->id);
			sbuf_adds(sb, "\"><td><code>");
			esc(sb, e->id);
			sbuf_adds(sb, "</code></td><td>");
			esc(sb, e->title ? e->title : "");
			sbuf_adds(sb, "</td><td>");
			number(sb, "uses", e->uses, K_INT, 0);
			sbuf_adds(sb, "</td><td>");
			number(sb, "adjusted", e->adjusted, K_INT, 0);
			sbuf_adds(sb, "</td><td>");
			number(sb, "tickets", e->tickets, K_INT, 0);
			sbuf_adds(sb, "</td></tr>\n");
		}
		sbuf_adds(sb, "</table>\n");
	}
	sbuf_adds(sb, "</section>\n<section id=\"gaps\">\n<h2>知识缺口</h2>\n"
		      "<p class=\"note\">本期解决、未使用话术且知识库检索不到的问题：待沉淀的经验。</p>\n");
	if (!k->ngaps) {
		sbuf_adds(sb, "<p class=\"empty\">本期无知识缺口</p>\n");
	} else {
		sbuf_adds(sb, "<table class=\"kb\">\n<tr><th>subject</th><th>tickets</th></tr>\n");
		for (size_t i = 0; i < k->ngaps && i < 20; i++) {
			sbuf_adds(sb, "<tr data-gap=\"");
			esc(sb, k->gaps[i].subject);
			sbuf_adds(sb, "\"><td>");
			esc(sb, k->gaps[i].subject);
			sbuf_adds(sb, "</td><td>");
			number(sb, "tickets", k->gaps[i].tickets, K_INT, 0);
			sbuf_adds(sb, "</td></tr>\n");
		}
		sbuf_adds(sb, "</table>\n");
	}
	sbuf_adds(sb, "</section>\n");
}

static const char style[] =
	"@page{size:A4;margin:14mm}\n"
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\","
	"\"Hiragino Sans GB\",\"Microsoft YaHei\",\"WenQuanYi Micro Hei\",\"Droid Sans Fallback\","
	"sans-serif;color:#222;background:#fff;max-width:182mm;margin:0 auto;padding:8px;"
	"font-size:10.5pt;line-height:1.45}\n"
	"h1{font-size:18pt;margin:0 0 4px}h2{font-size:13pt;border-bottom:2px solid #2a6fb0;"
	"padding-bottom:2px;margin:18px 0 8px}\n"
	".period{color:#555;margin:0 0 10px}\n"
	"table{border-collapse:collapse;width:100%;font-size:9pt}\n"
	"th,td{border:1px solid #ccd;padding:2px 5px;text-align:right}\n"
	"th:first-child,td:first-child{text-align:left}\n"
	"table.figures th{font-weight:normal}code{font-size:8pt;color:#667}\n"
	"table.groups{font-size:7.5pt}table.groups th:first-child{word-break:break-all;"
	"max-width:30mm}\n"
	".met.yes{color:#1a7f37;font-weight:bold}.met.no{color:#c62828;font-weight:bold}\n"
	"figure{margin:10px 0;break-inside:avoid;page-break-inside:avoid}\n"
	"figcaption{font-size:9pt;color:#555;text-align:center}\n"
	"svg{width:100%;height:auto;display:block}\n"
	"svg text{font-size:10px;fill:#333}svg .ax{text-anchor:end}svg .lb{text-anchor:middle}\n"
	"svg .grid{stroke:#e3e6ea;stroke-width:1}\n"
	"svg .s0{fill:#2a6fb0}svg .s1{fill:#f0a030}\n"
	"svg .target{stroke:#c62828;stroke-width:2;stroke-dasharray:6 3}svg .tl{fill:#c62828}\n"
	"svg .mean{stroke:#1a7f37;stroke-width:2}svg .ml{fill:#1a7f37}\n"
	"svg .empty{text-anchor:middle;fill:#999;font-size:14px}\n"
	".empty,.note{color:#777}\n"
	"section{break-inside:auto}\n"
	"@media print{body{max-width:none;padding:0}h2{break-after:avoid}}\n";

void report_html(const struct report *r, const struct kb_report *k, enum report_by by,
		 struct sbuf *page)
{
	const struct report_figures *g = &r->total;
	const char *kind = !strcmp(r->period.first, r->period.last) ? "服务数据日报"
			   : r->period.key[0] && strchr(r->period.key, 'W') ? "服务数据周报"
			   : r->period.key[0] && strlen(r->period.key) == 7  ? "服务数据月报"
									     : "服务数据报告";
	sbuf_addf(page,
		  "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<title>%s %s – %s</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		  "<h1>%s</h1>\n<p class=\"period\" data-from=\"%s\" data-to=\"%s\">统计周期 %s 至 %s"
		  "（含），时间按营业时间计（秒），暂停时间不计</p>\n",
		  kind, r->period.first, r->period.last, style, kind, r->period.first,
		  r->period.last, r->period.first, r->period.last);
	headline_table(page, g);

	sbuf_adds(page, "<section id=\"charts\">\n<h2>趋势与分布</h2>\n");
	chart_daily(page, view(r, REPORT_BY_DAY));
	chart_times(page, "first-response", "首次响应时长分布", g->response_hist,
		    g->targets.v[TARGET_FIRST_RESPONSE_MEAN], g->first_response_mean);
	chart_times(page, "resolution", "解决时长分布", g->resolution_hist,
		    g->targets.v[TARGET_RESOLUTION_MEAN], g->resolution_mean);
	chart_sla(page, view(r, REPORT_BY_DEPARTMENT));
	chart_csat(page, g);
	sbuf_adds(page, "</section>\n");

	const struct report_view *agents = view(r, REPORT_BY_AGENT);
	if (agents)
		group_table(page, agents, "agents", "坐席明细");
	const struct report_view *depts = view(r, REPORT_BY_DEPARTMENT);
	if (depts)
		group_table(page, depts, "departments", "部门明细");
	if (by != REPORT_BY_NONE && by != REPORT_BY_AGENT && by != REPORT_BY_DEPARTMENT &&
	    by != REPORT_BY_DAY) {
		const struct report_view *extra = NULL;
		for (size_t i = r->nviews; i-- > 0;)
			if (r->views[i].by == by)
				extra = &r->views[i];
		if (extra)
			group_table(page, extra, "extra", "分组明细");
	}
	if (k)
		kb_tables(page, k);
	sbuf_adds(page, "</body>\n</html>\n");
}
