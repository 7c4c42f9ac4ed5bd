#include "rank.h"

#include <math.h>

#include "tokenizer.h"

#define K1 1.2

const unsigned char rank_w2[RANK_NCOLS] = { 20, 16, 8, 6, 4, 2, 1 };

int rank_f2(unsigned mask)
{
	int f2 = 0;
	for (int c = 0; c < RANK_NCOLS; c++)
		if (mask & (1u << c))
			f2 += rank_w2[c];
	return f2;
}

double rank_idf(sqlite3_int64 ndocs, sqlite3_int64 df)
{
	/*
	 * Lucene's form: a term in most entries still counts a little. On
	 * a small desk, "card" in 60% of the entries still tells them apart.
	 */
	return log(1.0 + ((double)ndocs - (double)df + 0.5) / ((double)df + 0.5));
}

double rank_term(double idf, int f2)
{
	double f = f2 / 2.0;
	return idf * f * (K1 + 1) / (f + K1);
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
	int col;
	unsigned mask = 0;
	for (api->xPhraseFirstColumn(fts, p, &it, &col); col >= 0;
	     api->xPhraseNextColumn(fts, &it, &col))
		if (col < RANK_NCOLS)
			mask |= 1u << col;
	return mask;
}

static void kefu_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		      int nval, sqlite3_value **val)
{
	struct rank_idf *d;
	(void)nval;
	(void)val;
	int rc = idf_get(api, fts, &d);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = 0;
	for (int p = 0; p < d->nphrase; p++) {
		int f2 = rank_f2(phrase_mask(api, fts, p));
		if (f2)
			score += rank_term(d->idf[p], f2);
	}
	sqlite3_result_double(ctx, -score);
}

static void kefu_f2(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int nval, sqlite3_value **val)
{
	(void)nval;
	(void)val;
	sqlite3_result_int(ctx, rank_f2(phrase_mask(api, fts, 0)));
}

static void kefu_masks(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		       int nval, sqlite3_value **val)
{
	unsigned char m[256];
	int n = api->xPhraseCount(fts);
	(void)nval;
	(void)val;
	if (n > (int)sizeof(m))
		n = (int)sizeof(m);
	for (int p = 0; p < n; p++)
		m[p] = (unsigned char)phrase_mask(api, fts, p);
	sqlite3_result_blob(ctx, m, n, SQLITE_TRANSIENT);
}

enum kf_status rank_register(sqlite3 *db, struct kf_err *err)
{
	fts5_api *api;

	if (tok_fts5_api(db, &api, err))
		return KF_EDB;
	int rc = api->xCreateFunction(api, "kefu_rank", NULL, kefu_rank, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "kefu_f2", NULL, kefu_f2, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "kefu_masks", NULL, kefu_masks, NULL);
	if (rc != SQLITE_OK)
		return kf_fail(err, KF_EDB, "cannot register kefu_rank(): %s", sqlite3_errstr(rc));
	return KF_OK;
}
