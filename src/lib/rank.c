#include "rank.h"

#include <math.h>

#include "tokenizer.h"

#define K1 1.2

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
		double idf = log(((double)nrow - (double)n + 0.5) / ((double)n + 0.5));
		/* A term in most rows still counts a little, never against. */
		d->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
	if ((rc = api->xSetAuxdata(fts, d, sqlite3_free)) != SQLITE_OK)
		return rc; /* xSetAuxdata freed it */
	*out = d;
	return SQLITE_OK;
}

static void kefu_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		      int nval, sqlite3_value **val)
{
	struct rank_idf *d;
	int rc = idf_get(api, fts, &d);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = 0;
	for (int p = 0; p < d->nphrase; p++) {
		Fts5PhraseIter it;
		int col, off;
		double f = 0;
		for (api->xPhraseFirst(fts, p, &it, &col, &off); col >= 0;
		     api->xPhraseNext(fts, &it, &col, &off))
			f += col < nval ? sqlite3_value_double(val[col]) : 1.0;
		if (f > 0)
			score += d->idf[p] * f * (K1 + 1) / (f + K1);
	}
	sqlite3_result_double(ctx, -score);
}

enum kf_status rank_register(sqlite3 *db, struct kf_err *err)
{
	fts5_api *api;

	if (tok_fts5_api(db, &api, err))
		return KF_EDB;
	int rc = api->xCreateFunction(api, "kefu_rank", NULL, kefu_rank, NULL);
	if (rc != SQLITE_OK)
		return kf_fail(err, KF_EDB, "cannot register kefu_rank(): %s", sqlite3_errstr(rc));
	return KF_OK;
}
