#include "listrank.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "rank.h"
#include "sbuf.h"
#include "terms.h"
#include "tokenizer.h"

/*
 * Reading an entry whole costs about 4 us; scoring all the entries of
 * the complete lists in one query, or completing a list, 1 ms or more.
 * So read up to RESOLVE_FIRST entries, then, when at most RESOLVE_MORE
 * more could still enter, those too; else take the bulk step.
 */
#define RESOLVE_FIRST 32
#define RESOLVE_MORE 200
/*
 * With a word among the terms, an entry read whole is tokenized and its
 * words stemmed, some 300,000 instructions for a long English answer:
 * as much as completing a list of a thousand entries. Read fewer.
 */
#define RESOLVE_FIRST_WORDS 8
#define RESOLVE_MORE_WORDS 24

struct cand {
	sqlite3_int64 rowid;
	uint32_t in;	/* the lists it is in */
	uint32_t known; /* terms whose weight in it is known */
	double score;   /* exact when known is all, else what is known */
	double ub;      /* at most this */
	unsigned char w[LISTRANK_MAX_TERMS];
};

struct ctx {
	sqlite3 *db;
	size_t nt;
	const struct query_terms *q;
	size_t len[LISTRANK_MAX_TERMS];
	double idf[LISTRANK_MAX_TERMS];
	struct cand *cand;
	size_t ncand;
	int32_t *slot; /* open addressing by rowid: index into cand, -1 free */
	size_t cap;
	sqlite3_int64 *skip; /* entries not in effect, sorted */
	size_t nskip;
	int filtered;   /* entries outside "only" are left out too */
	sqlite3_int64 *only; /* the entries of the category and tags asked for */
	size_t nonly;
	/* the weights of cut terms in the entries of complete lists */
	int batched;
	uint32_t batch_lists, batch_cut; /* the complete and cut lists then */
	sqlite3_int64 *batch_rowid;	 /* ascending */
	unsigned char (*batch_w)[LISTRANK_MAX_TERMS];
	size_t nbatch;
	/* scoring one entry whole */
	sqlite3_stmt *row;
	unsigned mask[LISTRANK_MAX_TERMS];
	int col;
	int collen[RANK_NCOLS];
	int words; /* some term is not CJK */
};

static int by_rowid(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
	return x < y ? -1 : x > y;
}

static struct cand *cand_get(struct ctx *c, sqlite3_int64 rowid)
{
	size_t j = ((uint64_t)rowid * 0x9E3779B97F4A7C15ULL >> 32) & (c->cap - 1);
	for (; c->slot[j] >= 0; j = (j + 1) & (c->cap - 1))
		if (c->cand[c->slot[j]].rowid == rowid)
			return &c->cand[c->slot[j]];
	struct cand *k = &c->cand[c->ncand];
	memset(k, 0, sizeof(*k));
	k->rowid = rowid;
	c->slot[j] = (int32_t)c->ncand++;
	return k;
}

/* The score of w weights, summed in query order as kefu_rank() does. */
static double score_of(const struct ctx *c, const unsigned char *w)
{
	double s = 0;
	for (size_t i = 0; i < c->nt; i++)
		if (w[i])
			s += rank_term(c->idf[i], w[i], c->q->v[i].m8);
	return s;
}

static int match_token(void *ctx, enum tok_kind kind, const char *text, size_t n, size_t start,
		       size_t end)
{
	struct ctx *c = ctx;
	(void)start;
	(void)end;
	if (kind != TOK_BIGRAM)
		c->collen[c->col]++; /* as FTS5 counts a column's tokens */
	if (kind != TOK_WORD)
		return 0; /* CJK terms were found by their bytes */
	for (size_t i = 0; i < c->nt; i++)
		if (!c->q->v[i].cjk && c->len[i] == n && !memcmp(c->q->v[i].text, text, n))
			c->mask[i] |= 1u << c->col;
	return 0;
}

