/*
 * Unit tests of the term lists (terms.c) and of ranking from them
 * (listrank.c), against FTS5 itself.
 *
 * A seeded generator writes entries from a small vocabulary, so common
 * terms hold many entries, weights tie often and lists are cut short. A
 * full build is followed by rounds of edits, deletions and additions,
 * each in one transaction. After each commit every term's row is checked
 * against the entries FTS5 finds for it (df, each weight, the order and
 * the prefix up to the boundary), and random queries, read against the
 * desk's words (expand.h), are ranked both from the lists and by
 * kbindex_rank(), which must agree to the bit.
 */
#include "tap.h"

#include <unistd.h>

#include "expand.h"
#include "index.h"
#include "listrank.h"
#include "query.h"
#include "rank.h"
#include "sbuf.h"
#include "terms.h"

#define NDOCS 1500
/* Rounds of edits: all four with KEFU_TEST_LONG (make check), else one. */
#define ROUNDS 4
/* Random queries per check: enough that each way of ranking is taken (the TAP lines count them). */
#define QUERIES 60

static unsigned long long seed = 20261122;

static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((seed >> 33) % n);
}

/* Common characters, and rare ones whose lists stay complete. */
static const char *const chars[] = { "退", "款", "发", "票", "会", "员", "积", "分",
				     "物", "流", "保", "修", "快", "递", "换", "新" };
static const char *const rare[] = { "甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸",
				    "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉",
				    "戌", "亥", "东", "南", "西", "北", "春", "夏", "秋", "冬" };
static const char *const words[] = { "refund", "invoice", "member", "points",
				     "shipping", "warranty", "password", "reset" };
#define NCHARS (sizeof(chars) / sizeof(chars[0]))
#define NWORDS (sizeof(words) / sizeof(words[0]))
#define NRARE (sizeof(rare) / sizeof(rare[0]))

/* A run of CJK characters, then maybe a word. */
static void phrase(struct sbuf *sb, unsigned minc, unsigned maxc)
{
	unsigned n = minc + rnd(maxc - minc + 1);
	for (unsigned i = 0; i < n; i++)
		sbuf_adds(sb, rnd(8) ? chars[rnd(NCHARS)] : rare[rnd(NRARE)]);
	if (rnd(3) == 0) {
		sbuf_addch(sb, ' ');
		sbuf_adds(sb, words[rnd(NWORDS)]);
	}
}

static char *text(unsigned minc, unsigned maxc, unsigned parts)
{
	struct sbuf sb = SBUF_INIT;
	for (unsigned i = 0; i < parts; i++) {
		if (i)
			sbuf_adds(&sb, sb.len % 2 ? "，" : " ");
		phrase(&sb, minc, maxc);
	}
	return sbuf_detach(&sb);
}

static char **list(size_t *n)
{
	*n = rnd(3);
	char **v = xcalloc(*n + 1, sizeof(*v));
	for (size_t i = 0; i < *n; i++)
		v[i] = text(2, 3, 1);
	return v;
}

static void make_entry(struct entry *e, unsigned id)
{
	static const char *const cats[] = { "退款", "会员", "物流" };
	memset(e, 0, sizeof(*e));
	e->id = xasprintf("e%u", id);
	e->title = text(2, 4, 1);
	e->category = xstrdup(cats[rnd(3)]);
	e->scenario = rnd(2) ? text(3, 6, 1) : NULL;
	e->keywords = list(&e->nkeywords);
	e->tags = list(&e->ntags);
	e->answer = text(2, 6, 2 + rnd(4));
	e->notes = rnd(4) ? NULL : text(2, 4, 1);
	if (rnd(10) == 0)
		strcpy(e->effective, "2026-06-01");
	if (rnd(10) == 0)
		strcpy(e->expires, "2026-03-01");
}

/*
 * An entry from one of a few fixed shapes: scores tie by the hundred,
 * and ties go to the older entry.
 */
