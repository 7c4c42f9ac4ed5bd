#include "expand.h"

#include <stdlib.h>
#include <string.h>

#include "listrank.h"
#include "rank.h"
#include "sbuf.h"
#include "stem.h"
#include "terms.h"

#define TYPO_MIN 5  /* letters a word needs before its typos are sought */
/*
 * Common terms kept: each adds a list cut short, and with more than a
 * few the lists decide the best entries only after reading hundreds of
 * entries whole or completing lists of thousands. On make eval's sets
 * keeping six changed no MRR; a message's two keep it within 5 ms on
 * the bench's desk of 100,000 entries.
 */
#define COMMON_KEPT 6
#define COMMON_KEPT_LONG 2
/* A text of more words and characters than this is a message, not a query. */
#define LONG_TOKENS 24
#define TYPO_KEEP 3 /* desk words one edit away kept, the commonest */

struct look {
	sqlite3_stmt *df, *prefix, *range;
};

/* How many entries hold term; -1 on a database error. */
static sqlite3_int64 df_of(struct look *l, const char *term, size_t n)
{
	sqlite3_int64 df = 0;
	sqlite3_reset(l->df);
	sqlite3_bind_text(l->df, 1, term, (int)n, SQLITE_STATIC);
	int rc = sqlite3_step(l->df);
	if (rc == SQLITE_ROW)
		df = sqlite3_column_int64(l->df, 0);
	else if (rc != SQLITE_DONE)
		df = -1;
	sqlite3_reset(l->df);
	return df;
}

/* Some desk word begins with term (and is longer); -1 on error. */
static int is_prefix(struct look *l, const char *term)
{
	size_t n = strlen(term);
	char hi[TOK_MAX + 2];
	memcpy(hi, term, n + 1);
	/* The words after term and before its last byte's successor. */
	hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
	sqlite3_reset(l->prefix);
	sqlite3_bind_text(l->prefix, 1, term, (int)n, SQLITE_STATIC);
	sqlite3_bind_text(l->prefix, 2, hi, (int)n, SQLITE_STATIC);
	int rc = sqlite3_step(l->prefix);
	sqlite3_reset(l->prefix);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int latin(const char *s)
{
	for (; *s; s++)
		if (*s < 'a' || *s > 'z')
			return 0;
	return 1;
}

struct found {
	char text[TOK_MAX + 1];
	sqlite3_int64 df;
};

struct typos {
	struct found v[TYPO_KEEP];
	size_t n;
};

/* Keep w if it is a desk word among the commonest found so far. */
static int try_word(struct look *l, struct typos *t, const char *w, size_t n)
{
	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->v[i].text) == n && !memcmp(t->v[i].text, w, n))
			return 0;
	sqlite3_int64 df = df_of(l, w, n);
	if (df < 0)
		return -1;
	if (!df || (t->n == TYPO_KEEP && t->v[TYPO_KEEP - 1].df >= df))
		return 0;
	size_t at = t->n < TYPO_KEEP ? t->n++ : TYPO_KEEP - 1;
	memcpy(t->v[at].text, w, n);
	t->v[at].text[n] = '\0';
	t->v[at].df = df;
	/* Commonest first. */
	for (size_t i = at; i > 0 && t->v[i].df > t->v[i - 1].df; i--) {
		struct found x = t->v[i];
		t->v[i] = t->v[i - 1];
		t->v[i - 1] = x;
	}
	return 0;
}

/* a and b differ by one edit: a letter inserted, deleted or replaced, or two neighbours swapped. */
static int one_edit(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;
	if (na > nb) {
		const char *t = a;
		size_t nt = na;
		a = b, na = nb, b = t, nb = nt;
	}
	while (i < na && a[i] == b[i])
		i++;
	if (na == nb) {
		if (i == na)
			return 0; /* the same */
		if (!memcmp(a + i + 1, b + i + 1, na - i - 1))
			return 1; /* replaced */
		return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       !memcmp(a + i + 2, b + i + 2, na - i - 2); /* swapped */
	}
	return nb == na + 1 && !memcmp(a + i, b + i + 1, na - i); /* inserted */
}

