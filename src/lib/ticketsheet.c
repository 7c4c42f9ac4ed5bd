#include "ticketsheet.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "followup.h"
#include "isotime.h"
#include "mask.h"
#include "sbuf.h"
#include "slaclock.h"
#include "tickethook.h"

/* ---- writing ---- */

static const char *const sheet_fields[] = {
	"id",	       "status",	 "type",	 "priority",   "channel",
	"customer",    "subject",	 "description",	 "department", "assignee",
	"created",     "first_response", "resolved",	 "closed",     "response_due",
	"resolve_due", "sla_policy",	 "satisfaction", "result",     NULL,
};

struct sheet_writer {
	struct session *s;
	FILE *fp;
	const struct dump_options *opt;
	struct sbuf row;
	long n;
};

static enum kf_status write_row(void *ctx, const struct ticket *t, struct kf_err *err)
{
	struct sheet_writer *w = ctx;
	sbuf_reset(&w->row);
	for (size_t k = 0; sheet_fields[k]; k++) {
		const char *name = sheet_fields[k];
		char buf[32];
		char *owned = NULL;
		const char *v = NULL;
		size_t i = 0;
		while (i < ticket_nfields && strcmp(ticket_fields[i].name, name))
			i++;
		if (!strcmp(name, "id")) {
			v = t->id;
		} else if (ticket_fields[i].type == TF_TEXT) {
			v = *ticket_text(t, i);
			if (v && !w->opt->unmask && (!strcmp(name, "customer") || !strcmp(name, "subject") ||
						     !strcmp(name, "description") || !strcmp(name, "result")))
				v = owned = mask_text(v);
		} else if (ticket_fields[i].type == TF_TIME) {
			int64_t at = *ticket_num(t, i);
			if (at != TIME_NONE) {
				struct instant in = { at, workflows_offset(&w->s->wf, at) };
				iso_format(&in, 0, buf);
				v = buf;
			}
		} else if (*ticket_num(t, i)) {
			snprintf(buf, sizeof(buf), "%lld", (long long)*ticket_num(t, i));
			v = buf;
		}
		csv_field(&w->row, v, k == 0, CSV_SAFE);
		free(owned);
	}
	csv_end(&w->row);
	w->n++;
	if (fwrite(w->row.buf, 1, w->row.len, w->fp) != w->row.len)
		return kf_fail(err, KF_EIO, "cannot write the export: %s", strerror(errno));
	return KF_OK;
}

enum kf_status sheet_write(struct session *s, FILE *fp, const struct dump_options *o, int bom,
			   long *n, struct kf_err *err)
{
	struct sheet_writer w = { .s = s, .fp = fp, .opt = o, .row = SBUF_INIT };
	struct ticket_filter f;
	ticket_filter_init(&f);
	f.since = o->since;
	f.until = o->until;
	f.order = TICKET_BY_ID;
	if (bom)
		sbuf_adds(&w.row, CSV_BOM);
	for (size_t k = 0; sheet_fields[k]; k++)
		csv_field(&w.row, sheet_fields[k], k == 0, 0);
	csv_end(&w.row);
	enum kf_status st = KF_OK;
	if (fwrite(w.row.buf, 1, w.row.len, fp) != w.row.len)
		st = kf_fail(err, KF_EIO, "cannot write the export: %s", strerror(errno));
	if (!st)
		st = store_tickets_each(s->store, &f, write_row, &w, err);
	sbuf_release(&w.row);
	*n = w.n;
	return st;
}

/* ---- reading a sheet ---- */

enum col {
	C_ID,
	C_STATUS,
	C_TYPE,
	C_PRIORITY,
	C_CHANNEL,
	C_CUSTOMER,
	C_SUBJECT,
	C_DESCRIPTION,
	C_DEPARTMENT,
	C_ASSIGNEE,
	C_CREATED,
	C_FIRST_RESPONSE,
	C_RESOLVED,
	C_CLOSED,
	C_SATISFACTION,
	C_RESULT,
	C_FEEDBACK,
	NCOLS,
	C_CLOCK,   /* what the SLA policy decides: read, not used */
	C_UNKNOWN,
};

