#include "kbreport.h"

#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "indexopen.h"
#include "isotime.h"
#include "sbuf.h"
#include "search.h"
#include "timeline.h"

/* One use, kept until they are counted. */
struct use {
	char *entry, *ticket;
	int64_t at;
	int adjusted;
};

struct gather {
	struct session *s;
	const struct period *p;
	struct use *uses;
	size_t nuses, auses;
	char **subjects; /* of tickets resolved without a script */
	size_t nsub, asub;
	struct kb_report *k;
	size_t alloc;
	struct timeline tl;
};

static enum kf_status one_use(void *ctx, const struct kb_use *u, struct kf_err *err)
{
	struct gather *g = ctx;
	(void)err;
	ALLOC_GROW(g->uses, g->nuses + 1, g->auses);
	struct use *v = &g->uses[g->nuses++];
	v->entry = xstrdup(u->entry);
	v->ticket = u->ticket ? xstrdup(u->ticket) : NULL;
	v->at = u->at;
	v->adjusted = u->note && *u->note;
	return KF_OK;
}

static int by_entry_ticket(const void *a, const void *b)
{
	const struct use *x = a, *y = b;
	int c = strcmp(x->entry, y->entry);
	if (c)
		return c;
	if (!x->ticket || !y->ticket)
		return (x->ticket != NULL) - (y->ticket != NULL);
	return strcmp(x->ticket, y->ticket);
}

static int by_uses(const void *a, const void *b)
{
	const struct kb_report_entry *x = a, *y = b;
	if (x->uses != y->uses)
		return x->uses < y->uses ? 1 : -1;
	return strcmp(x->id, y->id);
}

static int by_id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kb_report_entry *)a)->id,
		      ((const struct kb_report_entry *)b)->id);
}

static struct kb_report_entry *add_entry(struct gather *g, const char *id)
{
	struct kb_report *k = g->k;
	ALLOC_GROW(k->v, k->n + 1, g->alloc);
	struct kb_report_entry *e = &k->v[k->n++];
	memset(e, 0, sizeof(*e));
	e->id = xstrdup(id);
	return e;
}

static enum kf_status one_listed(void *ctx, const char *id, const char *title,
				 struct kf_err *err)
{
	struct gather *g = ctx;
	(void)err;
	struct kb_report_entry key = { .id = (char *)id };
	struct kb_report_entry *used =
		g->k->nused ? bsearch(&key, g->k->v, g->k->nused, sizeof(key), by_id_cmp) : NULL;
	if (used) {
		free(used->title);
		used->title = xstrdup(title);
	} else {
		add_entry(g, id)->title = xstrdup(title);
	}
	return KF_OK;
}

