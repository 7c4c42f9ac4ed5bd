/* The knowledge base to and from a spreadsheet: the team's FAQ in Excel. */
#include "kbsheet.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "csv.h"
#include "repo.h"
#include "sbuf.h"

/* ---- main's entries ---- */

struct walk {
	struct repo *r;
	struct kb_file *v;
	size_t n, alloc;
	enum kf_status st;
	struct kf_err *err;
};

static int take(void *ctx, enum repo_delta what, const char *path, const char *blob)
{
	struct walk *w = ctx;
	size_t len = strlen(path);
	if (what == REPO_DELETED || !blob || len < 5 || strcmp(path + len - 5, ".yaml"))
		return 0;
	struct sbuf text = SBUF_INIT;
	if ((w->st = repo_blob(w->r, blob, ENTRY_MAX_BYTES, &text, w->err))) {
		sbuf_release(&text);
		if (w->st != KF_EINVAL)
			return 1;
		w->st = KF_OK; /* too large: kb-lint tells of it */
		return 0;
	}
	struct diags probs = DIAGS_INIT;
	struct entry e;
	if (entry_parse(text.buf ? text.buf : "", text.len, path, &e, &probs) == KF_OK) {
		ALLOC_GROW(w->v, w->n + 1, w->alloc);
		w->v[w->n].path = xstrdup(path);
		w->v[w->n++].e = e;
	}
	diags_release(&probs);
	sbuf_release(&text);
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct kb_file *)a)->path, ((const struct kb_file *)b)->path);
}

enum kf_status kb_files_main(struct repo *r, struct kb_file **v, size_t *n, struct kf_err *err)
{
	char hex[41];
	struct walk w = { .r = r, .err = err };
	*v = NULL;
	*n = 0;
	enum kf_status st = repo_resolve(r, "refs/heads/main", hex, err);
	if (!st)
		st = repo_kb_changes(r, NULL, hex, take, &w, err);
	if (!st)
		st = w.st;
	if (st) {
		kb_files_free(w.v, w.n);
		return st;
	}
	if (w.n)
		qsort(w.v, w.n, sizeof(*w.v), by_path);
	*v = w.v;
	*n = w.n;
	return KF_OK;
}

void kb_files_free(struct kb_file *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		entry_release(&v[i].e);
	}
	free(v);
}

/* ---- the columns ---- */

enum col {
	C_ID,
	C_TITLE,
	C_CATEGORY,
	C_SCENARIO,
	C_ANSWER,
	C_KEYWORDS,
	C_TAGS,
	C_OPENING,
	C_CLOSING,
	C_NOTES,
	C_EFFECTIVE,
	C_EXPIRES,
	NCOLS,
	C_REVIEW, /* approval: the proposal's review decides it */
	C_UNKNOWN,
};

/* The names a column goes by, as csv_header_key() makes them; the first Chinese is written. */
static const char *const col_names[] = {
	[C_ID] = "id 编号 知识编号 条目编号",
	[C_TITLE] = "title 主题 标题",
	[C_CATEGORY] = "category 知识分类 分类 类别",
	[C_SCENARIO] = "scenario 适用场景 场景",
	[C_ANSWER] = "answer 核心话术内容 话术内容 话术 答案 回复内容",
	[C_KEYWORDS] = "keywords 关联问题关键词 关键词 关键字",
	[C_TAGS] = "tags 标签",
	[C_OPENING] = "opening 开场白 开场话术",
	[C_CLOSING] = "closing 结束语 结束话术",
	[C_NOTES] = "notes 备注 注意事项 内部备注",
	[C_EFFECTIVE] = "effective 生效日期",
	[C_EXPIRES] = "expires 失效日期 到期日期",
	[C_REVIEW] = "审核状态 审核人 审核日期 review reviewer status",
};

static const char *const keys[NCOLS] = {
	"id",	    "title", "category", "scenario", "answer", "keywords",
	"tags",	    "opening", "closing", "notes",   "effective", "expires",
};

