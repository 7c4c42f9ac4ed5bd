#include "search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expand.h"
#include "isotime.h"
#include "listrank.h"
#include "query.h"
#include "sbuf.h"
#include "store.h"

/* Candidates re-ranked beyond those asked for, so boosts can reorder. */
#define EXTRA_CANDIDATES 20

double kb_boost(long uses, long age_days)
{
	if (uses < 0)
		uses = 0;
	if (age_days < 0)
		age_days = 0;
	/* usage: +5% per doubling, at most +20%; freshness: +10%, halving every 90 days */
	double u = 0.05 * log2(1.0 + (double)uses);
	if (u > 0.20)
		u = 0.20;
	double f = 0.10 * exp2(-(double)age_days / 90.0);
	return (1.0 + u) * (1.0 + f);
}

static long date_days(const char *s)
{
	if (!s || strlen(s) < 10)
		return 0;
	return (long)days_from_civil(atoi(s), atoi(s + 5), atoi(s + 8));
}

/*
 * Uses from the desk's store: open already (open), else the one at
 * desk_db when there is one, else the index's copy of a server's. A store
 * that cannot be read is said in why, and counts nothing.
 */
static void load_uses(struct kbindex *ix, struct store *open, const char *desk_db,
		      struct kb_row *rows, size_t n, struct kf_err *why)
{
	struct store *st = NULL;
	enum kf_status r = !open && desk_db ? store_open(desk_db, STORE_READ, &st, why) : KF_OK;
	if (r == KF_ENOTFOUND) {
		*why = (struct kf_err){ KF_OK, "" }; /* no tickets yet: no uses */
		return;
	}
	if (r)
		return;
	const char **ids = xcalloc(n + 1, sizeof(*ids));
	long *uses = xcalloc(n + 1, sizeof(*uses));
	for (size_t i = 0; i < n; i++)
		ids[i] = rows[i].e.id;
	struct store *from = open ? open : st;
	if (!(from ? store_usage_counts(from, ids, n, uses, why)
		   : kbindex_uses_get(ix, ids, n, uses, why)))
		for (size_t i = 0; i < n; i++)
			rows[i].uses = uses[i];
	free(ids);
	free(uses);
	store_close(st);
}

/* Characters, not bytes: a Chinese title is not three times as long. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * Best first; of equal scores, the shorter title (it says the same in
 * fewer words, so it is more to the point), then the id.
 */
static int by_score(const void *a, const void *b)
{
	const struct kb_row *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	size_t lx = chars(x->e.title), ly = chars(y->e.title);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->e.id, y->e.id);
}

/* The desk's best want entries for terms, unboosted, onto *rows. */
static enum kf_status search_desk(struct kbindex *ix, const struct kb_query *q,
				  struct query_terms *terms, size_t want, struct kb_row **rows,
				  size_t *n, struct kb_search_info *info, struct kf_err *err)
{
	struct listrank lr;
	sqlite3_int64 *ids = NULL;
	double *scores = NULL;
	size_t nids = 0;
	enum kf_status st;

	if ((st = query_expand(ix->db, terms, err)))
		return st;
	if (!terms->n) {
		if (info)
			info->lists = 1; /* nothing to rank: no entry holds any of it */
		return KF_OK;
	}
	/* The term lists rank; when they cannot decide, scan the matches. */
	if ((st = listrank_run(ix->db, terms, &q->filter, want, q->scan, &lr, err)))
		return st;
	if (info) {
		info->lists = lr.decided;
		info->resolved = lr.resolved;
		info->expanded = lr.expanded;
		info->batched = lr.batched;
	}
	if (lr.decided) {
		ids = lr.rowid;
		scores = lr.score;
		nids = lr.n;
	} else {
		struct sbuf match = SBUF_INIT;
		unsigned char m8[2 * QUERY_MAX_TERMS];
		size_t nm = query_match(terms, &match, m8);
		st = kbindex_rank(ix, match.buf, m8, nm, &q->filter, want, &ids, &scores, &nids,
				  err);
		sbuf_release(&match);
	}
	if (!st && (st = kbindex_fetch(ix, ids, scores, nids, rows, err)) == KF_OK)
		*n = nids;
	if (lr.decided) {
		listrank_release(&lr);
	} else {
		free(ids);
		free(scores);
	}
	return st;
}

static int has_term(const struct query_terms *q, const char *text)
{
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->v[i].text, text))
			return 1;
	return 0;
}

/*
 * The agent's own best want entries for terms (as typed, read against
 * their own words), appended to *rows. They are ranked as if they were
 * among the desk's entries: a word the desk holds counts only if the
 * desk's reading of the query (desk) kept it, and each phrase's idf
 * counts the desk's entries too; so an entry of one's own weighs what it
 * would weigh in the desk, not what it weighs among a handful.
 */