/* The names a column goes by, as csv_header_key() makes them, separated by spaces. */
static const char *const col_names[] = {
	[C_ID] = "id ticket 工单编号 工单号 编号",
	[C_STATUS] = "status 状态 工单状态 处理状态",
	[C_TYPE] = "type 问题类型 类型 工单类型",
	[C_PRIORITY] = "priority 紧急程度 优先级",
	[C_CHANNEL] = "channel 咨询渠道 渠道 来源渠道",
	[C_CUSTOMER] = "customer 客户信息 客户 联系方式 客户联系方式",
	[C_SUBJECT] = "subject 主题 标题 问题简述",
	[C_DESCRIPTION] = "description 描述详情 问题描述 描述 详情",
	[C_DEPARTMENT] = "department 处理部门 部门",
	[C_ASSIGNEE] = "assignee 客服人员 处理人 负责人 客服",
	[C_CREATED] = "created 创建时间 咨询日期 登记时间",
	[C_FIRST_RESPONSE] = "first_response 首次响应时间 首次回复时间",
	[C_RESOLVED] = "resolved 反馈时间 解决时间",
	[C_CLOSED] = "closed 关闭时间",
	[C_SATISFACTION] = "satisfaction 满意度 满意度评分",
	[C_RESULT] = "result 处理结果",
	[C_FEEDBACK] = "feedback 客户反馈",
	[C_CLOCK] = "response_due resolve_due sla_policy 要求反馈时限 响应时限 解决时限",
};

static enum col column_of(const char *header)
{
	char *key = csv_header_key(header);
	enum col found = C_UNKNOWN;
	size_t n = strlen(key);
	for (int c = 0; c <= C_CLOCK && found == C_UNKNOWN && n; c++) {
		const char *names = col_names[c];
		for (const char *p = names ? names : ""; *p;) {
			size_t len = strcspn(p, " ");
			if (len == n && !memcmp(p, key, n)) {
				found = (enum col)c;
				break;
			}
			p += len + (p[len] == ' ');
		}
	}
	free(key);
	return found;
}

/* A word as people write it, and the word kefu keeps. */
struct word {
	const char *said, *meant;
};

static const struct word priority_words[] = {
	{ "urgent", "urgent" }, { "紧急", "urgent" }, { "特急", "urgent" }, { "加急", "urgent" },
	{ "非常紧急", "urgent" }, { "high", "high" }, { "高", "high" },	{ "重要", "high" },
	{ "高优先级", "high" },   { "较急", "high" },	{ "normal", "normal" }, { "普通", "normal" },
	{ "一般", "normal" },     { "中", "normal" },	{ "正常", "normal" },   { "中优先级", "normal" },
	{ "low", "low" },	  { "低", "low" },	{ "低优先级", "low" },	{ "不急", "low" },
	{ NULL, NULL },
};

static const struct word channel_words[] = {
	{ "电话", "phone" },    { "热线", "phone" },    { "来电", "phone" },  { "在线客服", "chat" },
	{ "在线", "chat" },     { "聊天", "chat" },     { "微信", "chat" },   { "邮件", "email" },
	{ "电子邮件", "email" }, { "邮箱", "email" },   { "e-mail", "email" }, { "社交媒体", "social" },
	{ "微博", "social" },   { NULL, NULL },
};

static const struct word status_words[] = {
	{ "new", "new" },	{ "assigned", "assigned" }, { "open", "open" },	   { "pending", "pending" },
	{ "resolved", "resolved" }, { "closed", "closed" },
	{ "新建", "new" },	{ "待处理", "new" },	 { "未处理", "new" },	   { "已分配", "assigned" },
	{ "已派单", "assigned" }, { "处理中", "open" },	 { "跟进中", "open" },	   { "等待客户", "pending" },
	{ "待客户回复", "pending" }, { "挂起", "pending" }, { "已解决", "resolved" }, { "已处理", "resolved" },
	{ "已关闭", "closed" },	{ "已完成", "closed" },	 { "已结案", "closed" },   { NULL, NULL },
};

