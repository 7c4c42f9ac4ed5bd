#include "terms.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "tokenizer.h"

/* Lists hold about 1/32 of the entries, within these bounds. */
#define LIST_MIN 32
#define LIST_MAX TERMS_LIST_MAX

size_t terms_list_size(sqlite3_int64 ndocs)
{
	sqlite3_int64 m = ndocs / 32;
	return m < LIST_MIN ? LIST_MIN : m > LIST_MAX ? LIST_MAX : (size_t)m;
}

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The distinct terms of one entry, each with the columns holding it. */
struct dterm {
	uint32_t hash, off, len;
	unsigned mask;
};

struct dset {
	struct dterm *slot; /* open addressing; len 0: free */
	size_t cap, n;
	uint32_t *order; /* slots in the order first seen */
	struct sbuf text;
	int col;
	int len[RANK_NCOLS]; /* each column's tokens, as FTS5 counts them */
};

static void dset_grow(struct dset *d)
{
	struct dterm *old = d->slot;
	size_t oldcap = d->cap;
	d->cap = oldcap ? oldcap * 2 : 256;
	d->slot = xcalloc(d->cap, sizeof(*d->slot));
	d->order = xrealloc(d->order, d->cap * sizeof(*d->order));
	size_t k = 0;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].len)
			continue;
		size_t j = old[i].hash & (d->cap - 1);
		while (d->slot[j].len)
			j = (j + 1) & (d->cap - 1);
		d->slot[j] = old[i];
		d->order[k++] = (uint32_t)j;
	}
	free(old);
}

static int dset_add(void *ctx, enum tok_kind kind, const char *text, size_t n, size_t start,
		    size_t end)
{
	struct dset *d = ctx;
	(void)start;
	(void)end;
	/* FTS5 counts a token unless it shares the position before it. */
	if (kind != TOK_BIGRAM)
		d->len[d->col]++;
	if ((d->n + 1) * 2 > d->cap)
		dset_grow(d);
	uint32_t h = hash(text, n);
	size_t j = h & (d->cap - 1);
	for (; d->slot[j].len; j = (j + 1) & (d->cap - 1)) {
		struct dterm *t = &d->slot[j];
		if (t->hash == h && t->len == n && !memcmp(d->text.buf + t->off, text, n)) {
			t->mask |= 1u << d->col;
			return 0;
		}
	}
	d->slot[j] = (struct dterm){ h, (uint32_t)d->text.len, (uint32_t)n, 1u << d->col };
	sbuf_add(&d->text, text, n);
	sbuf_addch(&d->text, '\0');
	d->order[d->n++] = (uint32_t)j;
	return 0;
}

/* Scan an entry into d, emptied first but keeping its memory. */
static void dset_scan(struct dset *d, const char *const cols[RANK_NCOLS])
{
	for (size_t i = 0; i < d->n; i++)
		d->slot[d->order[i]].len = 0;
	d->n = 0;
	sbuf_reset(&d->text);
	memset(d->len, 0, sizeof(d->len));
	for (d->col = 0; d->col < RANK_NCOLS; d->col++)
		if (cols[d->col])
			tok_scan(cols[d->col], strlen(cols[d->col]), dset_add, d);
}

static void dset_release(struct dset *d)
{
	free(d->slot);
	free(d->order);
	sbuf_release(&d->text);
}

int terms_of_entry(const char *const cols[RANK_NCOLS], terms_fn fn, void *ctx)
{
	struct dset d = { .text = SBUF_INIT };
	int rc = 0;
	dset_scan(&d, cols);
	for (size_t i = 0; i < d.n && !rc; i++) {
		struct dterm *t = &d.slot[d.order[i]];
		rc = fn(ctx, d.text.buf + t->off, t->len, rank_weight(t->mask, d.len));
	}
	dset_release(&d);
	return rc;
}

/* The writer. */

struct post {
	sqlite3_int64 rowid;
	int w;
};

/* a ranks before b: heavier, or as heavy and older. */
static int before(const struct post *a, const struct post *b)
{
	return a->w > b->w || (a->w == b->w && a->rowid < b->rowid);
}

