#include "rank.h"

#include <math.h>

#include "tokenizer.h"

#define K1 1.2

/* Each column's weight, typical length in tokens and length factor b. */
static const struct {
	double w, len, b;
} col[RANK_NCOLS] = {
	[RANK_TITLE] = { 10, 10, 0.75 },   [RANK_KEYWORDS] = { 8, 10, 0.75 },
	[RANK_SCENARIO] = { 4, 16, 0.75 }, [RANK_TAGS] = { 3, 4, 0 },
	[RANK_CATEGORY] = { 2, 4, 0 },	   [RANK_ANSWER] = { 1, 100, 0.75 },
	[RANK_NOTES] = { 0.5, 40, 0.75 },  [RANK_ID] = { 4, 3, 0 },
};

int rank_weight(unsigned mask, const int len[RANK_NCOLS])
{
	double f = 0;
	if (!mask)
		return 0;
	for (int c = 0; c < RANK_NCOLS; c++) {
		if (!(mask & (1u << c)))
			continue;
		double b = col[c].b;
		f += col[c].w / (1 - b + b * len[c] / col[c].len);
	}
	double q = floor(f * 4 + 0.5);
	return q < 1 ? 1 : q > 255 ? 255 : (int)q;
}

double rank_idf(sqlite3_int64 ndocs, sqlite3_int64 df)
{
	/*
	 * Lucene's form: a term in most entries still counts a little. On
	 * a small desk, "card" in 60% of the entries still tells them apart.
	 */
	return log(1.0 + ((double)ndocs - (double)df + 0.5) / ((double)df + 0.5));
}

double rank_term(double idf, int w, int m8)
{
	double f = w / 4.0;
	return idf * f * (K1 + 1) / (f + K1) * m8 / RANK_FULL;
}

/* Computed once a query: the inverse document frequency of each phrase. */
struct rank_idf {
	int nphrase;
	double idf[];
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *data)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)data)++;
	return SQLITE_OK;
}

static int idf_get(const Fts5ExtensionApi *api, Fts5Context *fts, struct rank_idf **out)
{
	struct rank_idf *d = api->xGetAuxdata(fts, 0);
	if (d) {
		*out = d;
		return SQLITE_OK;
	}
	int nphrase = api->xPhraseCount(fts);
	sqlite3_int64 nrow = 0;
	int rc = api->xRowCount(fts, &nrow);
	if (rc != SQLITE_OK)
		return rc;
	d = sqlite3_malloc64(sizeof(*d) + (size_t)nphrase * sizeof(d->idf[0]));
	if (!d)
		return SQLITE_NOMEM;
	d->nphrase = nphrase;
	for (int i = 0; i < nphrase; i++) {
		sqlite3_int64 n = 0;
		if ((rc = api->xQueryPhrase(fts, i, &n, count_row)) != SQLITE_OK) {
			sqlite3_free(d);
			return rc;
		}
		d->idf[i] = rank_idf(nrow, n);
	}
	if ((rc = api->xSetAuxdata(fts, d, sqlite3_free)) != SQLITE_OK)
		return rc; /* xSetAuxdata freed it */
	*out = d;
	return SQLITE_OK;
}

/* The columns of the current row that hold phrase p, as a bit set. */
static unsigned phrase_mask(const Fts5ExtensionApi *api, Fts5Context *fts, int p)
{
	Fts5PhraseIter it;
	int c;
	unsigned mask = 0;
	for (api->xPhraseFirstColumn(fts, p, &it, &c); c >= 0;
	     api->xPhraseNextColumn(fts, &it, &c))
		if (c < RANK_NCOLS)
			mask |= 1u << c;
	return mask;
}

/* The lengths of the current row's columns, once it is known to matter. */
struct row_len {
	int have;
	int len[RANK_NCOLS];
};

static int weight(const Fts5ExtensionApi *api, Fts5Context *fts, int p, struct row_len *rl)
{
	unsigned mask = phrase_mask(api, fts, p);
	if (!mask)
		return 0;
	if (!rl->have) {
		for (int c = 0; c < RANK_NCOLS; c++)
			if (api->xColumnSize(fts, c, &rl->len[c]) != SQLITE_OK)
				rl->len[c] = 0;
		rl->have = 1;
	}
	return rank_weight(mask, rl->len);
}

static void kefu_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		      int nval, sqlite3_value **val)
{
	struct rank_idf *d;
	struct row_len rl = { 0 };
	const unsigned char *m8 = NULL;
	int nm = 0;
	if (nval > 0) {
		m8 = sqlite3_value_blob(val[0]);
		nm = sqlite3_value_bytes(val[0]);
	}
	int rc = idf_get(api, fts, &d);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = 0;
	for (int p = 0; p < d->nphrase; p++) {
		int w = weight(api, fts, p, &rl);
		if (w)
			score += rank_term(d->idf[p], w, p < nm ? m8[p] : RANK_FULL);
	}
	sqlite3_result_double(ctx, -score);
}

static void kefu_w(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		   int nval, sqlite3_value **val)
{
	struct row_len rl = { 0 };
	(void)nval;
	(void)val;
	sqlite3_result_int(ctx, weight(api, fts, 0, &rl));
}

static void kefu_ws(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int nval, sqlite3_value **val)
{
	unsigned char m[256];
	struct row_len rl = { 0 };
	int n = api->xPhraseCount(fts);
	(void)nval;
	(void)val;
	if (n > (int)sizeof(m))
		n = (int)sizeof(m);
	for (int p = 0; p < n; p++)
		m[p] = (unsigned char)weight(api, fts, p, &rl);
	sqlite3_result_blob(ctx, m, n, SQLITE_TRANSIENT);
}

enum kf_status rank_register(sqlite3 *db, struct kf_err *err)
{
	fts5_api *api;

	if (tok_fts5_api(db, &api, err))
		return KF_EDB;
	int rc = api->xCreateFunction(api, "kefu_rank", NULL, kefu_rank, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "kefu_w", NULL, kefu_w, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "kefu_ws", NULL, kefu_ws, NULL);
	if (rc != SQLITE_OK)
		return kf_fail(err, KF_EDB, "cannot register kefu_rank(): %s", sqlite3_errstr(rc));
	return KF_OK;
}