static const struct word satisfaction_words[] = {
	{ "非常满意", "5" }, { "满意", "4" }, { "基本满意", "3" }, { "一般", "3" },
	{ "不满意", "2" },   { "非常不满意", "1" }, { NULL, NULL },
};

static const char *word_of(const struct word *w, const char *said)
{
	for (; w->said; w++)
		if (!strcasecmp(w->said, said))
			return w->meant;
	return NULL;
}

/* One row read: the ticket it makes, and what the desk needs to place it. */
struct row {
	struct ticket t;
	long row;
	char day[9];
	int64_t seq;       /* its sheet id's sequence when kept, else 0 */
	char *sheet_id;    /* the sheet's id when it is not kept */
};

struct sheet {
	struct session *s;
	const char *file;
	problem_fn fn, note;
	void *ctx, *nctx;
	long problems;
	struct held held; /* the problems, told by row at the end */
	int col[NCOLS];        /* the column of each field, -1 when none */
	char **headers;        /* as written */
	size_t nheaders;
	struct row *rows;
	size_t nrows, arows;
};

__attribute__((format(printf, 4, 5))) static void problem(struct sheet *sh, long row,
							 const char *column, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;
	sbuf_addf(&sb, "%s:%ld: %s%s", sh->file, row, column ? column : "", column ? ": " : "");
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	char one[1024];
	kf_one_line(one, sizeof(one), sb.buf);
	held_add(&sh->held, row, one);
	sh->problems++;
	sbuf_release(&sb);
}

__attribute__((format(printf, 2, 3))) static void note(struct sheet *sh, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (sh->note) {
		char one[1024];
		kf_one_line(one, sizeof(one), sb.buf);
		sh->note(sh->nctx, one);
	}
	sbuf_release(&sb);
}

/* The name a field's column has in this sheet, else its English one. */
static const char *header(const struct sheet *sh, enum col c)
{
	static const char *const keys[NCOLS] = {
		"id",	    "status",	"type",		  "priority", "channel",
		"customer", "subject",	"description",	  "department", "assignee",
		"created",  "first_response", "resolved", "closed",   "satisfaction",
		"result",   "feedback",
	};
	return sh->col[c] >= 0 ? sh->headers[sh->col[c]] : keys[c];
}

static void read_header(struct sheet *sh, const struct csv_record *rec)
{
	for (int c = 0; c < NCOLS; c++)
		sh->col[c] = -1;
	sh->headers = xcalloc(rec->n + 1, sizeof(*sh->headers));
	sh->nheaders = rec->n;
	for (size_t i = 0; i < rec->n; i++) {
		const char *h = rec->fields[i];
		sh->headers[i] = xstrdup(h);
		enum col c = column_of(h);
		if (c == C_UNKNOWN) {
			if (*h)
				note(sh, "%s: column '%s' is not a ticket field: ignored", sh->file, h);
		} else if (c == C_CLOCK) {
			note(sh, "%s: column '%s' ignored: due times come from workflows/sla.yaml",
			     sh->file, h);
		} else if (sh->col[c] >= 0) {
			problem(sh, rec->row, h, "the same field as column '%s'", sh->headers[sh->col[c]]);
		} else {
			sh->col[c] = (int)i;
		}
	}
	if (sh->col[C_CREATED] < 0)
		problem(sh, rec->row, NULL, "no column for when a ticket was created (created, 创建时间)");
	if (sh->col[C_SUBJECT] < 0 && sh->col[C_DESCRIPTION] < 0)
		problem(sh, rec->row, NULL,
			"no column for what a ticket is about (subject, 主题; description, 描述详情)");
}