static int by_rank(const void *a, const void *b)
{
	const struct post *x = a, *y = b;
	return before(x, y) ? -1 : before(y, x) ? 1 : 0;
}

static int by_rowid(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
	return x < y ? -1 : x > y;
}

/* What one transaction changes of one term. */
struct pend {
	char *term;
	uint32_t hash, len;
	sqlite3_int64 ddf;
	/* Entries added: the best `max`, a heap with the last-ranked on top. */
	struct post *add;
	size_t nadd, aadd;
	int dropped; /* some were left out: they rank after add[0] */
	sqlite3_int64 *rem;
	size_t nrem, arem;
};

/* An entry on its way to the worker thread: its columns, copied. */
struct job {
	sqlite3_int64 rowid;
	int sign;
	unsigned has;		  /* columns that are not NULL */
	size_t off[RANK_NCOLS]; /* into text */
	char *text;
};

/*
 * Entries queued for the worker at most; the writer waits beyond. An
 * idle worker is woken for a batch, not for each entry: a wake-up costs
 * a context switch.
 */
#define QUEUE 256
#define BATCH 64
/* A rebuild of this many entries or more gets a worker thread. */
#define THREAD_MIN 1000

struct terms_writer {
	int fresh;
	size_t max;
	struct pend **slot;
	size_t cap, n;
	struct dset scan; /* reused from entry to entry */
	/*
	 * A full rebuild tokenizes every entry twice, for FTS5 and here:
	 * a thread of its own does this half, on the other CPU.
	 */
	int threaded, closing, discard;
	int idle, full; /* the worker waits for a job, the writer for room */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t ready, room;
	struct job q[QUEUE];
	size_t head, count;
	/* the lengths of the entries added, for the table lens (rank.h) */
	struct added {
		sqlite3_int64 rowid;
		unsigned char len[2];
	} *added;
	size_t nadded, aadded;
};

static void doc_now(struct terms_writer *w, sqlite3_int64 rowid,
		    const char *const cols[RANK_NCOLS], int sign);

static void *worker(void *arg)
{
	struct terms_writer *w = arg;
	struct job *batch = xmalloc(QUEUE * sizeof(*batch));
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->count < BATCH && !w->closing) {
			w->idle = 1;
			pthread_cond_wait(&w->ready, &w->mu);
		}
		w->idle = 0;
		/* Take the whole queue: the writer fills it while we work. */
		size_t n = w->count;
		for (size_t i = 0; i < n; i++)
			batch[i] = w->q[(w->head + i) % QUEUE];
		w->head = (w->head + n) % QUEUE;
		w->count = 0;
		int discard = w->discard, last = w->closing;
		if (w->full)
			pthread_cond_signal(&w->room);
		pthread_mutex_unlock(&w->mu);
		for (size_t i = 0; i < n; i++) {
			struct job *j = &batch[i];
			if (!discard) {
				const char *cols[RANK_NCOLS];
				for (int c = 0; c < RANK_NCOLS; c++)
					cols[c] = j->has & (1u << c) ? j->text + j->off[c] : NULL;
				doc_now(w, j->rowid, cols, j->sign);
			}
			free(j->text);
		}
		if (last && !n)
			break;
	}
	free(batch);
	return NULL;
}

/* Wait for the worker to finish the queue (or drop it), and end it. */
static void writer_stop(struct terms_writer *w, int discard)
{
	if (!w->threaded)
		return;
	pthread_mutex_lock(&w->mu);
	w->closing = 1;
	w->discard = discard;
	pthread_cond_signal(&w->ready);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->ready);
	pthread_cond_destroy(&w->room);
	w->threaded = 0;
}