static enum col column_of(const char *header)
{
	char *key = csv_header_key(header);
	enum col found = C_UNKNOWN;
	size_t n = strlen(key);
	for (int c = 0; c <= C_REVIEW && found == C_UNKNOWN && n; c++) {
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

/* The Chinese name a column is written with. */
static void written_name(enum col c, char *buf, size_t size)
{
	const char *p = strchr(col_names[c], ' ') + 1;
	size_t len = strcspn(p, " ");
	snprintf(buf, size, "%.*s", (int)len, p);
}

/* ---- reading ---- */

struct sheet {
	const char *file;
	problem_fn fn, note;
	void *ctx, *nctx;
	long problems;
	struct held held; /* the problems, told by row at the end */
	int col[NCOLS];
	char **headers;
	size_t nheaders;
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
	if (!sh->note)
		return;
	struct sbuf sb = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	char one[1024];
	kf_one_line(one, sizeof(one), sb.buf);
	sh->note(sh->nctx, one);
	sbuf_release(&sb);
}

static const char *header(const struct sheet *sh, enum col c)
{
	return sh->col[c] >= 0 ? sh->headers[sh->col[c]] : keys[c];
}

/* The column of an entry's key, for a problem kb-lint would tell of. */
static const char *header_of_key(const struct sheet *sh, const char *key)
{
	for (int c = 0; c < NCOLS && key; c++)
		if (!strcmp(keys[c], key))
			return header(sh, (enum col)c);
	return key;
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
				note(sh, "%s: column '%s' is not an entry's field: ignored", sh->file, h);
		} else if (c == C_REVIEW) {
			note(sh, "%s: column '%s' ignored: a proposal's review approves entries",
			     sh->file, h);
		} else if (sh->col[c] >= 0) {
			problem(sh, rec->row, h, "the same field as column '%s'", sh->headers[sh->col[c]]);
		} else {
			sh->col[c] = (int)i;
		}
	}
	static const enum col needed[] = { C_TITLE, C_CATEGORY, C_ANSWER };
	for (size_t k = 0; k < sizeof(needed) / sizeof(*needed); k++)
		if (sh->col[needed[k]] < 0) {
			char name[64];
			written_name(needed[k], name, sizeof(name));
			problem(sh, rec->row, NULL, "no column for an entry's %s (%s, %s)",
				keys[needed[k]], keys[needed[k]], name);
		}
}

/*
 * A row's value of c, line ends made LF; a one-line value with spaces
 * (U+3000 too) trimmed at both ends, a text as it is (an answer's last
 * line end is the entry's); NULL when there is nothing but spaces.
 */
static char *value(const struct sheet *sh, const struct csv_record *rec, enum col c, int text)
{
	int i = sh->col[c];
	if (i < 0 || (size_t)i >= rec->n)
		return NULL;
	const char *s = rec->fields[i];
	struct sbuf sb = SBUF_INIT;
	for (; *s; s++)
		if (!(*s == '\r' && s[1] == '\n'))
			sbuf_addch(&sb, *s == '\r' ? '\n' : *s);
	if (!sb.len) {
		sbuf_release(&sb);
		return NULL;
	}
	size_t len = sb.len, start = 0, end = len;
	char *v = sbuf_detach(&sb);
	for (;;) {
		if (start < end && ascii_space((unsigned char)v[start]))
			start++;
		else if (end - start >= 3 && !memcmp(v + start, "\xE3\x80\x80", 3))
			start += 3;
		else
			break;
	}
	for (;;) {
		if (end > start && ascii_space((unsigned char)v[end - 1]))
			end--;
		else if (end - start >= 3 && !memcmp(v + end - 3, "\xE3\x80\x80", 3))
			end -= 3;
		else
			break;
	}
	if (start == end) {
		free(v);
		return NULL;
	}
	if (!text) {
		memmove(v, v + start, end - start);
		v[end - start] = 0;
	}
	return v;
}

/* The separators of keyword lists, longest first where one starts another. */
static const char *const separators[] = {
	"\xE3\x80\x81", /* 、 */
	"\xEF\xBC\x8C", /* ， */
	"\xEF\xBC\x9B", /* ； */
	"\xEF\xBC\x8F", /* ／ */
	"\xE3\x80\x80", /* ideographic space */
	",", ";", "/", " ", "\t", "\n", "|", NULL,
};

static size_t separator_at(const char *p)
{
	for (size_t k = 0; separators[k]; k++) {
		size_t len = strlen(separators[k]);
		if (!strncmp(p, separators[k], len))
			return len;
	}
	return 0;
}

void kbsheet_split(const char *s, char ***v, size_t *n)
{
	size_t alloc = *n;
	while (s && *s) {
		size_t sep;
		while ((sep = separator_at(s)))
			s += sep;
		const char *start = s;
		while (*s && !separator_at(s))
			s++;
		if (s == start)
			continue;
		char *word = xstrndup(start, (size_t)(s - start));
		int seen = 0;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = !strcmp((*v)[i], word);
		if (seen) {
			free(word);
			continue;
		}
		ALLOC_GROW(*v, *n + 1, alloc);
		(*v)[(*n)++] = word;
	}
}