static void make_tied(struct entry *e, unsigned id)
{
	static const char *const shapes[][3] = {
		{ "退款", "发票", "退款说明" },
		{ "退款发票", NULL, "发票" },
		{ "发票", "退款", "退款" },
		{ "说明", "退款发票", "退款 发票" },
	};
	const char *const *sh = shapes[rnd(4)];
	memset(e, 0, sizeof(*e));
	e->id = xasprintf("t%u", id);
	e->title = xstrdup(sh[0]);
	e->category = xstrdup("退款");
	e->keywords = xcalloc(2, sizeof(char *));
	if (sh[1]) {
		e->keywords[0] = xstrdup(sh[1]);
		e->nkeywords = 1;
	}
	e->tags = xcalloc(1, sizeof(char *));
	e->answer = xstrdup(sh[2]);
}

static char *path_of(unsigned id)
{
	return xasprintf("kb/c/e%u.yaml", id);
}

static int tied;

static void put(struct kbindex *ix, unsigned id)
{
	struct entry e;
	struct kf_err err;
	if (tied)
		make_tied(&e, id);
	else
		make_entry(&e, id);
	char *path = path_of(id);
	if (kbindex_put(ix, path, &e, "yaml", 4, "2026-01-01", &err))
		tap_ok(0, "put %s: %s", path, err.msg);
	free(path);
	entry_release(&e);
}

struct post {
	sqlite3_int64 rowid;
	int w;
};

static int by_rank(const void *a, const void *b)
{
	const struct post *x = a, *y = b;
	if (x->w != y->w)
		return y->w - x->w;
	return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

/* Check one term's row against what FTS5 holds; returns problems found. */
static int check_term(sqlite3 *db, const char *term)
{
	sqlite3_stmt *st, *get;
	struct post *v = NULL;
	size_t n = 0, alloc = 0;
	struct kf_err err;
	char *match = xasprintf("\"%s\"", term);
	int bad = 0;

	sqlite3_prepare_v2(db, "SELECT rowid, kefu_w(fts) FROM fts WHERE fts MATCH ?1", -1, &st,
			   NULL);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = (struct post){ sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1) };
	}
	sqlite3_finalize(st);
	qsort(v, n, sizeof(*v), by_rank);

	struct term_list l;
	sqlite3_prepare_v2(db, "SELECT df, bw, brow, list FROM terms WHERE term = ?1", -1, &get,
			   NULL);
	if (terms_read(get, term, &l, &err)) {
		printf("# %s: %s\n", term, err.msg);
		bad++;
	}
	sqlite3_finalize(get);
	if (l.df != (sqlite3_int64)n) {
		printf("# %s: df %lld, FTS5 finds %zu\n", term, (long long)l.df, n);
		bad++;
	}
	/* The list is the head of the term's entries in rank order... */
	for (size_t i = 0; i < l.n && !bad; i++) {
		if (i >= n || v[i].rowid != l.rowid[i] || v[i].w != l.w[i]) {
			printf("# %s: list[%zu] is %lld/%d, want %lld/%d\n", term, i,
			       (long long)l.rowid[i], l.w[i], i < n ? (long long)v[i].rowid : -1LL,
			       i < n ? v[i].w : -1);
			bad++;
		}
	}
	/* ...complete, or cut at a boundary nothing left out comes before. */
	if (!bad && !l.bw && l.n != n) {
		printf("# %s: list of %zu says complete, FTS5 finds %zu\n", term, l.n, n);
		bad++;
	}
	if (!bad && l.bw && l.n < n) {
		struct post b = { l.brow, l.bw }, next = v[l.n];
		if (by_rank(&next, &b) <= 0) {
			printf("# %s: %lld/%d left out, not after the boundary %lld/%d\n", term,
			       (long long)next.rowid, next.w, (long long)b.rowid, b.w);
			bad++;
		}
	}
	term_list_release(&l);
	free(v);
	free(match);
	return bad;
}