struct terms_writer *terms_writer_new(int fresh, sqlite3_int64 ndocs)
{
	struct terms_writer *w = xcalloc(1, sizeof(*w));
	w->scan.text = (struct sbuf)SBUF_INIT;
	w->fresh = fresh;
	w->max = terms_list_size(ndocs);
	if (fresh && ndocs >= THREAD_MIN) {
		pthread_mutex_init(&w->mu, NULL);
		pthread_cond_init(&w->ready, NULL);
		pthread_cond_init(&w->room, NULL);
		/* Without a thread, the same work is done in line. */
		w->threaded = !pthread_create(&w->thread, NULL, worker, w);
		if (!w->threaded) {
			pthread_mutex_destroy(&w->mu);
			pthread_cond_destroy(&w->ready);
			pthread_cond_destroy(&w->room);
		}
	}
	return w;
}

void terms_writer_free(struct terms_writer *w)
{
	if (!w)
		return;
	writer_stop(w, 1);
	for (size_t i = 0; i < w->cap; i++) {
		struct pend *p = w->slot[i];
		if (!p)
			continue;
		free(p->term);
		free(p->add);
		free(p->rem);
		free(p);
	}
	free(w->slot);
	free(w->added);
	dset_release(&w->scan);
	free(w);
}

static void writer_grow(struct terms_writer *w)
{
	struct pend **old = w->slot;
	size_t oldcap = w->cap;
	w->cap = oldcap ? oldcap * 2 : 1024;
	w->slot = xcalloc(w->cap, sizeof(*w->slot));
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i])
			continue;
		size_t j = old[i]->hash & (w->cap - 1);
		while (w->slot[j])
			j = (j + 1) & (w->cap - 1);
		w->slot[j] = old[i];
	}
	free(old);
}

static struct pend *pend_get(struct terms_writer *w, const char *term, size_t n, uint32_t h)
{
	if ((w->n + 1) * 2 > w->cap)
		writer_grow(w);
	size_t j = h & (w->cap - 1);
	for (; w->slot[j]; j = (j + 1) & (w->cap - 1)) {
		struct pend *p = w->slot[j];
		if (p->hash == h && p->len == n && !memcmp(p->term, term, n))
			return p;
	}
	struct pend *p = xcalloc(1, sizeof(*p));
	p->term = xmalloc(n + 1);
	memcpy(p->term, term, n);
	p->term[n] = '\0';
	p->hash = h;
	p->len = (uint32_t)n;
	w->slot[j] = p;
	w->n++;
	return p;
}

/* Restore the heap (last-ranked on top) below index i. */
static void sift_down(struct post *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, top = i;
		if (l < n && before(&h[top], &h[l]))
			top = l;
		if (r < n && before(&h[top], &h[r]))
			top = r;
		if (top == i)
			return;
		struct post t = h[i];
		h[i] = h[top];
		h[top] = t;
		i = top;
	}
}

static void sift_up(struct post *h, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!before(&h[parent], &h[i]))
			return;
		struct post t = h[i];
		h[i] = h[parent];
		h[parent] = t;
		i = parent;
	}
}

static void pend_add(struct terms_writer *w, struct pend *p, struct post x)
{
	if (p->nadd < w->max) {
		ALLOC_GROW(p->add, p->nadd + 1, p->aadd);
		p->add[p->nadd] = x;
		sift_up(p->add, p->nadd++);
		return;
	}
	p->dropped = 1;
	if (before(&x, &p->add[0])) {
		p->add[0] = x;
		sift_down(p->add, p->nadd, 0);
	}
}

static void pend_remove(struct pend *p, sqlite3_int64 rowid)
{
	ALLOC_GROW(p->rem, p->nrem + 1, p->arem);
	p->rem[p->nrem++] = rowid;
	/* Added and removed in one transaction: rare, so a plain search. */
	for (size_t i = 0; i < p->nadd; i++) {
		if (p->add[i].rowid == rowid) {
			p->add[i] = p->add[--p->nadd];
			if (i < p->nadd) {
				sift_down(p->add, p->nadd, i);
				sift_up(p->add, i);
			}
			break;
		}
	}
}

