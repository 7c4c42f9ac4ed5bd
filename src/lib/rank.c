#include "rank.h"

#include <math.h>
#include <string.h>

#include "tokenizer.h"

#define K1 1.2

/* Each column's weight, typical length in tokens and length factor b. */
static const struct {
	double w, len, b;
} col[RANK_NCOLS] = {
	[RANK_TITLE] = { 10, 10, 0.75 }, [RANK_KEYWORDS] = { 8, 10, 0.75 },
	[RANK_SCENARIO] = { 4, 1, 0 },	 [RANK_TAGS] = { 3, 1, 0 },
	[RANK_CATEGORY] = { 2, 1, 0 },	 [RANK_ANSWER] = { 1, 1, 0 },
	[RANK_NOTES] = { 0.5, 1, 0 },	 [RANK_ID] = { 4, 1, 0 },
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
		int n = len[c] > RANK_LEN_MAX ? RANK_LEN_MAX : len[c];
		f += col[c].w / (1 - b + b * n / col[c].len);
	}
	double q = floor(f * 4 + 0.5);
	return q < 1 ? 1 : q > 255 ? 255 : (int)q;
}

void rank_len_pack(const int len[RANK_NCOLS], unsigned char out[2])
{
	out[0] = (unsigned char)(len[RANK_TITLE] > RANK_LEN_MAX ? RANK_LEN_MAX : len[RANK_TITLE]);
	out[1] = (unsigned char)(len[RANK_KEYWORDS] > RANK_LEN_MAX ? RANK_LEN_MAX
								    : len[RANK_KEYWORDS]);
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

/*
 * Kept for the length of one query: the inverse document frequency of
 * each phrase (kefu_rank() only), and the chunks of the table lens read
 * so far.
 */
struct query_data {
	sqlite3 *db;
	sqlite3_stmt *get;
	unsigned char **chunk; /* by chunk number; NULL: not read yet */
	size_t nchunk;
	int nphrase; /* -1: the idf not computed */
	double *idf;
};

static void query_data_free(void *p)
{
	struct query_data *d = p;
	sqlite3_finalize(d->get);
	for (size_t i = 0; i < d->nchunk; i++)
		sqlite3_free(d->chunk[i]);
	sqlite3_free(d->chunk);
	sqlite3_free(d->idf);
	sqlite3_free(d);
}

static int query_data(const Fts5ExtensionApi *api, Fts5Context *fts, struct query_data **out)
{
	struct query_data *d = api->xGetAuxdata(fts, 0);
	if (!d) {
		d = sqlite3_malloc64(sizeof(*d));
		if (!d)
			return SQLITE_NOMEM;
		memset(d, 0, sizeof(*d));
		d->db = api->xUserData(fts);
		d->nphrase = -1;
		int rc = api->xSetAuxdata(fts, d, query_data_free);
		if (rc != SQLITE_OK)
			return rc; /* xSetAuxdata freed it */
	}
	*out = d;
	return SQLITE_OK;
}

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *data)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)data)++;
	return SQLITE_OK;
}

/*
 * The idf of each phrase, once a query. Entries elsewhere (a blob of
 * int64: their number, then each phrase's count among them) count as
 * if they were in this table too.
 */
static int idf_get(const Fts5ExtensionApi *api, Fts5Context *fts, struct query_data *d,
		   const sqlite3_int64 *elsewhere, int nelse)
{
	if (d->nphrase >= 0)
		return SQLITE_OK;
	int nphrase = api->xPhraseCount(fts);
	sqlite3_int64 nrow = 0;
	int rc = api->xRowCount(fts, &nrow);
	if (rc != SQLITE_OK)
		return rc;
	if (nelse > 0)
		nrow += elsewhere[0];
	d->idf = sqlite3_malloc64((size_t)(nphrase ? nphrase : 1) * sizeof(*d->idf));
	if (!d->idf)
		return SQLITE_NOMEM;
	for (int i = 0; i < nphrase; i++) {
		sqlite3_int64 n = 0;
		if ((rc = api->xQueryPhrase(fts, i, &n, count_row)) != SQLITE_OK)
			return rc;
		if (i + 1 < nelse)
			n += elsewhere[i + 1];
		d->idf[i] = rank_idf(nrow, n);
	}
	d->nphrase = nphrase;
	return SQLITE_OK;
}