static int collect_term(void *ctx, const char *term, size_t n, int w)
{
	(void)w;
	struct sbuf *sb = ctx;
	sbuf_add(sb, term, n);
	sbuf_addch(sb, '\n');
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every term of every entry, and every row of the table, checked. */
static void check_table(struct kbindex *ix, const char *when)
{
	struct sbuf all = SBUF_INIT;
	sqlite3_stmt *st;
	sqlite3_prepare_v2(ix->db,
			   "SELECT title, keywords, scenario, tags, category, answer, notes"
			   " FROM entries",
			   -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *cols[RANK_NCOLS];
		for (int i = 0; i < RANK_NCOLS; i++)
			cols[i] = (const char *)sqlite3_column_text(st, i);
		terms_of_entry(cols, collect_term, &all);
	}
	sqlite3_finalize(st);
	sqlite3_prepare_v2(ix->db, "SELECT term FROM terms", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		sbuf_adds(&all, (const char *)sqlite3_column_text(st, 0));
		sbuf_addch(&all, '\n');
	}
	sqlite3_finalize(st);

	/* Each term once. */
	char **v = NULL;
	size_t n = 0, alloc = 0;
	for (char *line = all.buf, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = line;
	}
	qsort(v, n, sizeof(*v), by_str);
	int bad = 0, cut = 0, checked = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(v[i], v[i - 1]))
			continue;
		bad += check_term(ix->db, v[i]);
		checked++;
	}
	free(v);
	sqlite3_prepare_v2(ix->db, "SELECT count(*) FROM terms WHERE bw > 0", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		cut = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	tap_ok(!bad && cut > (tied ? 3 : 50) && (tied || checked - cut > 50),
	       "%s: %d terms as FTS5 holds them (%d lists cut)", when, checked, cut);
	sbuf_release(&all);
}

/* Random queries ranked from the lists and by FTS5 agree. */
static void check_queries(struct kbindex *ix, const char *when)
{
	int bad = 0, decided = 0, expanded = 0, batched = 0;
	for (int i = 0; i < QUERIES; i++) {
		struct sbuf q = SBUF_INIT, match = SBUF_INIT;
		struct query_terms terms;
		struct listrank lr = { 0 };
		struct kf_err err;
		struct kb_filter f = { 0 };
		sqlite3_int64 *ids;
		double *scores;
		size_t n;
		if (tied) {
			static const char *const tq[] = { "退款", "发票", "退款 发票", "款发",
							  "退款发票", "说明 发票" };
			sbuf_adds(&q, tq[rnd(6)]);
		} else {
			/* One to three pieces, some with a word. */
			unsigned parts = 1 + rnd(3);
			for (unsigned p = 0; p < parts; p++) {
				if (p)
					sbuf_addch(&q, ' ');
				phrase(&q, 1, 4);
			}
		}
		sbuf_adds(&q, " ."); /* no typing */
		size_t k = (size_t[]){ 1, 5, 30, 30 }[rnd(4)];
		f.today = rnd(2) ? "2026-04-01" : NULL;
		/* Some within a category, one of them empty; some with a tag. */
		if (rnd(3) == 0)
			f.category = (const char *[]){ "退款", "会员", "物流", "无此类" }[rnd(4)];
		char *tag[1] = { NULL };
		if (rnd(5) == 0) {
			sqlite3_stmt *st;
			sqlite3_prepare_v2(ix->db,
					   "SELECT tag FROM entry_tags ORDER BY tag LIMIT 1 OFFSET ?1",
					   -1, &st, NULL);
			sqlite3_bind_int(st, 1, (int)rnd(200));
			if (sqlite3_step(st) == SQLITE_ROW) {
				tag[0] = xstrdup((const char *)sqlite3_column_text(st, 0));
				f.tags = tag;
				f.ntags = 1;
			}
			sqlite3_finalize(st);
		}
		/* Read against the desk's words first, as kb_search() does. */
		if (!query_terms(q.buf, q.len, &terms) || query_expand(ix->db, &terms, &err) ||
		    !terms.n)
			goto next;
		if (listrank_run(ix->db, &terms, &f, k, 0, &lr, &err)) {
			printf("# '%s': %s\n", q.buf, err.msg);
			bad++;
			goto next;
		}
		unsigned char m8[2 * QUERY_MAX_TERMS];
		size_t nm = query_match(&terms, &match, m8);
		if (kbindex_rank(ix, match.buf, m8, nm, &f, k, &ids, &scores, &n, &err)) {
			printf("# '%s': %s\n", q.buf, err.msg);
			bad++;
		} else if (lr.decided) {
			decided++;
			expanded += lr.expanded > 0;
			batched += lr.batched > 0;
			int same = lr.n == n;
			for (size_t j = 0; same && j < n; j++)
				same = lr.rowid[j] == ids[j] && lr.score[j] == scores[j];
			if (!same) {
				printf("# '%s' (k %zu, %s, %s): lists and FTS5 differ\n", q.buf, k,
				       f.today ? f.today : "all", f.category ? f.category : "any");
				for (size_t j = 0; j < n || j < lr.n; j++)
					printf("#   %lld %.17g | %lld %.17g\n",
					       j < lr.n ? (long long)lr.rowid[j] : 0LL,
					       j < lr.n ? lr.score[j] : 0.0,
					       j < n ? (long long)ids[j] : 0LL, j < n ? scores[j] : 0.0);
				bad++;
			}
			free(ids);
			free(scores);
		} else {
			free(ids);
			free(scores);
		}
	next:
		listrank_release(&lr);
		sbuf_release(&q);
		sbuf_release(&match);
		free(tag[0]);
	}
	tap_ok(!bad && decided > QUERIES / 2 && (tied || (expanded > 0 && batched > 0)),
	       "%s: %d of %d queries ranked from the lists as FTS5 ranks them"
	       " (%d scoring rare terms' entries together, %d completing a list)",
	       when, decided, QUERIES, batched, expanded);
}