static int digits(const char **p, int max, int *out)
{
	int n = 0, v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n;
}

/* A date as people write it (2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日) as YYYY-MM-DD. */
static void date_of(const char *s, char out[11])
{
	out[0] = 0;
	const char *p = s;
	int y, m, d;
	if (digits(&p, 4, &y) != 4)
		return;
	static const char *const seps[] = { "-", "/", ".", "\xE5\xB9\xB4", "\xE6\x9C\x88", NULL };
	size_t len = 0;
	for (size_t k = 0; seps[k] && !len; k++)
		if (!strncmp(p, seps[k], strlen(seps[k])))
			len = strlen(seps[k]);
	if (!len)
		return;
	p += len;
	if (!digits(&p, 2, &m))
		return;
	len = 0;
	for (size_t k = 0; seps[k] && !len; k++)
		if (!strncmp(p, seps[k], strlen(seps[k])))
			len = strlen(seps[k]);
	if (!len)
		return;
	p += len;
	if (!digits(&p, 2, &d))
		return;
	if (!strcmp(p, "\xE6\x97\xA5") || !strcmp(p, "\xE5\x8F\xB7")) /* 日 号 */
		p += 3;
	if (*p)
		return;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return;
	char buf[32];
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, 11);
}

char *kbsheet_id(const char *title)
{
	struct sbuf sb = SBUF_INIT;
	int ascii = 1, gap = 0;
	for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
		if (*p >= 0x80) {
			ascii = 0;
			break;
		}
		if (ascii_alnum(*p)) {
			if (gap && sb.len)
				sbuf_addch(&sb, '-');
			gap = 0;
			if (sb.len < ENTRY_ID_MAX - 8)
				sbuf_addch(&sb, (char)ascii_lower(*p));
		} else {
			gap = 1;
		}
	}
	if (ascii && sb.len) {
		while (sb.len && sb.buf[sb.len - 1] == '-')
			sb.buf[--sb.len] = 0;
		return sbuf_detach(&sb);
	}
	sbuf_release(&sb);
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return xasprintf("faq-%08x", (unsigned)h);
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same_list(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return 1;
}

int entry_same(const struct entry *a, const struct entry *b)
{
	return same_text(a->id, b->id) && same_text(a->title, b->title) &&
	       same_text(a->category, b->category) && same_text(a->scenario, b->scenario) &&
	       same_list(a->keywords, a->nkeywords, b->keywords, b->nkeywords) &&
	       same_list(a->tags, a->ntags, b->tags, b->ntags) &&
	       same_text(a->opening, b->opening) && same_text(a->answer, b->answer) &&
	       same_text(a->closing, b->closing) && same_text(a->notes, b->notes) &&
	       !strcmp(a->effective, b->effective) && !strcmp(a->expires, b->expires);
}

/* A row as read, before its id is settled. */
struct raw {
	long row;
	char *v[NCOLS];
	char *id;
};

static void raw_release(struct raw *r)
{
	for (int c = 0; c < NCOLS; c++)
		free(r->v[c]);
	free(r->id);
}

static const struct kb_file *main_by_id(const struct kb_file *m, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(m[i].e.id, id))
			return &m[i];
	return NULL;
}

/* Whether id is taken: by another row, or by a different entry of main. */
static int taken(const struct raw *rows, size_t n, const char *id, const struct kb_file *m,
		 size_t nm, const char *title)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].id && !strcmp(rows[i].id, id))
			return 1;
	const struct kb_file *f = main_by_id(m, nm, id);
	return f && strcmp(f->e.title, title);
}