void terms_writer_doc(struct terms_writer *w, sqlite3_int64 rowid,
		      const char *const cols[RANK_NCOLS], int sign)
{
	if (!w->threaded) {
		doc_now(w, rowid, cols, sign);
		return;
	}
	struct job j = { rowid, sign, 0, { 0 }, NULL };
	struct sbuf text = SBUF_INIT;
	for (int c = 0; c < RANK_NCOLS; c++) {
		if (!cols[c])
			continue;
		j.has |= 1u << c;
		j.off[c] = text.len;
		sbuf_adds(&text, cols[c]);
		sbuf_addch(&text, '\0');
	}
	j.text = sbuf_detach(&text);
	pthread_mutex_lock(&w->mu);
	while (w->count == QUEUE) {
		w->full = 1;
		pthread_cond_wait(&w->room, &w->mu);
	}
	w->full = 0;
	w->q[(w->head + w->count++) % QUEUE] = j;
	if (w->idle && w->count >= BATCH)
		pthread_cond_signal(&w->ready);
	pthread_mutex_unlock(&w->mu);
}

static void doc_now(struct terms_writer *w, sqlite3_int64 rowid,
		    const char *const cols[RANK_NCOLS], int sign)
{
	struct dset *d = &w->scan;
	dset_scan(d, cols);
	if (sign > 0) {
		ALLOC_GROW(w->added, w->nadded + 1, w->aadded);
		w->added[w->nadded].rowid = rowid;
		rank_len_pack(d->len, w->added[w->nadded++].len);
	}
	for (size_t i = 0; i < d->n; i++) {
		struct dterm *t = &d->slot[d->order[i]];
		struct pend *p = pend_get(w, d->text.buf + t->off, t->len, t->hash);
		p->ddf += sign;
		if (sign > 0)
			pend_add(w, p, (struct post){ rowid, rank_weight(t->mask, d->len) });
		else
			pend_remove(p, rowid);
	}
}

/* The list blob: each pair as its w (one byte), then its rowid (LEB128). */

static void encode(struct sbuf *out, const struct post *v, size_t n)
{
	sbuf_reset(out);
	for (size_t i = 0; i < n; i++) {
		sbuf_addch(out, (char)v[i].w);
		uint64_t r = (uint64_t)v[i].rowid;
		do {
			unsigned char b = r & 0x7f;
			r >>= 7;
			sbuf_addch(out, (char)(r ? b | 0x80 : b));
		} while (r);
	}
}

/* Decode blob into *v (appending); -1 when it is damaged. */
static int decode(const unsigned char *b, size_t len, struct post **v, size_t *n, size_t *alloc)
{
	size_t i = 0;
	while (i < len) {
		int w = b[i++];
		uint64_t r = 0;
		int shift = 0;
		for (;;) {
			if (i >= len || shift > 56)
				return -1;
			unsigned char c = b[i++];
			r |= (uint64_t)(c & 0x7f) << shift;
			shift += 7;
			if (!(c & 0x80))
				break;
		}
		if (!w || r > INT64_MAX)
			return -1;
		ALLOC_GROW(*v, *n + 1, *alloc);
		(*v)[(*n)++] = (struct post){ (sqlite3_int64)r, w };
	}
	return 0;
}

static int by_term(const void *a, const void *b)
{
	return strcmp((*(struct pend *const *)a)->term, (*(struct pend *const *)b)->term);
}

struct flush {
	sqlite3 *db;
	sqlite3_stmt *get, *put, *del, *scan, *vadd, *vdel;
	struct post *v;
	size_t n, alloc;
	struct sbuf blob, match;
};

static enum kf_status db_fail(sqlite3 *db, struct kf_err *err, const char *what)
{
	return kf_fail(err, KF_EDB, "index terms %s: %s", what, sqlite3_errmsg(db));
}