static enum kf_status one_ticket(void *ctx, const struct ticket_history *h, struct kf_err *err)
{
	struct gather *g = ctx;
	(void)err;
	timeline_read(&g->tl, h);
	if (g->tl.scripted || g->tl.first_resolution == TIME_NONE ||
	    g->tl.first_resolution < g->p->from || g->tl.first_resolution >= g->p->until ||
	    !h->t->subject || !*h->t->subject)
		return KF_OK;
	ALLOC_GROW(g->subjects, g->nsub + 1, g->asub);
	g->subjects[g->nsub++] = xstrdup(h->t->subject);
	return KF_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_tickets(const void *a, const void *b)
{
	const struct kb_gap *x = a, *y = b;
	if (x->tickets != y->tickets)
		return x->tickets < y->tickets ? 1 : -1;
	return strcmp(x->subject, y->subject);
}

/* Does a search of the knowledge base find anything for text? */
static enum kf_status finds(struct kbindex *ix, struct session *s, const char *text,
			    const char *today, int *found, struct kf_err *err)
{
	struct kb_query q = { .text = text, .len = strlen(text), .limit = 1 };
	q.filter.today = today;
	struct kb_row *rows = NULL;
	size_t n = 0;
	enum kf_status st = kb_search(ix, s->desk.desk_db, &q, today, &rows, &n, NULL, err);
	if (st == KF_EINVAL) {
		/* nothing searchable in it: nothing can be found */
		*found = 0;
		return KF_OK;
	}
	*found = n > 0;
	kb_rows_free(rows, n);
	return st;
}

enum kf_status kb_report_make(struct session *s, const struct period *p, struct kb_report *k,
			      problem_fn fn, void *ctx, struct kf_err *err)
{
	struct gather g = { .s = s, .p = p, .k = k };
	memset(k, 0, sizeof(*k));

	enum kf_status st = store_usage_each(s->store, p->from, p->until, one_use, &g, err);
	if (!st) {
		/* Count them by entry: uses, adjusted ones, distinct tickets, the last. */
		if (g.nuses)
			qsort(g.uses, g.nuses, sizeof(*g.uses), by_entry_ticket);
		struct kb_report_entry *e = NULL;
		int64_t last = 0;
		for (size_t i = 0; i < g.nuses; i++) {
			struct use *u = &g.uses[i];
			if (!e || strcmp(e->id, u->entry)) {
				if (e)
					iso_format(&(struct instant){ last, workflows_offset(&s->wf, last) },
						   0, e->last_used);
				e = add_entry(&g, u->entry);
				last = u->at;
			}
			e->uses++;
			e->adjusted += u->adjusted;
			e->tickets += u->ticket &&
				      (i == 0 || strcmp(g.uses[i - 1].entry, u->entry) ||
				       !g.uses[i - 1].ticket || strcmp(g.uses[i - 1].ticket, u->ticket));
			if (u->at > last)
				last = u->at;
		}
		if (e)
			iso_format(&(struct instant){ last, workflows_offset(&s->wf, last) }, 0,
				   e->last_used);
		k->nused = k->n;
	}
	for (size_t i = 0; i < g.nuses; i++) {
		free(g.uses[i].entry);
		free(g.uses[i].ticket);
	}
	free(g.uses);

	struct kbindex ix;
	struct kf_err behind;
	int opened = 0;
	if (!st && !(st = kb_index_open_current(&s->desk, &ix, &behind, fn, ctx, err))) {
		opened = 1;
		if (behind.status && fn)
			fn(ctx, behind.msg);
		/* The used ones are sorted by id here: the listing finds their titles. */
		st = kbindex_list(&ix, p->last, one_listed, &g, err);
		for (size_t i = 0; !st && i < k->nused; i++) {
			struct kb_row row;
			if (k->v[i].title)
				continue;
			/* in effect no longer, or not yet: its title all the same */
			if (!kbindex_get(&ix, k->v[i].id, &row, err)) {
				k->v[i].title = xstrdup(row.e.title ? row.e.title : "");
				kb_row_release(&row);
			}
		}
		st = st == KF_ENOTFOUND ? KF_OK : st;
	}
	if (!st) {
		struct ticket_filter f;
		ticket_filter_init(&f);
		f.until = p->until;
		f.touched_since = p->from;
		st = store_histories_each(s->store, &f, one_ticket, &g, err);
	}
	if (!st) {
		/* Each subject once, with how many asked it; the most asked searched. */
		if (g.nsub)
			qsort(g.subjects, g.nsub, sizeof(*g.subjects), cmp_str);
		struct kb_gap *asked = NULL;
		size_t nasked = 0, aasked = 0, galloc = 0;
		for (size_t i = 0; i < g.nsub;) {
			size_t j = i;
			while (j < g.nsub && !strcmp(g.subjects[j], g.subjects[i]))
				j++;
			ALLOC_GROW(asked, nasked + 1, aasked);
			asked[nasked].subject = g.subjects[i];
			asked[nasked++].tickets = (int64_t)(j - i);
			i = j;
		}
		if (nasked)
			qsort(asked, nasked, sizeof(*asked), by_tickets);
		for (size_t i = 0; !st && i < nasked && i < KB_GAP_SEARCHES; i++) {
			int found = 0;
			st = finds(&ix, s, asked[i].subject, p->last, &found, err);
			if (!st && !found) {
				ALLOC_GROW(k->gaps, k->ngaps + 1, galloc);
				k->gaps[k->ngaps].subject = xstrdup(asked[i].subject);
				k->gaps[k->ngaps++].tickets = asked[i].tickets;
			}
		}
		free(asked);
	}
	if (opened)
		kbindex_close(&ix);
	for (size_t i = 0; i < g.nsub; i++)
		free(g.subjects[i]);
	free(g.subjects);
	timeline_release(&g.tl);
	if (st) {
		kb_report_release(k);
		return st;
	}
	if (k->nused)
		qsort(k->v, k->nused, sizeof(*k->v), by_uses);
	return KF_OK;
}

void kb_report_release(struct kb_report *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].id);
		free(k->v[i].title);
	}
	free(k->v);
	for (size_t i = 0; i < k->ngaps; i++)
		free(k->gaps[i].subject);
	free(k->gaps);
	memset(k, 0, sizeof(*k));
}