/* A row's value of field c, trimmed; NULL when empty or absent. */
static char *value(const struct sheet *sh, const struct csv_record *rec, enum col c)
{
	int i = sh->col[c];
	if (i < 0 || (size_t)i >= rec->n)
		return NULL;
	const char *v = rec->fields[i];
	size_t b = 0, e = strlen(v);
	while (b < e && (v[b] == ' ' || v[b] == '\t'))
		b++;
	while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t' || v[e - 1] == '\n' || v[e - 1] == '\r'))
		e--;
	/* a one-line field: its line breaks are a spreadsheet's wrapping */
	return e > b ? xstrndup(v + b, e - b) : NULL;
}

/* Read n digits (at least 1, at most max) at *p. */
static int digits(const char **p, int max, int *out)
{
	int v = 0, k = 0;
	while (k < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (*(*p)++ - '0');
		k++;
	}
	*out = v;
	return k > 0;
}

static int skip(const char **p, const char *const *seps)
{
	for (const char *const *s = seps; *s; s++)
		if (!strncmp(*p, *s, strlen(*s))) {
			*p += strlen(*s);
			return 1;
		}
	return 0;
}

/*
 * A time as people write it, made ISO 8601: 2026-03-02 14:30,
 * 2026/3/2 14:30:05, 2026.03.02, 2026年3月2日 14:30, and an offset
 * when one is given. 0 when it is none of them.
 */
static int iso_of(const char *s, char out[64])
{
	static const char *const datesep[] = { "-", "/", ".", "年", "月", NULL };
	static const char *const dayend[] = { "日", "号", NULL };
	static const char *const timesep[] = { "T", " ", "\xE3\x80\x80", NULL };
	static const char *const colon[] = { ":", "\xEF\xBC\x9A", NULL }; /* : or ： */
	const char *p = s;
	int y, m, d, hh = 0, mm = 0, ss = 0, timed = 0;
	if (!digits(&p, 4, &y) || p - s != 4 || !skip(&p, datesep) || !digits(&p, 2, &m) ||
	    !skip(&p, datesep) || !digits(&p, 2, &d))
		return 0;
	skip(&p, dayend);
	while (skip(&p, timesep))
		;
	if (*p >= '0' && *p <= '9') {
		if (!digits(&p, 2, &hh) || !skip(&p, colon) || !digits(&p, 2, &mm))
			return 0;
		if (skip(&p, colon) && !digits(&p, 2, &ss))
			return 0;
		timed = 1;
	}
	while (*p == ' ')
		p++;
	if (*p && *p != 'Z' && *p != '+' && *p != '-')
		return 0;
	if (*p && !timed)
		return 0;
	if (strlen(p) > 6)
		return 0;
	if (timed)
		snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d, hh, mm, ss, p);
	else
		snprintf(out, 64, "%04d-%02d-%02d", y, m, d);
	return 1;
}

static int64_t read_time(struct sheet *sh, const struct csv_record *rec, enum col c, int64_t now)
{
	char *v = value(sh, rec, c), iso[64];
	int64_t t = TIME_NONE;
	struct kf_err e;
	if (!v)
		return TIME_NONE;
	if (!iso_of(v, iso) || workflows_time(&sh->s->wf, iso, &t, &e)) {
		problem(sh, rec->row, header(sh, c), "not a time '%.40s' (write 2026-03-02 14:30)", v);
		t = TIME_NONE;
	} else if (t > now) {
		problem(sh, rec->row, header(sh, c), "%.40s is later than now", v);
	}
	free(v);
	return t;
}

static const struct person *person_named(const struct roles *roles, const char *who)
{
	const struct person *p = roles_find(roles, who);
	for (size_t i = 0; !p && i < roles->n; i++)
		if (roles->v[i].name && !strcmp(roles->v[i].name, who))
			p = &roles->v[i];
	return p;
}