/* Read every entry holding term from FTS into f->v; its count in *df. */
static enum kf_status refill(struct flush *f, const char *term, sqlite3_int64 *df,
			     struct kf_err *err)
{
	sbuf_reset(&f->match);
	sbuf_addch(&f->match, '"');
	for (const char *s = term; *s; s++) {
		if (*s == '"')
			sbuf_addch(&f->match, '"');
		sbuf_addch(&f->match, *s);
	}
	sbuf_addch(&f->match, '"');
	sqlite3_reset(f->scan);
	sqlite3_bind_text(f->scan, 1, f->match.buf, (int)f->match.len, SQLITE_STATIC);
	f->n = 0;
	int rc;
	while ((rc = sqlite3_step(f->scan)) == SQLITE_ROW) {
		ALLOC_GROW(f->v, f->n + 1, f->alloc);
		f->v[f->n++] = (struct post){ sqlite3_column_int64(f->scan, 0),
					      sqlite3_column_int(f->scan, 1) };
	}
	sqlite3_reset(f->scan);
	if (rc != SQLITE_DONE)
		return db_fail(f->db, err, "refill");
	*df = (sqlite3_int64)f->n;
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), by_rank);
	return KF_OK;
}

/*
 * A Latin word of four letters or more goes into words(key) as itself
 * and reversed after a '~', so that the desk words sharing a start or
 * an end with a typed word are a range each (expand.h).
 */
static enum kf_status vocab_set(struct flush *f, const char *term, int on, struct kf_err *err)
{
	size_t n = strlen(term);
	char rev[TOK_MAX + 2];
	if (n < 4 || n > TOK_MAX)
		return KF_OK;
	for (size_t i = 0; i < n; i++)
		if (term[i] < 'a' || term[i] > 'z')
			return KF_OK;
	rev[0] = '~';
	for (size_t i = 0; i < n; i++)
		rev[1 + i] = term[n - 1 - i];
	rev[n + 1] = '\0';
	sqlite3_stmt *st = on ? f->vadd : f->vdel;
	for (int k = 0; k < 2; k++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, k ? rev : term, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(f->db, err, "words");
	}
	return KF_OK;
}

static enum kf_status flush_one(struct terms_writer *w, struct flush *f, struct pend *p,
				size_t max, struct kf_err *err)
{
	sqlite3_int64 df = 0;
	int truncated = 0;
	struct post bound = { 0, 0 };
	enum kf_status st;

	f->n = 0;
	if (!w->fresh) {
		sqlite3_reset(f->get);
		sqlite3_bind_text(f->get, 1, p->term, -1, SQLITE_STATIC);
		int rc = sqlite3_step(f->get);
		if (rc == SQLITE_ROW) {
			df = sqlite3_column_int64(f->get, 0);
			bound.w = sqlite3_column_int(f->get, 1);
			bound.rowid = sqlite3_column_int64(f->get, 2);
			truncated = bound.w > 0;
			const unsigned char *b = sqlite3_column_blob(f->get, 3);
			size_t len = (size_t)sqlite3_column_bytes(f->get, 3);
			if (decode(b, len, &f->v, &f->n, &f->alloc) < 0) {
				sqlite3_reset(f->get);
				return kf_fail(err, KF_EDB, "index terms: damaged list of '%s'",
					       p->term);
			}
		} else if (rc != SQLITE_DONE) {
			sqlite3_reset(f->get);
			return db_fail(f->db, err, "read");
		}
		sqlite3_reset(f->get);
	}
	/* Out go the removed; in come the added. */
	if (p->nrem) {
		qsort(p->rem, p->nrem, sizeof(*p->rem), by_rowid);
		size_t k = 0;
		for (size_t i = 0; i < f->n; i++)
			if (!bsearch(&f->v[i].rowid, p->rem, p->nrem, sizeof(*p->rem), by_rowid))
				f->v[k++] = f->v[i];
		f->n = k;
	}
	if (p->dropped && (!truncated || before(&p->add[0], &bound))) {
		bound = p->add[0];
		truncated = 1;
	}
	for (size_t i = 0; i < p->nadd; i++) {
		ALLOC_GROW(f->v, f->n + 1, f->alloc);
		f->v[f->n++] = p->add[i];
	}
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), by_rank);
	sqlite3_int64 was = df;
	df += p->ddf;
	if ((was > 0) != (df > 0) && (st = vocab_set(f, p->term, df > 0, err)))
		return st;
	if (truncated) {
		/* Keep what is known to be a prefix of the term's entries. */
		while (f->n && before(&bound, &f->v[f->n - 1]))
			f->n--;
	}
	if (truncated && (sqlite3_int64)f->n >= df)
		truncated = 0; /* every entry holding it is listed */
	if (truncated && f->n < max / 2) {
		st = refill(f, p->term, &df, err);
		if (st)
			return st;
		truncated = 0;
	}
	if (f->n > max) {
		f->n = max;
		bound = f->v[max - 1];
		truncated = 1;
	}
	if (df <= 0) {
		sqlite3_reset(f->del);
		sqlite3_bind_text(f->del, 1, p->term, -1, SQLITE_STATIC);
		int rc = sqlite3_step(f->del);
		sqlite3_reset(f->del);
		return rc == SQLITE_DONE ? KF_OK : db_fail(f->db, err, "write");
	}
	encode(&f->blob, f->v, f->n);
	sqlite3_reset(f->put);
	sqlite3_bind_text(f->put, 1, p->term, -1, SQLITE_STATIC);
	sqlite3_bind_int64(f->put, 2, df);
	sqlite3_bind_int(f->put, 3, truncated ? bound.w : 0);
	sqlite3_bind_int64(f->put, 4, truncated ? bound.rowid : 0);
	sqlite3_bind_blob(f->put, 5, f->blob.buf, (int)f->blob.len, SQLITE_STATIC);
	int rc = sqlite3_step(f->put);
	sqlite3_reset(f->put);
	return rc == SQLITE_DONE ? KF_OK : db_fail(f->db, err, "write");
}

