#include "suggest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "indexopen.h"
#include "isotime.h"
#include "sbuf.h"
#include "search.h"
#include "store.h"

/* Candidates ranked before the similar tickets' uses reorder them. */
#define SUGGEST_CANDIDATES 4

double suggest_lift(long similar)
{
	if (similar <= 0)
		return 1.0;
	double lift = 0.08 * log2(1.0 + (double)similar);
	return 1.0 + (lift > 0.25 ? 0.25 : lift);
}

static int by_score(const void *a, const void *b)
{
	const struct suggestion *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

enum kf_status ticket_suggest(struct session *s, const struct ticket *t, size_t n,
			      struct suggestion **v, size_t *nv, problem_fn fn, void *ctx,
			      struct kf_err *err)
{
	struct kbindex ix;
	struct kb_row *rows = NULL;
	size_t nrows = 0;
	struct kf_err behind;
	char today[11];
	struct instant now = { s->who.when.t, workflows_offset(&s->wf, s->who.when.t) };

	*v = NULL;
	*nv = 0;
	if (!n)
		return KF_OK;
	iso_date(&now, today);
	enum kf_status st = kb_index_open_current(&s->desk, &ix, &behind, fn, ctx, err);
	if (st)
		return st;
	if (behind.status && fn)
		fn(ctx, behind.msg);
	/* The uses counted in the session's store: desk.db or PostgreSQL alike. */
	st = kb_suggest(&ix, s->store, t->subject, t->description, n * SUGGEST_CANDIDATES,
			today, &rows, &nrows, err);
	kbindex_close(&ix);
	if (st || !nrows)
		return st;

	const char **ids = xcalloc(nrows, sizeof(*ids));
	long *similar = xcalloc(nrows, sizeof(*similar));
	for (size_t i = 0; i < nrows; i++)
		ids[i] = rows[i].e.id;
	if (t->type)
		st = store_usage_counts_on_type(s->store, t->type, t->id, ids, nrows, similar, err);
	if (!st) {
		struct suggestion *out = xcalloc(nrows, sizeof(*out));
		for (size_t i = 0; i < nrows; i++) {
			out[i].id = xstrdup(rows[i].e.id);
			out[i].title = xstrdup(rows[i].e.title ? rows[i].e.title : "");
			out[i].similar = similar[i];
			out[i].rank = i;
			out[i].score = rows[i].score * suggest_lift(similar[i]);
		}
		qsort(out, nrows, sizeof(*out), by_score);
		for (size_t i = n; i < nrows; i++) {
			free(out[i].id);
			free(out[i].title);
		}
		*v = out;
		*nv = nrows < n ? nrows : n;
	}
	free(ids);
	free(similar);
	kb_rows_free(rows, nrows);
	return st;
}

void suggestions_free(struct suggestion *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].title);
	}
	free(v);
}