/* Read entry k and score it whole. */
static enum kf_status resolve(struct ctx *c, struct cand *k, struct kf_err *err)
{
	sqlite3_reset(c->row);
	sqlite3_bind_int64(c->row, 1, k->rowid);
	int rc = sqlite3_step(c->row);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(c->row);
		return kf_fail(err, KF_EDB, "index: entry %lld of the term lists is gone",
			       (long long)k->rowid);
	}
	memset(c->mask, 0, sizeof(c->mask));
	memset(c->collen, 0, sizeof(c->collen));
	for (c->col = 0; c->col < RANK_NCOLS; c->col++) {
		const char *s = (const char *)sqlite3_column_text(c->row, c->col);
		size_t n = (size_t)sqlite3_column_bytes(c->row, c->col);
		if (!s)
			continue;
		/*
		 * A CJK character is a term wherever its bytes are, and two
		 * side by side a bigram; words need the tokenizer's folding.
		 */
		for (size_t i = 0; i < c->nt; i++)
			if (c->q->v[i].cjk && memmem(s, n, c->q->v[i].text, c->len[i]))
				c->mask[i] |= 1u << c->col;
		/* The title's and keywords' lengths count (rank.h); words are found by scanning. */
		if (c->words || c->col == RANK_TITLE || c->col == RANK_KEYWORDS)
			tok_scan(s, n, match_token, c);
	}
	sqlite3_reset(c->row);
	for (size_t i = 0; i < c->nt; i++)
		k->w[i] = (unsigned char)rank_weight(c->mask[i], c->collen);
	k->known = c->nt == 32 ? UINT32_MAX : (1u << c->nt) - 1;
	k->score = k->ub = score_of(c, k->w);
	return KF_OK;
}

/* a ranks before b: a higher score, or as high and older. */
static int before(const struct cand *a, const struct cand *b)
{
	return a->score > b->score || (a->score == b->score && a->rowid < b->rowid);
}

/* x comes before y in the order candidates are taken: higher bound, older. */
static int ub_before(const struct cand *x, const struct cand *y)
{
	return x->ub > y->ub || (x->ub == y->ub && x->rowid < y->rowid);
}

/*
 * Candidates are taken best bound first, and usually only the first few
 * are: a heap of their indices, not a sort of them all.
 */
struct queue {
	const struct cand *cand;
	uint32_t *v;
	size_t n;
};

static void queue_down(struct queue *q, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < q->n && ub_before(&q->cand[q->v[l]], &q->cand[q->v[m]]))
			m = l;
		if (r < q->n && ub_before(&q->cand[q->v[r]], &q->cand[q->v[m]]))
			m = r;
		if (m == i)
			return;
		uint32_t t = q->v[i];
		q->v[i] = q->v[m];
		q->v[m] = t;
		i = m;
	}
}

static void queue_init(struct queue *q, const struct cand *cand, size_t n)
{
	q->cand = cand;
	q->v = xmalloc((n ? n : 1) * sizeof(*q->v));
	q->n = n;
	for (size_t i = 0; i < n; i++)
		q->v[i] = (uint32_t)i;
	for (size_t i = n / 2; i-- > 0;)
		queue_down(q, i);
}

static uint32_t queue_pop(struct queue *q)
{
	uint32_t top = q->v[0];
	q->v[0] = q->v[--q->n];
	queue_down(q, 0);
	return top;
}

static int by_rank(const void *a, const void *b)
{
	const struct cand *x = *(const struct cand *const *)a, *y = *(const struct cand *const *)b;
	return before(x, y) ? -1 : before(y, x) ? 1 : 0;
}

/* The top k so far: a heap with the last-ranked on top. */
struct top {
	struct cand **v;
	size_t n, k;
};

static void top_sift_down(struct top *t, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < t->n && before(t->v[m], t->v[l]))
			m = l;
		if (r < t->n && before(t->v[m], t->v[r]))
			m = r;
		if (m == i)
			return;
		struct cand *x = t->v[i];
		t->v[i] = t->v[m];
		t->v[m] = x;
		i = m;
	}
}

static void top_add(struct top *t, struct cand *k)
{
	if (t->n < t->k) {
		size_t i = t->n++;
		t->v[i] = k;
		while (i > 0 && before(t->v[(i - 1) / 2], t->v[i])) {
			struct cand *x = t->v[i];
			t->v[i] = t->v[(i - 1) / 2];
			t->v[(i - 1) / 2] = x;
			i = (i - 1) / 2;
		}
	} else if (before(k, t->v[0])) {
		t->v[0] = k;
		top_sift_down(t, 0);
	}
}