static int by_added(const void *a, const void *b)
{
	const struct added *x = a, *y = b;
	return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

/* Write the lengths of the entries added into their chunks of lens. */
static enum kf_status flush_lens(struct terms_writer *w, sqlite3 *db, struct kf_err *err)
{
	sqlite3_stmt *get = NULL, *put = NULL;
	unsigned char *data = xmalloc(2 * RANK_LEN_CHUNK);
	enum kf_status st = KF_OK;
	if (!w->nadded)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT data FROM lens WHERE chunk = ?1", -1, &get, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO lens(chunk, data) VALUES(?1, ?2)", -1,
			       &put, NULL) != SQLITE_OK) {
		st = db_fail(db, err, "lengths");
		goto out;
	}
	/* In rowid order, so each chunk is read and written once. */
	qsort(w->added, w->nadded, sizeof(*w->added), by_added);
	for (size_t i = 0; i < w->nadded && !st;) {
		sqlite3_int64 chunk = w->added[i].rowid / RANK_LEN_CHUNK;
		memset(data, 0, 2 * RANK_LEN_CHUNK);
		sqlite3_bind_int64(get, 1, chunk);
		int rc = sqlite3_step(get);
		if (rc == SQLITE_ROW) {
			int n = sqlite3_column_bytes(get, 0);
			const void *b = sqlite3_column_blob(get, 0);
			if (b)
				memcpy(data, b, n < 2 * RANK_LEN_CHUNK ? (size_t)n : 2 * RANK_LEN_CHUNK);
		}
		sqlite3_reset(get);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			st = db_fail(db, err, "lengths");
			break;
		}
		for (; i < w->nadded && w->added[i].rowid / RANK_LEN_CHUNK == chunk; i++)
			memcpy(data + 2 * (w->added[i].rowid % RANK_LEN_CHUNK), w->added[i].len, 2);
		sqlite3_bind_int64(put, 1, chunk);
		sqlite3_bind_blob(put, 2, data, 2 * RANK_LEN_CHUNK, SQLITE_STATIC);
		if (sqlite3_step(put) != SQLITE_DONE)
			st = db_fail(db, err, "lengths");
		sqlite3_reset(put);
	}
out:
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	free(data);
	return st;
}

static enum kf_status count_docs(sqlite3 *db, sqlite3_int64 *n, struct kf_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM entries", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "count");
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? KF_OK : db_fail(db, err, "count");
}