/* Most keys read from one range of words: a short start is common. */
#define RANGE_MAX 4000

/* The words of the range [lo, lo's successor) one edit from w. */
static int near_range(struct look *l, const char *w, const char *lo, size_t nlo, int reversed,
		      struct typos *t)
{
	char hi[TOK_MAX + 2];
	size_t n = strlen(w), seen = 0;
	int rc;
	memcpy(hi, lo, nlo);
	hi[nlo - 1] = (char)(hi[nlo - 1] + 1);
	sqlite3_reset(l->range);
	sqlite3_bind_text(l->range, 1, lo, (int)nlo, SQLITE_TRANSIENT);
	sqlite3_bind_text(l->range, 2, hi, (int)nlo, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(l->range)) == SQLITE_ROW && seen++ < RANGE_MAX) {
		const char *k = (const char *)sqlite3_column_text(l->range, 0);
		size_t nk = (size_t)sqlite3_column_bytes(l->range, 0);
		char v[TOK_MAX + 2];
		if (reversed) {
			if (!nk || k[0] != '~' || nk - 1 > TOK_MAX)
				continue;
			for (size_t i = 1; i < nk; i++)
				v[nk - 1 - i] = k[i];
			nk--;
		} else {
			if (nk > TOK_MAX)
				continue;
			memcpy(v, k, nk);
		}
		if (nk + 1 < n || nk > n + 1 || !one_edit(w, n, v, nk))
			continue;
		if (try_word(l, t, v, nk) < 0) {
			sqlite3_reset(l->range);
			return -1;
		}
	}
	sqlite3_reset(l->range);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The desk words one edit from w. An edit at or after the middle h
 * leaves w's first h letters; one before it leaves the letters after
 * h: two ranges of words(key), forwards and reversed, hold them all.
 */
static int edits(struct look *l, const char *w, struct typos *t)
{
	size_t n = strlen(w), h = n / 2;
	char key[TOK_MAX + 2];
	if (near_range(l, w, w, h, 0, t) < 0)
		return -1;
	key[0] = '~';
	for (size_t i = 0; i < n - h - 1; i++)
		key[1 + i] = w[n - 1 - i];
	return near_range(l, w, key, n - h, 1, t);
}

/* The best split of w into two desk words, each stemmed: the commonest rarer half. */
static int split(struct look *l, const char *w, struct typos *t)
{
	size_t n = strlen(w);
	sqlite3_int64 best = 0;
	for (size_t i = 2; i + 2 <= n; i++) {
		char a[TOK_MAX + 1], b[TOK_MAX + 1];
		memcpy(a, w, i);
		size_t na = stem_english(a, i);
		memcpy(b, w + i, n - i);
		size_t nb = stem_english(b, n - i);
		sqlite3_int64 da = df_of(l, a, na), db = da > 0 ? df_of(l, b, nb) : 0;
		if (da < 0 || db < 0)
			return -1;
		sqlite3_int64 least = da < db ? da : db;
		if (least > best) {
			best = least;
			t->n = 2;
			memcpy(t->v[0].text, a, na);
			t->v[0].text[na] = '\0';
			t->v[0].df = da;
			memcpy(t->v[1].text, b, nb);
			t->v[1].text[nb] = '\0';
			t->v[1].df = db;
		}
	}
	return 0;
}

struct kept {
	struct query_term t;
	sqlite3_int64 df;
	size_t order;
};