static void commit(struct kbindex *ix, const char *when)
{
	struct kf_err err;
	if (kbindex_commit(ix, &err))
		tap_ok(0, "%s: commit: %s", when, err.msg);
}

int main(void)
{
	(void)tap_is;
	(void)tap_cases;
	char dir[] = "/tmp/kefu-terms.XXXXXX";
	struct kbindex ix;
	struct kf_err err;
	int fresh;
	if (!mkdtemp(dir)) {
		printf("Bail out! cannot make a directory in /tmp\n");
		return 1;
	}
	char *db = xasprintf("%s/index.db", dir);
	if (kbindex_open_write(&ix, db, &fresh, &err) || kbindex_begin(&ix, &err) ||
	    kbindex_clear(&ix, NDOCS, &err)) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	for (unsigned id = 0; id < NDOCS; id++)
		put(&ix, id);
	commit(&ix, "full build");
	check_table(&ix, "full build");
	check_queries(&ix, "full build");

	unsigned next = NDOCS;
	const char *long_run = getenv("KEFU_TEST_LONG");
	int rounds = long_run && *long_run ? ROUNDS : 1;
	for (int round = 1; round <= rounds; round++) {
		char when[64];
		snprintf(when, sizeof(when), "round %d of edits", round);
		kbindex_begin(&ix, &err);
		/* Many changes at once, so lists empty and refill too. */
		for (unsigned i = 0; i < NDOCS / 4; i++) {
			unsigned id = rnd(next);
			char *path = path_of(id);
			switch (rnd(3)) {
			case 0:
				if (kbindex_delete_path(&ix, path, &err))
					tap_ok(0, "delete: %s", err.msg);
				break;
			case 1:
				put(&ix, id); /* an edit, or back after a deletion */
				break;
			default:
				put(&ix, next++);
			}
			free(path);
		}
		commit(&ix, when);
		check_table(&ix, when);
		check_queries(&ix, when);
	}

	/* A rolled back transaction leaves the table as it was. */
	kbindex_begin(&ix, &err);
	for (unsigned id = 0; id < 200; id++)
		put(&ix, next + id);
	kbindex_rollback(&ix);
	check_table(&ix, "after a rollback");

	kbindex_close(&ix);

	/* A desk of a few shapes: ties everywhere. */
	tied = 1;
	char *db2 = xasprintf("%s/tied.db", dir);
	if (kbindex_open_write(&ix, db2, &fresh, &err) || kbindex_begin(&ix, &err) ||
	    kbindex_clear(&ix, 400, &err)) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	for (unsigned id = 0; id < 400; id++)
		put(&ix, id);
	commit(&ix, "tied build");
	check_table(&ix, "tied build");
	check_queries(&ix, "tied build");
	kbindex_begin(&ix, &err);
	for (unsigned i = 0; i < 100; i++) {
		char *path = path_of(rnd(400));
		if (rnd(2))
			kbindex_delete_path(&ix, path, &err);
		else
			put(&ix, 400 + i);
		free(path);
	}
	commit(&ix, "tied edits");
	check_table(&ix, "tied edits");
	check_queries(&ix, "tied edits");
	kbindex_close(&ix);
	free(db2);

	char *rm = xasprintf("rm -rf '%s'", dir);
	if (system(rm) != 0)
		tap_ok(0, "remove %s", dir);
	free(rm);
	free(db);
	return tap_done();
}