enum kf_status terms_writer_flush(struct terms_writer *w, sqlite3 *db, struct kf_err *err)
{
	struct flush f = { .db = db, .blob = SBUF_INIT, .match = SBUF_INIT };
	struct pend **todo = NULL;
	sqlite3_int64 ndocs;
	enum kf_status st;

	writer_stop(w, 0);
	if ((st = count_docs(db, &ndocs, err)))
		return st;
	if (sqlite3_prepare_v2(db, "SELECT df, bw, brow, list FROM terms WHERE term = ?1", -1,
			       &f.get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO terms(term, df, bw, brow, list)"
			       " VALUES(?1, ?2, ?3, ?4, ?5)",
			       -1, &f.put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM terms WHERE term = ?1", -1, &f.del, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT rowid, kefu_w(fts) FROM fts WHERE fts MATCH ?1", -1,
			       &f.scan, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO words(key) VALUES(?1)", -1, &f.vadd,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM words WHERE key = ?1", -1, &f.vdel, NULL) !=
		    SQLITE_OK) {
		st = db_fail(db, err, "query");
		goto out;
	}
	/* The lengths first: completing a list from FTS5 reads them. */
	if ((st = flush_lens(w, db, err)))
		goto out;
	/* In key order: each write lands beside the one before. */
	todo = xmalloc((w->n ? w->n : 1) * sizeof(*todo));
	size_t n = 0;
	for (size_t i = 0; i < w->cap; i++)
		if (w->slot[i])
			todo[n++] = w->slot[i];
	qsort(todo, n, sizeof(*todo), by_term);
	size_t max = terms_list_size(ndocs);
	for (size_t i = 0; i < n && !st; i++)
		st = flush_one(w, &f, todo[i], max, err);
	if (!st) {
		char num[32];
		snprintf(num, sizeof(num), "%lld", (long long)ndocs);
		sqlite3_stmt *m;
		if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('docs', ?1)",
				       -1, &m, NULL) != SQLITE_OK) {
			st = db_fail(db, err, "write");
		} else {
			sqlite3_bind_text(m, 1, num, -1, SQLITE_STATIC);
			if (sqlite3_step(m) != SQLITE_DONE)
				st = db_fail(db, err, "write");
			sqlite3_finalize(m);
		}
	}
out:
	free(todo);
	free(f.v);
	sbuf_release(&f.blob);
	sbuf_release(&f.match);
	sqlite3_finalize(f.get);
	sqlite3_finalize(f.put);
	sqlite3_finalize(f.del);
	sqlite3_finalize(f.scan);
	sqlite3_finalize(f.vadd);
	sqlite3_finalize(f.vdel);
	return st;
}

enum kf_status terms_read(sqlite3_stmt *st, const char *term, struct term_list *l,
			  struct kf_err *err)
{
	struct post *v = NULL;
	size_t n = 0, alloc = 0;
	enum kf_status ret = KF_OK;

	memset(l, 0, sizeof(*l));
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		l->df = sqlite3_column_int64(st, 0);
		l->bw = sqlite3_column_int(st, 1);
		l->brow = sqlite3_column_int64(st, 2);
		const unsigned char *b = sqlite3_column_blob(st, 3);
		if (decode(b, (size_t)sqlite3_column_bytes(st, 3), &v, &n, &alloc) < 0)
			ret = kf_fail(err, KF_EDB, "index terms: damaged list of '%s'", term);
	} else if (rc != SQLITE_DONE) {
		ret = kf_fail(err, KF_EDB, "index terms read: %s",
			      sqlite3_errmsg(sqlite3_db_handle(st)));
	}
	sqlite3_reset(st);
	if (!ret && n) {
		l->n = n;
		l->rowid = xmalloc(n * sizeof(*l->rowid));
		l->w = xmalloc(n);
		for (size_t i = 0; i < n; i++) {
			l->rowid[i] = v[i].rowid;
			l->w[i] = (unsigned char)v[i].w;
		}
	}
	free(v);
	return ret;
}

void term_list_release(struct term_list *l)
{
	free(l->rowid);
	free(l->w);
	memset(l, 0, sizeof(*l));
}