/* The sheet's word for c, made kefu's by words (NULL: any one-line word). */
static char *read_word(struct sheet *sh, const struct csv_record *rec, enum col c,
		       const struct word *words, const char *what)
{
	char *v = value(sh, rec, c);
	if (!v)
		return NULL;
	const char *w = words ? word_of(words, v) : NULL;
	if (w) {
		free(v);
		return xstrdup(w);
	}
	if (c == C_PRIORITY || c == C_STATUS) {
		problem(sh, rec->row, header(sh, c), "'%.40s' is not %s", v, what);
		free(v);
		return NULL;
	}
	if (strpbrk(v, "\n\r\t")) {
		problem(sh, rec->row, header(sh, c), "one line, not '%.40s'", v);
		free(v);
		return NULL;
	}
	return v;
}

static void read_row(struct sheet *sh, const struct csv_record *rec, int64_t now)
{
	struct workflows *wf = &sh->s->wf;
	struct row r;
	long before = sh->problems;
	memset(&r, 0, sizeof(r));
	r.row = rec->row;
	ticket_init(&r.t);
	struct ticket *t = &r.t;
	t->created = read_time(sh, rec, C_CREATED, now);
	if (t->created == TIME_NONE && sh->problems == before)
		problem(sh, rec->row, header(sh, C_CREATED), "empty: when was it opened?");
	t->first_response = read_time(sh, rec, C_FIRST_RESPONSE, now);
	t->resolved = read_time(sh, rec, C_RESOLVED, now);
	t->closed = read_time(sh, rec, C_CLOSED, now);
	static const enum col later[] = { C_FIRST_RESPONSE, C_RESOLVED, C_CLOSED };
	int64_t times[] = { t->first_response, t->resolved, t->closed };
	for (int k = 0; k < 3; k++)
		if (times[k] != TIME_NONE && t->created != TIME_NONE && times[k] < t->created)
			problem(sh, rec->row, header(sh, later[k]), "before it was created (%s)",
				header(sh, C_CREATED));
	t->priority = read_word(sh, rec, C_PRIORITY, priority_words, "urgent, high, normal or low (紧急, 高, 普通, 低)");
	t->channel = read_word(sh, rec, C_CHANNEL, channel_words, NULL);
	t->status = read_word(sh, rec, C_STATUS, status_words,
			      "a status (new, assigned, open, pending, resolved, closed)");
	if (t->status && !ticket_status_valid(t->status)) {
		problem(sh, rec->row, header(sh, C_STATUS), "'%.40s' is not a status", t->status);
		ticket_set(&t->status, NULL);
	}
	t->customer = read_word(sh, rec, C_CUSTOMER, NULL, NULL);
	t->subject = read_word(sh, rec, C_SUBJECT, NULL, NULL);
	t->description = value(sh, rec, C_DESCRIPTION);
	t->result = value(sh, rec, C_RESULT);
	t->feedback = value(sh, rec, C_FEEDBACK);
	if (!t->subject && !t->description)
		problem(sh, rec->row, header(sh, sh->col[C_SUBJECT] >= 0 ? C_SUBJECT : C_DESCRIPTION),
			"empty: what is the ticket about?");
	if (!t->subject && t->description) {
		size_t n = strcspn(t->description, "\n"), chars = 0, i = 0;
		while (i < n && chars < 40) {
			i++;
			while (i < n && ((unsigned char)t->description[i] & 0xC0) == 0x80)
				i++;
			chars++;
		}
		t->subject = xstrndup(t->description, i);
	}
	char *type = value(sh, rec, C_TYPE);
	if (type && !classify_type_known(&wf->classify, type))
		problem(sh, rec->row, header(sh, C_TYPE),
			"unknown type '%.40s' (workflows/classify.yaml lists the types)", type);
	char *dept = value(sh, rec, C_DEPARTMENT);
	if (dept && wf->has_routing && !routing_find(&wf->routing, dept))
		problem(sh, rec->row, header(sh, C_DEPARTMENT),
			"unknown department '%.40s' (workflows/routing.yaml names them)", dept);
	t->department = dept;
	char *who = value(sh, rec, C_ASSIGNEE);
	if (who) {
		const struct person *p = person_named(&wf->roles, who);
		if (!p)
			problem(sh, rec->row, header(sh, C_ASSIGNEE),
				"'%.40s' is nobody in workflows/roles.yaml (an e-mail or a name)", who);
		else
			t->assignee = xstrdup(p->email);
		free(who);
	}
	char *score = value(sh, rec, C_SATISFACTION);
	if (score) {
		const char *w = word_of(satisfaction_words, score);
		char *end;
		long v = strtol(w ? w : score, &end, 10);
		if (!strcmp(end, "分"))
			end += strlen(end);
		if (end == (w ? w : score) || *end || v < 1 || v > 5)
			problem(sh, rec->row, header(sh, C_SATISFACTION),
				"'%.40s' is not a score from 1 to 5", score);
		else
			t->satisfaction = v;
		free(score);
	}
	/* What the sheet leaves out, guessed as ticket-open guesses it. */
	struct sbuf text = SBUF_INIT;
	struct guess g;
	sbuf_addf(&text, "%s\n%s", t->subject ? t->subject : "", t->description ? t->description : "");
	classify_guess(&wf->classify, text.buf, type, t->priority, &g);
	sbuf_release(&text);
	ticket_set(&t->type, g.type);
	ticket_set(&t->priority, g.priority);
	t->angry = g.angry;
	ticket_set(&t->suggest, g.angry ? g.suggest : NULL);
	free(type);
	if (!t->status)
		ticket_set(&t->status, t->closed != TIME_NONE ? "closed"
				       : t->resolved != TIME_NONE || t->result ? "resolved"
				       : t->assignee ? "assigned"
						     : "new");
	if (!ticket_is_open(t->status)) {
		if (t->resolved == TIME_NONE)
			t->resolved = t->closed;
		if (t->resolved == TIME_NONE && t->created != TIME_NONE)
			problem(sh, rec->row, header(sh, C_RESOLVED),
				"empty, but the ticket is %s: when was it?", t->status);
		if (!strcmp(t->status, "closed") && t->closed == TIME_NONE)
			t->closed = t->resolved;
	} else if (t->resolved != TIME_NONE || t->closed != TIME_NONE) {
		problem(sh, rec->row, header(sh, C_STATUS), "%s, but it has a time it was %s",
			t->status, t->closed != TIME_NONE ? "closed" : "resolved");
	}
	if ((!strcmp(t->status, "assigned") || !strcmp(t->status, "open")) && !t->assignee)
		problem(sh, rec->row, header(sh, C_ASSIGNEE), "empty, but the ticket is %s",
			t->status);
	/* The sheet's id: kept when it is one of its day's. */
	char *id = value(sh, rec, C_ID);
	if (id && t->created != TIME_NONE) {
		char day[9];
		ticket_day(t->created, workflows_offset(wf, t->created), day);
		if (ticket_id_parse(id, r.day, &r.seq) && !strcmp(r.day, day)) {
			snprintf(t->id, sizeof(t->id), "%s", id);
		} else {
			r.seq = 0;
			r.sheet_id = xstrdup(id);
		}
		for (size_t k = 0; k < sh->nrows && t->id[0]; k++)
			if (!strcmp(sh->rows[k].t.id, t->id))
				problem(sh, rec->row, header(sh, C_ID), "%s is on row %ld too", id,
					sh->rows[k].row);
	}
	free(id);
	if (t->created != TIME_NONE && !t->id[0])
		ticket_day(t->created, workflows_offset(wf, t->created), r.day);
	t->resolve_start = t->created;
	t->updated = t->created;
	for (int k = 0; k < 3; k++)
		if (times[k] != TIME_NONE && times[k] > t->updated)
			t->updated = times[k];
	ALLOC_GROW(sh->rows, sh->nrows + 1, sh->arows);
	sh->rows[sh->nrows++] = r;
}