static enum kf_status search_mine(struct kbindex *ix, struct kbindex *mine,
				  const struct kb_query *q, const struct query_terms *desk,
				  struct query_terms *terms, size_t want, struct kb_row **rows,
				  size_t *n, struct kf_err *err)
{
	struct sbuf match = SBUF_INIT, phrase = SBUF_INIT;
	unsigned char m8[2 * QUERY_MAX_TERMS];
	sqlite3_int64 *ids = NULL, *elsewhere = NULL;
	double *scores = NULL;
	size_t nids = 0;
	struct kb_row *more = NULL;
	char *docs = NULL;
	enum kf_status st;

	if ((st = query_expand(mine->db, terms, err)) || !terms->n)
		return st;
	/* Each phrase's count among the desk's entries; the desk's common words dropped. */
	elsewhere = xcalloc(2 * terms->n + 1, sizeof(*elsewhere));
	size_t kept = 0, p = 0;
	for (size_t i = 0; i < terms->n; i++) {
		sqlite3_int64 df;
		if ((st = kbindex_df(ix, terms->v[i].text, NULL, &df, err)))
			goto out;
		if (df && !has_term(desk, terms->v[i].text))
			continue;
		terms->v[kept++] = terms->v[i];
		elsewhere[1 + p++] = df;
		if (terms->v[i].typing) {
			sbuf_reset(&phrase);
			query_phrase(terms->v[i].text, 1, &phrase);
			if ((st = kbindex_df(ix, NULL, phrase.buf, &elsewhere[1 + p++], err)))
				goto out;
		}
	}
	terms->n = kept;
	if (!kept)
		goto out;
	if ((st = kbindex_meta_get(ix, "docs", &docs, err)))
		goto out;
	elsewhere[0] = docs ? atoll(docs) : 0;
	size_t nm = query_match(terms, &match, m8);
	if ((st = kbindex_rank_beside(mine, match.buf, m8, nm, elsewhere, &q->filter, want,
					    &ids, &scores, &nids, err)) ||
	    (st = kbindex_fetch(mine, ids, scores, nids, &more, err)))
		goto out;
	*rows = xrealloc(*rows, (*n + nids + 1) * sizeof(**rows));
	for (size_t i = 0; i < nids; i++) {
		more[i].mine = 1;
		(*rows)[(*n)++] = more[i];
	}
	free(more);
out:
	free(ids);
	free(scores);
	free(elsewhere);
	free(docs);
	sbuf_release(&match);
	sbuf_release(&phrase);
	return st;
}

enum kf_status kb_search(struct kbindex *ix, const char *desk_db, const struct kb_query *q,
			 const char *today, struct kb_row **rows, size_t *n,
			 struct kb_search_info *info, struct kf_err *err)
{
	struct query_terms *terms = xmalloc(sizeof(*terms)), *mine = NULL;
	/* Candidates beyond those asked for, so that boosts can reorder. */
	size_t want = q->limit + EXTRA_CANDIDATES;
	enum kf_status st;

	*rows = NULL;
	*n = 0;
	if (!query_terms(q->text, q->len, terms)) {
		free(terms);
		return kf_fail(err, KF_EINVAL, "nothing to search for in '%.80s'", q->text);
	}
	if (q->mine) {
		mine = xmalloc(sizeof(*mine));
		memcpy(mine, terms, sizeof(*mine));
	}
	if ((st = search_desk(ix, q, terms, want, rows, n, info, err)))
		goto out;
	struct kf_err why = { KF_OK, "" };
	load_uses(ix, q->store, desk_db, *rows, *n, &why);
	if (info)
		info->desk = why;
	/* One's own entries are used by nobody else: no uses to count. */
	if (mine && (st = search_mine(ix, q->mine, q, terms, mine, want, rows, n, err)))
		goto out;
	long now = date_days(today);
	for (size_t i = 0; i < *n; i++)
		(*rows)[i].score *= kb_boost((*rows)[i].uses, now - date_days((*rows)[i].updated));
	if (*n > 1)
		qsort(*rows, *n, sizeof(**rows), by_score);
	while (*n > q->limit)
		kb_row_release(&(*rows)[--*n]);
out:
	if (st) {
		kb_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	free(terms);
	free(mine);
	return st;
}

enum kf_status kb_suggest(struct kbindex *ix, struct store *st, const char *subject,
			  const char *description, size_t n, const char *today,
			  struct kb_row **rows, size_t *nrows, struct kf_err *err)
{
	struct sbuf text = SBUF_INIT;
	struct kb_query q = { 0 };
	if (subject)
		sbuf_adds(&text, subject);
	if (description) {
		/* A line apart: the subject's last word is not joined to the description's first. */
		if (text.len)
			sbuf_addch(&text, '\n');
		sbuf_adds(&text, description);
	}
	/* A ticket's text is finished: its last word is not being typed. */
	sbuf_addch(&text, '\n');
	q.text = text.buf;
	q.len = text.len;
	q.filter.today = today;
	q.limit = n;
	q.store = st;
	enum kf_status r = kb_search(ix, NULL, &q, today, rows, nrows, NULL, err);
	sbuf_release(&text);
	if (r == KF_EINVAL) {
		*rows = NULL;
		*nrows = 0;
		return KF_OK;
	}
	return r;
}