/* The title's and keywords' lengths of the current row, into len[]. */
static int row_len(const Fts5ExtensionApi *api, Fts5Context *fts, struct query_data *d,
		   int len[RANK_NCOLS])
{
	sqlite3_int64 rowid = api->xRowid(fts);
	size_t c = (size_t)(rowid / RANK_LEN_CHUNK), at = (size_t)(rowid % RANK_LEN_CHUNK);
	memset(len, 0, RANK_NCOLS * sizeof(*len));
	if (rowid < 0)
		return SQLITE_OK;
	if (c >= d->nchunk) {
		size_t n = c + 1;
		unsigned char **v = sqlite3_realloc64(d->chunk, n * sizeof(*v));
		if (!v)
			return SQLITE_NOMEM;
		memset(v + d->nchunk, 0, (n - d->nchunk) * sizeof(*v));
		d->chunk = v;
		d->nchunk = n;
	}
	if (!d->chunk[c]) {
		int rc;
		if (!d->get && (rc = sqlite3_prepare_v2(d->db, "SELECT data FROM lens WHERE chunk = ?1",
							-1, &d->get, NULL)) != SQLITE_OK)
			return rc;
		unsigned char *data = sqlite3_malloc64(2 * RANK_LEN_CHUNK);
		if (!data)
			return SQLITE_NOMEM;
		memset(data, 0, 2 * RANK_LEN_CHUNK);
		sqlite3_bind_int64(d->get, 1, (sqlite3_int64)c);
		rc = sqlite3_step(d->get);
		if (rc == SQLITE_ROW) {
			int n = sqlite3_column_bytes(d->get, 0);
			const void *b = sqlite3_column_blob(d->get, 0);
			if (b)
				memcpy(data, b, n < 2 * RANK_LEN_CHUNK ? (size_t)n : 2 * RANK_LEN_CHUNK);
		}
		sqlite3_reset(d->get);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			sqlite3_free(data);
			return rc;
		}
		d->chunk[c] = data;
	}
	len[RANK_TITLE] = d->chunk[c][2 * at];
	len[RANK_KEYWORDS] = d->chunk[c][2 * at + 1];
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

/* The lengths of the current row, once it is known to matter. */
struct row_len {
	int have;
	int len[RANK_NCOLS];
};

static int weight(const Fts5ExtensionApi *api, Fts5Context *fts, struct query_data *d, int p,
		  struct row_len *rl, int *w)
{
	unsigned mask = phrase_mask(api, fts, p);
	*w = 0;
	if (!mask)
		return SQLITE_OK;
	if (!rl->have && (mask & (1u << RANK_TITLE | 1u << RANK_KEYWORDS))) {
		int rc = row_len(api, fts, d, rl->len);
		if (rc != SQLITE_OK)
			return rc;
		rl->have = 1;
	}
	*w = rank_weight(mask, rl->len);
	return SQLITE_OK;
}

static void kefu_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		      int nval, sqlite3_value **val)
{
	struct query_data *d;
	struct row_len rl = { 0, { 0 } };
	const unsigned char *m8 = NULL;
	sqlite3_int64 elsewhere[1 + 256];
	int nm = 0, nelse = 0, rc;
	if (nval > 0) {
		m8 = sqlite3_value_blob(val[0]);
		nm = sqlite3_value_bytes(val[0]);
	}
	if (nval > 1 && sqlite3_value_type(val[1]) == SQLITE_BLOB) {
		/* Copied: a blob's bytes need not be aligned for int64. */
		int bytes = sqlite3_value_bytes(val[1]);
		if (bytes > (int)sizeof(elsewhere))
			bytes = (int)sizeof(elsewhere);
		memcpy(elsewhere, sqlite3_value_blob(val[1]), (size_t)bytes);
		nelse = bytes / (int)sizeof(*elsewhere);
	}
	if ((rc = query_data(api, fts, &d)) != SQLITE_OK ||
	    (rc = idf_get(api, fts, d, elsewhere, nelse)) != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = 0;
	for (int p = 0; p < d->nphrase; p++) {
		int w;
		if ((rc = weight(api, fts, d, p, &rl, &w)) != SQLITE_OK) {
			sqlite3_result_error_code(ctx, rc);
			return;
		}
		if (w)
			score += rank_term(d->idf[p], w, p < nm ? m8[p] : RANK_FULL);
	}
	sqlite3_result_double(ctx, -score);
}

static void kefu_w(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		   int nval, sqlite3_value **val)
{
	struct query_data *d;
	struct row_len rl = { 0, { 0 } };
	int w = 0, rc;
	(void)nval;
	(void)val;
	if ((rc = query_data(api, fts, &d)) != SQLITE_OK ||
	    (rc = weight(api, fts, d, 0, &rl, &w)) != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	sqlite3_result_int(ctx, w);
}

static void kefu_ws(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int nval, sqlite3_value **val)
{
	unsigned char m[256];
	struct query_data *d;
	struct row_len rl = { 0, { 0 } };
	int n = api->xPhraseCount(fts), rc;
	(void)nval;
	(void)val;
	if (n > (int)sizeof(m))
		n = (int)sizeof(m);
	if ((rc = query_data(api, fts, &d)) != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	for (int p = 0; p < n; p++) {
		int w;
		if ((rc = weight(api, fts, d, p, &rl, &w)) != SQLITE_OK) {
			sqlite3_result_error_code(ctx, rc);
			return;
		}
		m[p] = (unsigned char)w;
	}
	sqlite3_result_blob(ctx, m, n, SQLITE_TRANSIENT);
}

enum kf_status rank_register(sqlite3 *db, struct kf_err *err)
{
	fts5_api *api;

	if (tok_fts5_api(db, &api, err))
		return KF_EDB;
	/* Each reads the lengths of db's entries. */
	int rc = api->xCreateFunction(api, "kefu_rank", db, kefu_rank, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "kefu_w", db, kefu_w, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "kefu_ws", db, kefu_ws, NULL);
	if (rc != SQLITE_OK)
		return kf_fail(err, KF_EDB, "cannot register kefu_rank(): %s", sqlite3_errstr(rc));
	return KF_OK;
}