static enum kf_status read_skips(struct ctx *c, const char *today, struct kf_err *err)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	if (sqlite3_prepare_v2(c->db,
			       "SELECT entry FROM dated WHERE effective > ?1 OR expires <= ?1", -1,
			       &st, NULL) != SQLITE_OK)
		return kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(c->db));
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(c->skip, c->nskip + 1, alloc);
		c->skip[c->nskip++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(c->db));
	if (c->nskip > 1)
		qsort(c->skip, c->nskip, sizeof(*c->skip), by_rowid);
	return KF_OK;
}

/* The rowids sql (with ?1 = key) gives, sorted, into *v. */
static enum kf_status read_set(struct ctx *c, const char *sql, const char *key,
			       sqlite3_int64 **v, size_t *n, struct kf_err *err)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	*v = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(c->db));
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*v, *n + 1, alloc);
		(*v)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*v);
		*v = NULL;
		*n = 0;
		return kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(c->db));
	}
	if (*n > 1)
		qsort(*v, *n, sizeof(**v), by_rowid);
	return KF_OK;
}

/*
 * The entries of the category and with every tag asked for, from the
 * indexes on them: candidates outside are left out.
 */
static enum kf_status read_filter(struct ctx *c, const struct kb_filter *f, struct kf_err *err)
{
	enum kf_status st = KF_OK;
	sqlite3_int64 *v;
	size_t n;
	int first = 1;
	c->filtered = 1;
	for (size_t i = 0; i <= f->ntags && !st; i++) {
		const char *key = i < f->ntags ? f->tags[i] : f->category;
		if (!key)
			continue;
		st = read_set(c, i < f->ntags ? "SELECT entry FROM entry_tags WHERE tag = ?1"
					      : "SELECT rowid FROM entries WHERE category = ?1",
			      key, &v, &n, err);
		if (st)
			break;
		/* The first set, even an empty one: a tag nobody has leaves nothing. */
		if (first) {
			first = 0;
			c->only = v;
			c->nonly = n;
			continue;
		}
		/* Keep what both hold. */
		size_t k = 0;
		for (size_t j = 0; j < c->nonly; j++)
			if (n && bsearch(&c->only[j], v, n, sizeof(*v), by_rowid))
				c->only[k++] = c->only[j];
		c->nonly = k;
		free(v);
	}
	return st;
}

static int skipped(const struct ctx *c, sqlite3_int64 rowid)
{
	if (c->nskip && bsearch(&rowid, c->skip, c->nskip, sizeof(rowid), by_rowid))
		return 1;
	return c->filtered &&
	       !(c->nonly && bsearch(&rowid, c->only, c->nonly, sizeof(rowid), by_rowid));
}

/*
 * Whether x, its unknown weights at most its lists' boundary weights,
 * could rank before w when its bound ties w's score. It ties only with
 * every unknown weight at its boundary, which puts it after each such
 * boundary entry, hence newer than it.
 */
static int may_tie_before(const struct cand *x, const struct cand *w, const struct term_list *l,
			  size_t nt)
{
	if (x->rowid > w->rowid)
		return 0;
	for (size_t t = 0; t < nt; t++)
		if (!(x->known & (1u << t)) && x->rowid <= l[t].brow)
			return 0;
	return 1;
}

/*
 * The cut list whose completion would help most: the one unknown in most
 * of the candidates (cur, may be NULL, and those left) that could still
 * enter, else the one whose boundary allows the most. -1 when none is cut.
 */
static int worth_expanding(const struct ctx *c, const struct term_list *l,
			   const struct cand *cur, const struct queue *rest, const struct top *top,
			   size_t k)
{
	size_t count[LISTRANK_MAX_TERMS] = { 0 };
	int best = -1;
	for (size_t i = 0; i <= rest->n; i++) {
		const struct cand *x = i < rest->n ? &c->cand[rest->v[i]] : cur;
		if (!x || (top->n == k && x->ub < top->v[0]->score))
			continue;
		for (size_t t = 0; t < c->nt; t++)
			count[t] += !(x->known & (1u << t));
	}
	for (size_t t = 0; t < c->nt; t++) {
		if (!l[t].bw)
			continue;
		if (best < 0 || count[t] > count[best] ||
		    (count[t] == count[best] &&
		     rank_term(c->idf[t], l[t].bw, c->q->v[t].m8) >
			     rank_term(c->idf[best], l[best].bw, c->q->v[best].m8)))
			best = (int)t;
	}
	return best;
}