static int by_df(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;
	/* Typing words stay whatever their count: they are what is being typed. */
	if (x->t.typing != y->t.typing)
		return y->t.typing - x->t.typing;
	if (x->df != y->df)
		return x->df < y->df ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int by_order(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Keep the terms that tell entries apart: of those held by more entries
 * than the longest term list keeps (common ones, whose lists are cut on
 * any desk), the COMMON_KEPT rarest, or COMMON_KEPT_LONG of a message;
 * then at most LISTRANK_MAX_TERMS terms, the rarest. The order typed
 * stays.
 */
static void keep_rarest(struct kept *k, size_t *nk, int longq)
{
	size_t room = longq ? COMMON_KEPT_LONG : COMMON_KEPT, n = 0;
	qsort(k, *nk, sizeof(*k), by_df);
	for (size_t i = 0; i < *nk && n < LISTRANK_MAX_TERMS; i++) {
		if (k[i].df > TERMS_LIST_MAX && !k[i].t.typing) {
			if (!room)
				continue;
			room--;
		}
		k[n++] = k[i];
	}
	*nk = n;
	qsort(k, n, sizeof(*k), by_order);
}

enum kf_status query_expand(sqlite3 *db, struct query_terms *q, struct kf_err *err)
{
	struct look l = { NULL, NULL, NULL };
	struct kept *k = xmalloc((QUERY_MAX_TERMS + 1) * sizeof(*k));
	size_t nk = 0;
	enum kf_status st = KF_OK;

	if (sqlite3_prepare_v2(db, "SELECT df FROM terms WHERE term = ?1", -1, &l.df, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT 1 FROM terms WHERE term > ?1 AND term < ?2 LIMIT 1",
			       -1, &l.prefix, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT key FROM words WHERE key >= ?1 AND key < ?2", -1,
			       &l.range, NULL) != SQLITE_OK) {
		st = kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(db));
		goto out;
	}
	for (size_t i = 0; i < q->n; i++) {
		struct query_term *t = &q->v[i];
		sqlite3_int64 df = df_of(&l, t->text, strlen(t->text));
		int pre = 0;
		if (df < 0)
			goto fail;
		if (df)
			t->typing = 0;
		if (t->typing && (pre = is_prefix(&l, t->text)) < 0)
			goto fail;
		t->typing = pre;
		if (df || t->typing) {
			if (nk < QUERY_MAX_TERMS) {
				k[nk] = (struct kept){ *t, df, nk };
				nk++;
			}
			continue;
		}
		if (t->cjk || t->join || !latin(t->text) || strlen(t->text) < TYPO_MIN)
			continue;
		struct typos ty = { .n = 0 };
		int m8 = EXPAND_TYPO_M8;
		if (edits(&l, t->text, &ty) < 0)
			goto fail;
		if (!ty.n) {
			if (split(&l, t->text, &ty) < 0)
				goto fail;
			m8 = RANK_FULL;
		}
		for (size_t j = 0; j < ty.n && nk < QUERY_MAX_TERMS; j++) {
			if (m8 == RANK_FULL && query_is_stop(ty.v[j].text))
				continue;
			struct query_term x = { .kind = TOK_WORD, .m8 = m8 };
			memcpy(x.text, ty.v[j].text, sizeof(x.text));
			/* Already a term of the query: it is there in full. */
			int dup = 0;
			for (size_t m = 0; m < q->n && !dup; m++)
				dup = !strcmp(q->v[m].text, x.text);
			for (size_t m = 0; m < nk && !dup; m++)
				dup = !strcmp(k[m].t.text, x.text);
			if (!dup) {
				k[nk] = (struct kept){ x, ty.v[j].df, nk };
				nk++;
			}
		}
	}
	if (nk > 1)
		keep_rarest(k, &nk, q->tokens > LONG_TOKENS);
	for (size_t i = 0; i < nk; i++)
		q->v[i] = k[i].t;
	q->n = nk;
	goto out;
fail:
	st = kf_fail(err, KF_EDB, "index: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(l.df);
	sqlite3_finalize(l.prefix);
	sqlite3_finalize(l.range);
	free(k);
	return st;
}