/* The clocks it had by its policy, as if it had been opened then. */
static enum kf_status clocks(struct session *s, struct ticket *t, struct kf_err *err)
{
	struct ticket probe;
	ticket_copy(&probe, t);
	ticket_set(&probe.status, "new");
	probe.first_response = TIME_NONE;
	const struct sla_policy *p = sla_after_change(&s->wf.sla, NULL, &probe);
	const struct calendar *cal = p ? calendars_find(&s->wf.calendars, p->calendar) : NULL;
	enum kf_status st = sla_set_dues(p, cal, &probe, NULL, 0, probe.created, err);
	if (!st) {
		ticket_set(&t->sla_policy, probe.sla_policy);
		t->response_due = probe.response_due;
		t->resolve_due = probe.resolve_due;
	}
	ticket_release(&probe);
	return st;
}

/* Open one row's ticket, as its id says: a kept one, or seq of its day. */
static enum kf_status open_row(struct sheet *sh, struct row *r, struct kf_err *err)
{
	struct session *s = sh->s;
	struct ticket_record rec;
	struct ticket_event ev;
	struct span pause = { s->who.when.t, TIME_NONE };
	enum kf_status st;
	memset(&rec, 0, sizeof(rec));
	if ((st = clocks(s, &r->t, err)))
		return st;
	ticket_id(r->day, r->seq, r->t.id);
	rec.t = r->t;
	memcpy(rec.day, r->day, sizeof(rec.day));
	rec.seq = r->seq;
	char *note = r->sheet_id ? xasprintf("imported from %s, row %ld (%s in the sheet)",
					     sh->file, r->row, r->sheet_id)
				 : xasprintf("imported from %s, row %ld", sh->file, r->row);
	memset(&ev, 0, sizeof(ev));
	snprintf(ev.ticket, sizeof(ev.ticket), "%s", r->t.id);
	ev.at = r->t.created;
	ev.who = s->who.email;
	ev.what = "open";
	ev.note = note;
	rec.events = &ev;
	rec.nevents = 1;
	/* Waiting on the customer when the desk came back: paused from then. */
	if (!strcmp(r->t.status, "pending")) {
		rec.pauses = &pause;
		rec.npauses = 1;
	}
	st = store_record_put(s->store, &rec, err);
	if (st == KF_EEXIST)
		problem(sh, r->row, header(sh, C_ID), "%s is in the desk already: never overwritten",
			r->t.id);
	else if (!st)
		st = followup_on_change(s, NULL, &r->t, err);
	free(note);
	return st == KF_EEXIST ? KF_OK : st;
}