/* How many candidates, cur and those left, could still enter with a weight unknown. */
static size_t still_open(const struct ctx *c, const struct cand *cur, const struct queue *rest,
			 const struct top *top, size_t k, uint32_t all)
{
	size_t n = cur->known != all;
	for (size_t i = 0; i < rest->n; i++) {
		const struct cand *x = &c->cand[rest->v[i]];
		n += x->known != all && (top->n < k || x->ub >= top->v[0]->score);
	}
	return n;
}

/* Not a list: read the complete lists' entries at once first. */
#define EXPAND_BATCH (-2)

/*
 * With every term's list read: rank. Sets r->decided and fills r when
 * the lists decide; otherwise *expand is the list to complete before
 * trying again, EXPAND_BATCH, or -1.
 */
static enum kf_status rank(struct ctx *c, const struct term_list *l, size_t k,
			   struct listrank *r, int *expand, struct kf_err *err)
{
	uint32_t all = c->nt == 32 ? UINT32_MAX : (1u << c->nt) - 1, complete = 0;
	unsigned char at_bound[LISTRANK_MAX_TERMS];
	sqlite3_int64 last = 0; /* the newest boundary entry of a cut list */
	size_t total = 0, budget = c->words ? RESOLVE_FIRST_WORDS : RESOLVE_FIRST, i;
	size_t more = c->words ? RESOLVE_MORE_WORDS : RESOLVE_MORE;
	int extended = 0;

	*expand = -1;
	for (size_t t = 0; t < c->nt; t++) {
		total += l[t].n;
		at_bound[t] = (unsigned char)l[t].bw;
		if (!l[t].bw)
			complete |= 1u << t;
		else if (l[t].brow > last)
			last = l[t].brow;
	}
	/* The best an entry in no list can score: each weight at its boundary. */
	double out = score_of(c, at_bound);
	free(c->cand);
	free(c->slot);
	c->ncand = 0;
	c->cand = xmalloc((total ? total : 1) * sizeof(*c->cand));
	for (c->cap = 16; c->cap < 2 * total; c->cap *= 2)
		;
	c->slot = xmalloc(c->cap * sizeof(*c->slot));
	memset(c->slot, 0xff, c->cap * sizeof(*c->slot));
	for (size_t t = 0; t < c->nt; t++) {
		for (size_t j = 0; j < l[t].n; j++) {
			if (skipped(c, l[t].rowid[j]))
				continue;
			struct cand *x = cand_get(c, l[t].rowid[j]);
			x->w[t] = l[t].w[j];
			x->known |= 1u << t;
			x->in |= 1u << t;
		}
	}
	for (i = 0; i < c->ncand; i++) {
		struct cand *x = &c->cand[i];
		if (c->batched && (x->in & c->batch_lists)) {
			/* In a complete list at the batch: every weight known. */
			sqlite3_int64 *at =
				c->nbatch ? bsearch(&x->rowid, c->batch_rowid, c->nbatch,
						    sizeof(*c->batch_rowid), by_rowid)
					  : NULL;
			for (size_t t = 0; t < c->nt; t++)
				if (c->batch_cut & (1u << t))
					x->w[t] = at ? c->batch_w[at - c->batch_rowid][t] : 0;
			x->known = all;
		}
		x->known |= complete;
		x->score = x->ub = score_of(c, x->w);
		if (x->known != all) {
			unsigned char w[LISTRANK_MAX_TERMS];
			for (size_t t = 0; t < c->nt; t++)
				w[t] = x->known & (1u << t) ? x->w[t] : at_bound[t];
			x->ub = score_of(c, w);
		}
	}
	struct queue q;
	queue_init(&q, c->cand, c->ncand);
	struct top top = { xmalloc(k * sizeof(*top.v)), 0, k };
	enum kf_status st = KF_OK;
	while (q.n) {
		struct cand *x = &c->cand[queue_pop(&q)];
		if (top.n == k) {
			struct cand *w = top.v[0];
			if (x->ub < w->score)
				break; /* nothing from here on can enter */
			if (x->known == all ? !before(x, w)
					    : x->ub == w->score && !may_tie_before(x, w, l, c->nt))
				continue;
		}
		if (x->known != all) {
			if (!budget && !extended) {
				extended = 1;
				budget = still_open(c, x, &q, &top, k, all);
				if (budget > more)
					budget = 0;
			}
			if (!budget) {
				/* Cheaper at once: batch_complete(), then again. */
				*expand = complete && !c->batched
						  ? EXPAND_BATCH
						  : worth_expanding(c, l, x, &q, &top, k);
				goto out;
			}
			budget--;
			r->resolved++;
			if ((st = resolve(c, x, err)))
				goto out;
		}
		top_add(&top, x);
	}
	if (last) {
		/*
		 * An entry in no list ties out only at every cut list's
		 * boundary weight, hence newer than every boundary entry: it
		 * loses the tie to an entry at most as new as the newest.
		 */
		struct cand *w = top.n ? top.v[0] : NULL;
		if (top.n < k || !(w->score > out || (w->score == out && w->rowid <= last))) {
			*expand = worth_expanding(c, l, NULL, &q, &top, k);
			goto out;
		}
	}
	qsort(top.v, top.n, sizeof(*top.v), by_rank);
	r->rowid = xmalloc((top.n ? top.n : 1) * sizeof(*r->rowid));
	r->score = xmalloc((top.n ? top.n : 1) * sizeof(*r->score));
	for (i = 0; i < top.n; i++) {
		r->rowid[i] = top.v[i]->rowid;
		r->score[i] = top.v[i]->score;
	}
	r->n = top.n;
	r->decided = 1;
out:
	free(top.v);
	free(q.v);
	return st;
}