/* The entry of a row, checked as kb-lint checks its file. */
static int make_entry(struct sheet *sh, struct raw *r, struct kbsheet_row *out)
{
	struct entry e;
	memset(&e, 0, sizeof(e));
	e.id = r->id;
	e.title = r->v[C_TITLE];
	e.category = r->v[C_CATEGORY];
	e.scenario = r->v[C_SCENARIO];
	e.opening = r->v[C_OPENING];
	e.answer = r->v[C_ANSWER];
	e.closing = r->v[C_CLOSING];
	e.notes = r->v[C_NOTES];
	size_t nk = 0, nt = 0;
	char **kw = NULL, **tags = NULL;
	kbsheet_split(r->v[C_KEYWORDS], &kw, &nk);
	kbsheet_split(r->v[C_TAGS], &tags, &nt);
	e.keywords = kw;
	e.nkeywords = nk;
	e.tags = tags;
	e.ntags = nt;
	int ok = 1;
	static const enum col dates[] = { C_EFFECTIVE, C_EXPIRES };
	for (int k = 0; k < 2; k++) {
		char *d = r->v[dates[k]];
		char *dst = k ? e.expires : e.effective;
		if (!d)
			continue;
		char day[11];
		date_of(d, day);
		if (!*day || !entry_date_valid(day)) {
			problem(sh, r->row, header(sh, dates[k]), "'%.40s' is not a date (write 2026-03-01)",
				d);
			ok = 0;
		} else {
			memcpy(dst, day, 11);
		}
	}
	char *text = entry_yaml(&e);
	char *path = NULL;
	if (!text) {
		problem(sh, r->row, NULL, "cannot be written as YAML");
		ok = 0;
	} else if (ok && strlen(text) > ENTRY_MAX_BYTES) {
		problem(sh, r->row, NULL, "the entry is too large: %zu bytes as a file, at most %d",
			strlen(text), ENTRY_MAX_BYTES);
		ok = 0;
	} else if (ok) {
		struct diags probs = DIAGS_INIT;
		int valid = entry_category_valid(e.category ? e.category : "");
		/* Where its file goes, when it can go anywhere: else only its keys are checked. */
		if (valid)
			path = xasprintf("kb/%s/%s.yaml", e.category, e.id);
		if (entry_parse(text, strlen(text), path, &out->e, &probs) != KF_OK)
			ok = 0;
		for (size_t i = 0; i < probs.n; i++) {
			const char *msg = probs.v[i].msg, *key = probs.v[i].key;
			/* A key left out of the file is a cell left empty in the sheet. */
			if (key && !strcmp(msg, "required key is missing"))
				problem(sh, r->row, header_of_key(sh, key), "empty: an entry needs its %s",
					key);
			else
				problem(sh, r->row, header_of_key(sh, key), "%s", msg);
		}
		diags_release(&probs);
	}
	for (size_t i = 0; i < nk; i++)
		free(kw[i]);
	for (size_t i = 0; i < nt; i++)
		free(tags[i]);
	free(kw);
	free(tags);
	free(path);
	if (!ok) {
		free(text);
		return 0;
	}
	out->row = r->row;
	out->text = text;
	return 1;
}

void kbsheet_rows_free(struct kbsheet_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		entry_release(&v[i].e);
		free(v[i].text);
	}
	free(v);
}

enum kf_status kbsheet_read(const char *text, size_t len, const char *file,
			    const struct kb_file *main, size_t nmain, problem_fn fn, void *ctx,
			    problem_fn notefn, void *nctx, struct kbsheet_row **rows, size_t *nrows,
			    struct kf_err *err)
{
	struct sheet sh = { .file = file, .fn = fn, .ctx = ctx, .note = notefn, .nctx = nctx };
	struct sbuf utf8 = SBUF_INIT;
	struct csv_reader rd;
	struct csv_record rec;
	struct kf_err e;
	const char *charset;
	struct raw *raw = NULL;
	size_t n = 0, alloc = 0;
	int rc;
	*rows = NULL;
	*nrows = 0;
	if (csv_decode(text, len, &utf8, &charset, &e)) {
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
		if (!header_read++) {
			read_header(&sh, &rec);
			continue;
		}
		ALLOC_GROW(raw, n + 1, alloc);
		memset(&raw[n], 0, sizeof(raw[n]));
		raw[n].row = rec.row;
		for (int c = 0; c < NCOLS; c++)
			raw[n].v[c] = value(&sh, &rec, (enum col)c,
					    c == C_ANSWER || c == C_OPENING || c == C_CLOSING ||
						    c == C_NOTES);
		n++;
	}
	if (rc < 0)
		problem(&sh, rd.row + 1, NULL, "%s", e.msg);
	if (!header_read)
		problem(&sh, 1, NULL, "no header row: the sheet is empty");
	csv_reader_release(&rd);
	sbuf_release(&utf8);