static int by_day_time(const void *a, const void *b)
{
	const struct row *x = *(struct row *const *)a, *y = *(struct row *const *)b;
	int c = strcmp(x->day, y->day);
	if (c)
		return c;
	if (x->t.created != y->t.created)
		return x->t.created < y->t.created ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Kept ids first, then each day's new ones in the order they were opened. */
static enum kf_status open_all(struct sheet *sh, struct kf_err *err)
{
	enum kf_status st = KF_OK;
	for (size_t i = 0; i < sh->nrows && !st; i++)
		if (sh->rows[i].seq)
			st = open_row(sh, &sh->rows[i], err);
	if (st || sh->problems)
		return st;
	struct row **fresh = xcalloc(sh->nrows + 1, sizeof(*fresh));
	size_t n = 0;
	for (size_t i = 0; i < sh->nrows; i++)
		if (!sh->rows[i].seq)
			fresh[n++] = &sh->rows[i];
	qsort(fresh, n, sizeof(*fresh), by_day_time);
	for (size_t i = 0; i < n && !st;) {
		size_t k = i;
		while (k < n && !strcmp(fresh[k]->day, fresh[i]->day))
			k++;
		/* The day's next number for the first, the rest after it, the mark raised. */
		int64_t first;
		if ((st = store_ticket_seq_next(sh->s->store, fresh[i]->day, &first, err)))
			break;
		for (size_t j = i; j < k && !st; j++) {
			fresh[j]->seq = first + (int64_t)(j - i);
			st = open_row(sh, fresh[j], err);
		}
		struct desk_record d = { .kind = DESK_SEQUENCE, .name = fresh[i]->day,
					 .seq = first + (int64_t)(k - i) - 1 };
		if (!st)
			st = store_desk_put(sh->s->store, &d, err);
		i = k;
	}
	free(fresh);
	return st;
}

static void sheet_release(struct sheet *sh)
{
	for (size_t i = 0; i < sh->nrows; i++) {
		ticket_release(&sh->rows[i].t);
		free(sh->rows[i].sheet_id);
	}
	free(sh->rows);
	for (size_t i = 0; i < sh->nheaders; i++)
		free(sh->headers[i]);
	free(sh->headers);
}

enum kf_status sheet_import(struct session *s, const char *text, size_t len, const char *file,
			    problem_fn fn, void *ctx, problem_fn notefn, void *nctx,
			    import_confirm_fn confirm, void *cctx, struct kf_err *err)
{
	struct sheet sh = { .s = s, .file = file, .fn = fn, .ctx = ctx, .note = notefn,
			    .nctx = nctx };
	struct sbuf utf8 = SBUF_INIT;
	struct csv_reader rd;
	struct csv_record rec;
	struct kf_err e;
	const char *charset;
	enum kf_status st;
	int rc;
	if ((st = csv_decode(text, len, &utf8, &charset, &e))) {
		problem(&sh, 0, NULL, "%s", e.msg);
		held_tell(&sh.held, fn, ctx);
		sbuf_release(&utf8);
		return kf_fail(err, KF_EINVAL, "nothing imported: '%s' is not a spreadsheet's text",
			       file);
	}
	note(&sh, "%s: read as %s", file, charset);
	csv_reader_init(&rd, utf8.buf, utf8.len, CSV_SAFE);
	int header_read = 0;
	while ((rc = csv_next(&rd, &rec, &e)) > 0) {
		if (!header_read++)
			read_header(&sh, &rec);
		else
			read_row(&sh, &rec, s->who.when.t);
	}
	if (rc < 0)
		problem(&sh, rd.row + 1, NULL, "%s", e.msg);
	if (!header_read)
		problem(&sh, 1, NULL, "no header row: the sheet is empty");
	csv_reader_release(&rd);
	sbuf_release(&utf8);
	if (sh.problems) {
		/* Told with the rest: the kept ids the desk has already, read only. */
		for (size_t i = 0; i < sh.nrows && !st; i++) {
			struct ticket t;
			struct row *r = &sh.rows[i];
			if (!r->seq)
				continue;
			ticket_id(r->day, r->seq, r->t.id);
			st = store_ticket_get(s->store, r->t.id, &t, err);
			if (!st) {
				problem(&sh, r->row, header(&sh, C_ID),
					"%s is in the desk already: never overwritten", r->t.id);
				ticket_release(&t);
			} else if (st == KF_ENOTFOUND) {
				st = KF_OK;
			}
		}
	} else {
		ticket_hooks_drop(s);
		if (!(st = store_begin(s->store, err))) {
			st = open_all(&sh, err);
			if (!st && sh.problems)
				st = KF_EINVAL;
			if (!st && confirm) {
				struct imported *v = xcalloc(sh.nrows + 1, sizeof(*v));
				for (size_t i = 0; i < sh.nrows; i++) {
					memcpy(v[i].id, sh.rows[i].t.id, sizeof(v[i].id));
					v[i].row = sh.rows[i].row;
					v[i].sheet_id = sh.rows[i].sheet_id;
				}
				st = confirm(cctx, v, sh.nrows, err);
				free(v);
			}
			st = store_end(s->store, st, err);
			ticket_hooks_drop(s);
		}
	}
	held_tell(&sh.held, fn, ctx);
	if (sh.problems && (!st || st == KF_EINVAL))
		st = kf_fail(err, KF_EINVAL, "nothing imported: %ld problem%s in '%s'", sh.problems,
			     sh.problems == 1 ? "" : "s", file);
	sheet_release(&sh);
	return st;
}