/*
 * The entries of the complete lists hold the query's rarer terms, and
 * often the best matches. Read the weights of every cut term in all of
 * them with one FTS5 query, rather than a page per entry: those that
 * the query does not return hold none of the cut terms.
 */
static enum kf_status batch_complete(struct ctx *c, const struct term_list *l,
				     struct kf_err *err)
{
	struct sbuf match = SBUF_INIT;
	int cut[LISTRANK_MAX_TERMS], ncut = 0, ncomplete = 0;
	size_t alloc = 0, falloc = 0;
	sqlite3_stmt *st;

	c->batch_lists = c->batch_cut = 0;
	sbuf_addch(&match, '(');
	for (size_t t = 0; t < c->nt; t++) {
		if (l[t].bw)
			continue;
		sbuf_addf(&match, "%s\"%s\"", ncomplete++ ? " OR " : "", c->q->v[t].text);
		c->batch_lists |= 1u << t;
	}
	sbuf_adds(&match, ") AND (");
	for (size_t t = 0; t < c->nt; t++) {
		if (!l[t].bw)
			continue;
		sbuf_addf(&match, "%s\"%s\"", ncut ? " OR " : "", c->q->v[t].text);
		cut[ncut++] = (int)t;
		c->batch_cut |= 1u << t;
	}
	sbuf_addch(&match, ')');
	if (sqlite3_prepare_v2(c->db, "SELECT rowid, kefu_ws(fts) FROM fts WHERE fts MATCH ?1",
			       -1, &st, NULL) != SQLITE_OK) {
		sbuf_release(&match);
		return kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(c->db));
	}
	sqlite3_bind_text(st, 1, match.buf, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_blob(st, 1);
		int nm = sqlite3_column_bytes(st, 1);
		ALLOC_GROW(c->batch_rowid, c->nbatch + 1, alloc);
		ALLOC_GROW(c->batch_w, c->nbatch + 1, falloc);
		memset(c->batch_w[c->nbatch], 0, sizeof(c->batch_w[0]));
		for (int j = 0; j < ncut; j++)
			if (ncomplete + j < nm)
				c->batch_w[c->nbatch][cut[j]] =
					m[ncomplete + j];
		c->batch_rowid[c->nbatch++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sbuf_release(&match);
	if (rc != SQLITE_DONE)
		return kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(c->db));
	c->batched = 1;
	/* FTS5 returns rows by rowid; keep bsearch safe all the same. */
	for (size_t i = 1; i < c->nbatch; i++)
		if (c->batch_rowid[i - 1] >= c->batch_rowid[i])
			return kf_fail(err, KF_EDB, "index: full-text rows out of order");
	return KF_OK;
}