	/* Ids: the sheet's own first, each once; then main's by title; then derived. */
	for (size_t i = 0; i < n; i++) {
		const char *id = raw[i].v[C_ID];
		if (!id)
			continue;
		if (!entry_id_valid(id)) {
			problem(&sh, raw[i].row, header(&sh, C_ID),
				"'%.64s' is not an id: a-z, 0-9 and '-', at most %d (leave it empty to have one made)",
				id, ENTRY_ID_MAX);
			continue;
		}
		for (size_t k = 0; k < i; k++)
			if (raw[k].id && !strcmp(raw[k].id, id)) {
				problem(&sh, raw[i].row, header(&sh, C_ID), "'%s' is on row %ld too", id,
					raw[k].row);
				id = NULL;
				break;
			}
		if (id)
			raw[i].id = xstrdup(id);
	}
	for (size_t i = 0; i < n; i++) {
		const char *title = raw[i].v[C_TITLE];
		if (raw[i].id || raw[i].v[C_ID] || !title)
			continue;
		for (size_t k = 0; k < i; k++)
			if (raw[k].v[C_TITLE] && !strcmp(raw[k].v[C_TITLE], title) && !raw[k].v[C_ID]) {
				problem(&sh, raw[i].row, header(&sh, C_TITLE),
					"'%.60s' is on row %ld too (give each an id to keep both)", title,
					raw[k].row);
				title = NULL;
				break;
			}
		for (size_t m = 0; title && m < nmain; m++)
			if (!strcmp(main[m].e.title, title) && !taken(raw, n, main[m].e.id, NULL, 0, "")) {
				raw[i].id = xstrdup(main[m].e.id);
				break;
			}
	}
	for (size_t i = 0; i < n; i++) {
		const char *title = raw[i].v[C_TITLE];
		if (raw[i].id || raw[i].v[C_ID] || !title)
			continue;
		char *base = kbsheet_id(title);
		char *id = xstrdup(base);
		for (int k = 2; taken(raw, n, id, main, nmain, title); k++) {
			free(id);
			id = xasprintf("%s-%d", base, k);
		}
		free(base);
		raw[i].id = id;
	}

	struct kbsheet_row *out = xcalloc(n + 1, sizeof(*out));
	size_t nout = 0;
	for (size_t i = 0; i < n; i++) {
		/*
		 * A row whose id is wrong, or that has no title to make one
		 * of, is checked all the same under a stand-in id: every
		 * problem is told (and with one, nothing is imported).
		 */
		if (!raw[i].id)
			raw[i].id = xstrdup("x");
		if (make_entry(&sh, &raw[i], &out[nout])) {
			const struct kb_file *f = main_by_id(main, nmain, out[nout].e.id);
			out[nout].changed = !f ? 1 : entry_same(&f->e, &out[nout].e) ? 0 : 2;
			nout++;
		}
	}
	for (size_t i = 0; i < n; i++)
		raw_release(&raw[i]);
	free(raw);
	for (size_t i = 0; i < sh.nheaders; i++)
		free(sh.headers[i]);
	free(sh.headers);
	held_tell(&sh.held, fn, ctx);
	if (sh.problems) {
		kbsheet_rows_free(out, nout);
		return kf_fail(err, KF_EINVAL, "nothing imported: %ld problem%s in '%s'", sh.problems,
			       sh.problems == 1 ? "" : "s", file);
	}
	*rows = out;
	*nrows = nout;
	return KF_OK;
}

/* ---- writing ---- */

static void list_field(struct sbuf *out, char **v, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_adds(&sb, "\xE3\x80\x81");
		sbuf_adds(&sb, v[i]);
	}
	csv_field(out, sb.len ? sb.buf : "", 0, CSV_SAFE);
	sbuf_release(&sb);
}

void kbsheet_write(const struct kb_file *v, size_t n, int bom, struct sbuf *out)
{
	if (bom)
		sbuf_adds(out, CSV_BOM);
	for (int c = 0; c < NCOLS; c++) {
		char name[64];
		written_name((enum col)c, name, sizeof(name));
		csv_field(out, name, c == 0, CSV_SAFE);
	}
	csv_end(out);
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &v[i].e;
		const char *text[NCOLS] = {
			[C_ID] = e->id,		  [C_TITLE] = e->title,	    [C_CATEGORY] = e->category,
			[C_SCENARIO] = e->scenario, [C_ANSWER] = e->answer,   [C_OPENING] = e->opening,
			[C_CLOSING] = e->closing,   [C_NOTES] = e->notes,     [C_EFFECTIVE] = e->effective,
			[C_EXPIRES] = e->expires,
		};
		for (int c = 0; c < NCOLS; c++) {
			if (c == C_KEYWORDS)
				list_field(out, e->keywords, e->nkeywords);
			else if (c == C_TAGS)
				list_field(out, e->tags, e->ntags);
			else
				csv_field(out, text[c] ? text[c] : "", c == 0, CSV_SAFE);
		}
		csv_end(out);
	}
}
