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

enum kf_status kb_search(struct kbindex *ix, const char *desk_db, const struct kb_query *q,
			 const char *today, struct kb_row **rows, size_t *n,
			 struct kb_search_info *info, struct kf_err *err)
{
	struct query_terms *terms = xmalloc(sizeof(*terms));
	struct listrank lr;
	sqlite3_int64 *ids = NULL;
	double *scores = NULL;
	size_t nids = 0;
	enum kf_status st;

	*rows = NULL;
	*n = 0;
	if (!query_terms(q->text, q->len, terms)) {
		free(terms);
		return kf_fail(err, KF_EINVAL, "nothing to search for in '%.80s'", q->text);
	}
	if ((st = query_expand(ix->db, terms, err)))
		goto out_terms;
	if (!terms->n) {
		if (info)
			info->lists = 1; /* nothing to rank: no entry holds any of it */
		goto out_terms;
	}
	/* The term lists rank; when they cannot decide, scan the matches. */
	size_t want = q->limit + EXTRA_CANDIDATES;
	if ((st = listrank_run(ix->db, terms, &q->filter, want, q->scan, &lr, err)))
		goto out;
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
		if (st)
			goto out;
	}
	if ((st = kbindex_fetch(ix, ids, scores, nids, rows, err)))
		goto out;
	*n = nids;
	struct kf_err why = { KF_OK, "" };
	load_uses(ix, q->store, desk_db, *rows, *n, &why);
	if (info)
		info->desk = why;
	long now = date_days(today);
	for (size_t i = 0; i < *n; i++)
		(*rows)[i].score *= kb_boost((*rows)[i].uses, now - date_days((*rows)[i].updated));
	if (*n > 1)
		qsort(*rows, *n, sizeof(**rows), by_score);
	while (*n > q->limit)
		kb_row_release(&(*rows)[--*n]);
out:
	if (lr.decided) {
		listrank_release(&lr);
	} else {
		free(ids);
		free(scores);
	}
out_terms:
	free(terms);
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