/* Replace term t's list by all the entries holding it, from FTS5. */
static enum kf_status expand_list(struct ctx *c, size_t t, struct term_list *l,
				  struct kf_err *err)
{
	struct sbuf match = SBUF_INIT;
	sqlite3_stmt *st;
	size_t alloc = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT rowid, kefu_w(fts) FROM fts WHERE fts MATCH ?1", -1,
			       &st, NULL) != SQLITE_OK)
		return kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(c->db));
	/* Terms are letters, digits or CJK characters: nothing to escape. */
	sbuf_addf(&match, "\"%s\"", c->q->v[t].text);
	sqlite3_bind_text(st, 1, match.buf, -1, SQLITE_STATIC);
	term_list_release(l);
	int rc;
	size_t falloc = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(l->rowid, l->n + 1, alloc);
		ALLOC_GROW(l->w, l->n + 1, falloc);
		l->rowid[l->n] = sqlite3_column_int64(st, 0);
		l->w[l->n++] = (unsigned char)sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	sbuf_release(&match);
	if (rc != SQLITE_DONE)
		return kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(c->db));
	l->df = (sqlite3_int64)l->n;
	return KF_OK;
}

enum kf_status listrank_run(sqlite3 *db, struct query_terms *q, const struct kb_filter *f,
			    size_t k, int scan, struct listrank *r, struct kf_err *err)
{
	struct ctx c = { .db = db, .q = q };
	struct term_list l[LISTRANK_MAX_TERMS];
	sqlite3_stmt *get = NULL;
	char *docs = NULL;
	enum kf_status st = KF_OK;
	size_t nread = 0;

	memset(r, 0, sizeof(*r));
	if (sqlite3_prepare_v2(db, "SELECT df, bw, brow, list FROM terms WHERE term = ?1", -1,
			       &get, NULL) != SQLITE_OK)
		return kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(db));
	/*
	 * Each list read once: a word of the desk is taken as typed in full,
	 * which a scan needs to know too. Beyond the lists' reach, only the
	 * typing words are read.
	 */
	int lists = q->n <= LISTRANK_MAX_TERMS;
	for (size_t i = 0; i < q->n; i++) {
		struct term_list one, *t = lists ? &l[i] : &one;
		if (!lists && !q->v[i].typing)
			continue;
		if ((st = terms_read(get, q->v[i].text, t, err)))
			goto out;
		if (lists)
			nread = i + 1;
		if (t->df)
			q->v[i].typing = 0;
		if (!lists)
			term_list_release(&one);
	}
	if (scan || !lists)
		goto out;
	for (size_t i = 0; i < q->n; i++)
		if (q->v[i].typing)
			goto out;

	sqlite3_stmt *m;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'docs'", -1, &m, NULL) !=
	    SQLITE_OK) {
		st = kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(db));
		goto out;
	}
	if (sqlite3_step(m) == SQLITE_ROW)
		docs = xstrdup((const char *)sqlite3_column_text(m, 0));
	sqlite3_finalize(m);
	if (!docs)
		goto out; /* an index without term lists: scan */

	c.nt = q->n;
	for (size_t i = 0; i < c.nt; i++) {
		c.len[i] = strlen(q->v[i].text);
		c.idf[i] = rank_idf(atoll(docs), l[i].df);
		c.words |= !q->v[i].cjk;
	}
	if (f->today && (st = read_skips(&c, f->today, err)))
		goto out;
	if ((f->category || f->ntags) && (st = read_filter(&c, f, err)))
		goto out;
	if (c.filtered && !c.nonly) {
		r->decided = 1; /* no entry passes the filter: nothing to rank */
		goto out;
	}
	if (sqlite3_prepare_v2(db,
			       "SELECT title, keywords, scenario, tags, category, answer, notes, id"
			       " FROM entries WHERE rowid = ?1",
			       -1, &c.row, NULL) != SQLITE_OK) {
		st = kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(db));
		goto out;
	}
	for (;;) {
		int expand;
		if ((st = rank(&c, l, k, r, &expand, err)) || r->decided || expand == -1)
			break;
		if (expand == EXPAND_BATCH) {
			if ((st = batch_complete(&c, l, err)))
				break;
			r->batched = c.nbatch;
			continue;
		}
		r->expanded++;
		if ((st = expand_list(&c, (size_t)expand, &l[expand], err)))
			break;
	}
out:
	for (size_t i = 0; i < nread; i++)
		term_list_release(&l[i]);
	sqlite3_finalize(get);
	sqlite3_finalize(c.row);
	free(docs);
	free(c.cand);
	free(c.slot);
	free(c.skip);
	free(c.only);
	free(c.batch_rowid);
	free(c.batch_w);
	if (st)
		listrank_release(r);
	return st;
}

void listrank_release(struct listrank *r)
{
	free(r->rowid);
	free(r->score);
	r->rowid = NULL;
	r->score = NULL;
	r->n = 0;
	r->decided = 0;
}
